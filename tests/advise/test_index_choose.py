"""The index client's choices without I/O: which file of a release it takes, and how many
releases it fetches ahead on a resolver's hints (unit tests of one method each)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_radar.advise.cache import Cache
from mlops_radar.advise.index import IndexClient, Release
from mlops_radar.advise.resolver import Target


def _client(tmp_path: Path, platform: str = "linux") -> IndexClient:
    return IndexClient(Target(platform=platform), Cache(tmp_path, enabled=False))


def _picked_per_platform(
    tmp_path: Path, files: list[dict[str, object]], version: str
) -> dict[str, object]:
    return {
        platform: (_client(tmp_path, platform)._choose(files, version) or {}).get("filename")
        for platform in ("linux", "macos", "windows")
    }


def _files(*names: str) -> list[dict[str, object]]:
    return [{"filename": n, "url": n} for n in names]


def test_the_fitting_wheel_of_the_version_among_thousands(tmp_path: Path) -> None:
    files = _files(
        *(f"botocore-1.{i}.0-py3-none-any.whl" for i in range(3000)),
        "botocore-1.34.0.tar.gz",
    )
    chosen = _client(tmp_path)._choose(files, "1.34.0")
    assert chosen is not None
    assert chosen["filename"] == "botocore-1.34.0-py3-none-any.whl"


def test_a_version_spelled_another_way_is_still_found(tmp_path: Path) -> None:
    files = _files("pkg-0.9-py3-none-any.whl", "pkg-1.0.0-py3-none-any.whl")
    chosen = _client(tmp_path)._choose(files, "1.0")
    assert chosen is not None
    assert chosen["filename"] == "pkg-1.0.0-py3-none-any.whl"


def test_the_sdist_when_no_wheel_fits_the_platform(tmp_path: Path) -> None:
    files = _files("pkg-1.0-cp311-cp311-win_amd64.whl", "pkg-1.0.tar.gz")
    chosen = _client(tmp_path)._choose(files, "1.0")
    assert chosen is not None
    assert chosen["filename"] == "pkg-1.0.tar.gz"
    assert _client(tmp_path, "windows")._choose(files, "1.0") == files[0]


def test_yanked_files_and_bad_versions_are_not_chosen(tmp_path: Path) -> None:
    files = [{"filename": "pkg-1.0-py3-none-any.whl", "url": "x", "yanked": "broken"}]
    assert _client(tmp_path)._choose(files, "1.0") is None
    assert _client(tmp_path)._choose(_files("pkg-1.0-py3-none-any.whl"), "not a version") is None


def test_the_wheel_of_the_machine_uv_resolves_for(tmp_path: Path) -> None:
    # uv's aliases: linux = x86_64 glibc, macos = Apple silicon, windows = x86-64
    files = _files(
        "np-2.0-cp311-cp311-manylinux_2_27_aarch64.manylinux_2_28_aarch64.whl",
        "np-2.0-cp311-cp311-musllinux_1_2_x86_64.whl",
        "np-2.0-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
        "np-2.0-cp311-cp311-macosx_10_9_x86_64.whl",
        "np-2.0-cp311-cp311-macosx_11_0_arm64.whl",
        "np-2.0-cp311-cp311-win32.whl",
        "np-2.0-cp311-cp311-win_amd64.whl",
    )
    assert _picked_per_platform(tmp_path, files, "2.0") == {
        "linux": "np-2.0-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
        "macos": "np-2.0-cp311-cp311-macosx_11_0_arm64.whl",
        "windows": "np-2.0-cp311-cp311-win_amd64.whl",
    }


def test_a_backtracking_resolver_gets_a_few_versions_per_package_fetched_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _client(tmp_path)
    asked: list[tuple[str, str]] = []

    def fake_release(name: str, version: str, address: object = None) -> Release:
        asked.append((name, version))
        return Release(name, version, None, None, None)

    monkeypatch.setattr(client, "_release", fake_release)
    for minor in range(8):
        client.start("pkg", f"1.{minor}")
    client.start("other", "2.0")
    client.start("pkg", "1.0")  # asked again: no second fetch
    assert client.release("pkg", "1.7").version == "1.7"  # the answer: fetched when asked
    assert client.release("other", "2.0").version == "2.0"  # fetched ahead, waited for
    for minor in range(3):
        assert client.release("pkg", f"1.{minor}").version == f"1.{minor}"
    client.close()
    assert sorted(asked) == [
        ("other", "2.0"),
        ("pkg", "1.0"),
        ("pkg", "1.1"),
        ("pkg", "1.2"),
        ("pkg", "1.7"),
    ]


def test_a_stable_abi_wheel_is_taken_only_from_its_python_on(tmp_path: Path) -> None:
    # ast-serialize 0.13.1 on PyPI: a cp315-abi3 wheel (for 3.15 and later) listed before the
    # cp39-abi3 one; both fit the platform, only the second installs on 3.11
    files = _files(
        "ast_serialize-0.13.1-cp315-abi3.abi3t-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "ast_serialize-0.13.1-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    )
    chosen = _client(tmp_path)._choose(files, "0.13.1") or {}
    assert chosen.get("filename", "").startswith("ast_serialize-0.13.1-cp39-abi3")


def test_interpreter_tags_past_or_beside_the_target_python_do_not_fit(tmp_path: Path) -> None:
    files = _files(
        "pkg-1.0-cp312-cp312-manylinux_2_28_x86_64.whl",  # another CPython's ABI
        "pkg-1.0-py312-none-any.whl",  # needs 3.12
        "pkg-1.0-pp311-pypy311_pp73-manylinux_2_28_x86_64.whl",  # PyPy
        "pkg-1.0-cp211-abi3-manylinux_2_28_x86_64.whl",  # Python 2's stable ABI
        "pkg-1.0-py310-none-any.whl",  # fits 3.11
    )
    chosen = _client(tmp_path)._choose(files, "1.0") or {}
    assert chosen.get("filename") == "pkg-1.0-py310-none-any.whl"
    assert (_client(tmp_path)._choose(files[:4], "1.0") or {}).get("filename") is None


def test_the_wheel_an_installer_prefers_not_the_first_that_fits(tmp_path: Path) -> None:
    # cryptography 50.0.2 lists its manylinux2014 wheel before its manylinux_2_28 one; uv (and
    # pip on a glibc 2.28 machine) takes the newer; a newer glibc or musl does not install
    files = _files(
        "c-1.0-cp311-cp311-manylinux_2_34_x86_64.whl",
        "c-1.0-cp311-cp311-musllinux_1_2_x86_64.whl",
        "c-1.0-cp311-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
        "c-1.0-cp311-abi3-manylinux_2_28_x86_64.whl",
        "c-1.0-py3-none-any.whl",
        "c-1.0-cp311-cp311-macosx_14_0_arm64.whl",
        "c-1.0-cp311-cp311-macosx_10_9_x86_64.whl",
        "c-1.0-cp311-cp311-macosx_10_9_universal2.whl",
    )
    assert _picked_per_platform(tmp_path, files, "1.0") == {
        "linux": "c-1.0-cp311-abi3-manylinux_2_28_x86_64.whl",
        "macos": "c-1.0-cp311-cp311-macosx_10_9_universal2.whl",
        "windows": "c-1.0-py3-none-any.whl",
    }
