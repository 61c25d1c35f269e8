"""The footprint reads each release from the wheel uv's log names, not from the project's index
page (which for numpy is 2 MB), and falls back to the page where the log names none or the
file fails; a local index on 127.0.0.1 that records who asked for what."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from localindex import UNIVERSE, Dist, serve_index, write_index

from mlops_radar.advise.cache import FILENAME, Cache
from mlops_radar.advise.index import IndexClient
from mlops_radar.advise.lockin import load_cloud_sdks
from mlops_radar.advise.requirements import from_arguments
from mlops_radar.advise.resolver import Target, resolve
from mlops_radar.advise.stack import CheckOptions, StackCheck, check_stack
from mlops_radar.advise.uvlog import Selected

Asked = list[tuple[str, str, str]]


@contextmanager
def _index(tmp_path: Path, *, core_metadata: bool) -> Iterator[tuple[str, Path, Asked]]:
    folder = write_index(tmp_path / "index", UNIVERSE, core_metadata=core_metadata)
    asked: Asked = []
    with serve_index(folder, asked) as url:
        yield url, folder, asked


def _check(url: str, root: Path, *tools: str) -> StackCheck:
    target = Target(index_url=url, timeout=60, cache_dir=root / "uv")
    return check_stack(
        from_arguments(tools), [], target, load_cloud_sdks(), Cache(root), CheckOptions()
    )


def _ours(asked: Asked) -> list[tuple[str, str]]:
    """The requests of mlops-radar's own client (uv says `uv/...`)."""
    return [(method, path) for method, path, agent in asked if agent.startswith("python-httpx")]


def _footprints(result: StackCheck) -> str:
    return json.dumps({k: v.as_json() for k, v in result.footprints.items()}, sort_keys=True)


def test_the_wheels_uv_read_are_read_without_their_pages(tmp_path: Path) -> None:
    with _index(tmp_path, core_metadata=True) as (url, folder, asked):
        fast = _check(url, tmp_path / "fast", "cloudy", "beta")
        ours = _ours(asked)
        # the same index behind credentials: uv masks them in its log, so every page is read
        host = url.removeprefix("http://")
        asked.clear()
        paged = _check(f"http://reader:secret@{host}", tmp_path / "paged", "cloudy", "beta")
        ours_paged = _ours(asked)
    assert fast.compatible
    assert paged.compatible
    assert len(fast.picked) == 5
    pages = [path for method, path in ours if path.endswith("/")]
    assert pages == []
    # one request a release: the wheel's end, which tells its size and holds its METADATA (this
    # index ignores ranges and answers small wheels whole); no HEAD, no metadata file needed
    assert sorted(ours) == sorted(
        ("GET", f"/{n}/{n}-{v}-py3-none-any.whl") for n, v in fast.picked.items()
    )
    assert len([p for m, p in ours_paged if p.endswith("/")]) == 5  # the fallback: one page each
    assert _footprints(fast) == _footprints(paged)
    storekit = next(folder.glob("storekit/*.whl"))
    sizes = {r.name: r.size_bytes for r in _releases(url, tmp_path / "fast", fast)}
    assert sizes["storekit"] == storekit.stat().st_size


def _releases(url: str, root: Path, result: StackCheck) -> list:  # type: ignore[type-arg]
    client = IndexClient(Target(index_url=url, cache_dir=root / "uv"), Cache(root))
    try:
        return [client.release(n, v) for n, v in result.picked.items()]  # from the cache
    finally:
        client.close()


def test_without_metadata_files_the_range_reads_also_give_the_size(tmp_path: Path) -> None:
    # a mirror that declares no PEP 658 files: uv and we both read ranges of each wheel
    with _index(tmp_path, core_metadata=False) as (url, folder, asked):
        result = _check(url, tmp_path / "c", "cloudy", "beta")
    ours = _ours(asked)
    assert result.compatible
    assert not [p for m, p in ours if p.endswith("/")]  # no pages
    assert not [p for m, p in ours if m == "HEAD"]  # the first range answer told the size
    for release in _releases(url, tmp_path / "c", result):
        wheel = folder / release.name / str(release.filename)
        assert release.size_bytes == wheel.stat().st_size
        assert release.requires_dist is not None


