"""Which file of a release the index client takes (a unit test of one method, no I/O)."""

from __future__ import annotations

from pathlib import Path

from mlops_radar.advise.cache import Cache
from mlops_radar.advise.index import IndexClient
from mlops_radar.advise.resolver import Target


def _client(tmp_path: Path, platform: str = "linux") -> IndexClient:
    return IndexClient(Target(platform=platform), Cache(tmp_path, enabled=False))


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
    picked = {
        platform: (_client(tmp_path, platform)._choose(files, "2.0") or {}).get("filename")
        for platform in ("linux", "macos", "windows")
    }
    assert picked == {
        "linux": "np-2.0-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
        "macos": "np-2.0-cp311-cp311-macosx_11_0_arm64.whl",
        "windows": "np-2.0-cp311-cp311-win_amd64.whl",
    }
