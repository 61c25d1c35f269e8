"""Cloud lock-in as a tool's manifests declare it (for `show TOOL`): parsed, never executed."""

from __future__ import annotations

from pathlib import Path

from mlops_radar.advise.declared import declared_lock_in, declared_requirements
from mlops_radar.advise.lockin import load_cloud_sdks

SDKS = load_cloud_sdks()


def files(**texts: str) -> list[dict[str, object]]:
    return [{"path": name.replace("_", "."), "text": text} for name, text in texts.items()]


def test_pyproject_hard_dependency_and_extra() -> None:
    pyproject = (
        '[project]\nname = "flowy"\ndependencies = ["boto3>=1.28", "click"]\n'
        '[project.optional-dependencies]\ngcp = ["google-cloud-storage"]\nui = ["rich"]\n'
    )
    ties = declared_lock_in("flowy", files(pyproject_toml=pyproject), SDKS)
    assert ties is not None
    found = {(t.package, t.kind, t.extra) for t in ties}
    assert ("boto3", "hard", None) in found
    assert ("google-cloud-storage", "extra", "gcp") in found
    assert all(t.package not in ("click", "rich") for t in ties)


def test_setup_cfg_and_literal_setup_py() -> None:
    cfg = "[options]\ninstall_requires =\n    azure-storage-blob\n    numpy\n"
    assert {t.package for t in declared_lock_in("t", files(setup_cfg=cfg), SDKS) or ()} == {
        "azure-storage-blob"
    }
    setup = "from setuptools import setup\nsetup(name='t', install_requires=['s3fs', 'pandas'])\n"
    assert {t.package for t in declared_lock_in("t", files(setup_py=setup), SDKS) or ()} == {"s3fs"}


def test_a_setup_py_is_parsed_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    setup = f"import os\nos.system('touch {marker}')\nsetup(install_requires=['boto3'])\n"
    assert [t.package for t in declared_lock_in("t", files(setup_py=setup), SDKS) or ()] == [
        "boto3"
    ]
    assert not marker.exists()


def test_no_manifest_is_unknown_and_bad_ones_are_named() -> None:
    assert declared_lock_in("t", [], SDKS) is None
    found, problems = declared_requirements(files(pyproject_toml="[project\n"))
    assert found == {}
    assert problems == ["pyproject.toml: not readable (TOMLDecodeError)"]