def test_an_address_that_fails_falls_back_to_the_page(tmp_path: Path) -> None:
    with _index(tmp_path, core_metadata=True) as (url, _, asked):
        client = IndexClient(Target(index_url=url), Cache(tmp_path, enabled=False))
        try:
            gone = f"{url}beta/beta-1.0-py3-none-any.whl.gone"
            client.start("beta", "1.0", f"{url}beta/beta-1.0-py3-none-any.whl", True)
            missing = client.release("beta", "1.0")
            client.start("alpha", "1.0", gone, False)  # not a wheel of alpha 1.0
            other = client.release("alpha", "1.0")
            client.start("common", "1.5", f"{url}nowhere/common-1.5-py3-none-any.whl", True)
            moved = client.release("common", "1.5")
        finally:
            client.close()
    assert missing.requires_dist == ("common<2", 'boto3>=1.28 ; extra == "s3"')
    assert other.requires_dist == ("common>=1,<2",)
    assert moved.requires_dist == ()  # the address 404s: the page tells where the wheel is
    assert moved.size_bytes is not None
    ours = _ours(asked)
    assert ("GET", "/nowhere/common-1.5-py3-none-any.whl.metadata") in ours
    assert ("GET", "/common/") in ours
    assert ("GET", "/alpha/") in ours
    assert ("GET", "/beta/") not in ours


def test_the_index_credentials_are_not_written_to_the_cache(tmp_path: Path) -> None:
    with _index(tmp_path, core_metadata=True) as (url, _, _):
        host = url.removeprefix("http://")
        result = _check(f"http://reader:s3cret-word@{host}", tmp_path / "c", "alpha")
    assert result.compatible
    with sqlite3.connect(tmp_path / "c" / FILENAME) as db:
        rows = db.execute("SELECT kind, key, value FROM entries").fetchall()
    assert [kind for kind, _, _ in rows if kind == "release"]
    assert not any("s3cret-word" in part for row in rows for part in row)
    raw = [p.read_bytes() for p in (tmp_path / "c").glob(f"{FILENAME}*")]  # the WAL too
    assert raw
    assert not any(b"s3cret-word" in data for data in raw)


def test_the_page_path_takes_the_wheel_uv_takes(tmp_path: Path) -> None:
    # one release with wheels for many machines: the file our page reading chooses is the one
    # uv selects, for each of uv's platform aliases (its `Selecting:` line names it)
    folder = write_index(tmp_path / "index", [Dist("multi", "1.0")])
    (plain,) = (folder / "multi").glob("*.whl")
    tags = (
        "cp311-cp311-manylinux_2_34_x86_64",
        "cp311-cp311-musllinux_1_2_x86_64",
        "cp311-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64",
        "cp311-cp311-manylinux_2_28_x86_64",
        "cp315-abi3-manylinux_2_28_x86_64",
        "cp311-cp311-manylinux_2_28_aarch64",
        "cp311-cp311-macosx_14_0_arm64",
        "cp311-cp311-macosx_12_0_arm64",
        "cp311-cp311-macosx_10_9_x86_64",
        "cp311-cp311-macosx_10_9_universal2",
        "cp311-cp311-win32",
        "cp311-cp311-win_amd64",
        "cp310-abi3-win_amd64",
    )
    names = [f"multi-1.0-{tag}.whl" for tag in tags]
    for name in names:
        shutil.copy(plain, folder / "multi" / name)
        shutil.copy(f"{plain}.metadata", folder / "multi" / f"{name}.metadata")
    plain.unlink()
    Path(f"{plain}.metadata").unlink()
    links = "".join(f'<a href="{n}" data-core-metadata="true">{n}</a>\n' for n in names)
    (folder / "multi" / "index.html").write_text(f"<html><body>\n{links}</body></html>\n")
    with serve_index(folder) as url:
        for platform in ("linux", "macos", "windows"):
            target = Target(platform=platform, index_url=url, cache_dir=tmp_path / platform)
            seen: list[Selected] = []
            assert resolve(["multi"], target, on_selected=seen.append).ok
            client = IndexClient(target, Cache(tmp_path, enabled=False))
            try:
                ours = client.release("multi", "1.0").filename
            finally:
                client.close()
            (uv_took,) = {s.file_url.rsplit("/", 1)[-1] for s in seen if s.file_url}
            assert ours == uv_took, platform
