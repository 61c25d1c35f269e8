"""The advise cache: one SQLite file, shared by threads and processes, never a reason to fail."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mlops_radar.advise.cache import FILENAME, Cache

SRC = Path(__file__).resolve().parents[2] / "src"
KEY = ("https://pypi.org/simple/", "numpy", "2.1.0", "3.11", "linux")


def test_a_value_comes_back_under_its_kind_and_whole_key(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put("release", KEY, {"size_bytes": 12, "requires_dist": ["a>=1"]})
    assert cache.get("release", KEY) == {"size_bytes": 12, "requires_dist": ["a>=1"]}
    assert cache.get("osv", KEY) is None  # another kind
    assert cache.get("release", (*KEY[:-1], "windows")) is None  # another key
    cache.put("release", KEY, {"size_bytes": 13})  # replaced, not added
    assert cache.get("release", KEY) == {"size_bytes": 13}
    cache.close()
    assert Cache(tmp_path).get("release", KEY) == {"size_bytes": 13}  # on disk


def test_an_entry_older_than_asked_for_is_a_miss(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put("osv", KEY, ["GHSA-1"])
    assert cache.get("osv", KEY, max_age=60) == ["GHSA-1"]
    with sqlite3.connect(cache.path) as db:
        db.execute("UPDATE entries SET stored = ?", (time.time() - 3600,))
    assert cache.get("osv", KEY, max_age=60) is None
    assert cache.get("osv", KEY) == ["GHSA-1"]  # no age asked


def test_a_disabled_cache_neither_reads_nor_writes(tmp_path: Path) -> None:
    Cache(tmp_path).put("release", KEY, 1)
    off = Cache(tmp_path, enabled=False)
    assert off.get("release", KEY) is None
    off.put("release", KEY, 2)
    assert Cache(tmp_path).get("release", KEY) == 1


def test_a_file_that_is_not_a_database_is_moved_aside_and_begun_anew(tmp_path: Path) -> None:
    (tmp_path / FILENAME).write_bytes(b"this is not SQLite\n" * 100)
    cache = Cache(tmp_path)
    assert cache.get("release", KEY) is None
    cache.put("release", KEY, 7)
    assert cache.get("release", KEY) == 7
    (aside,) = tmp_path.glob(f"{FILENAME}.broken-*")
    assert aside.read_bytes().startswith(b"this is not SQLite")


def test_an_unreadable_value_is_a_miss(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put("release", KEY, {"a": 1})
    with sqlite3.connect(cache.path) as db:
        db.execute("UPDATE entries SET value = '{not json'")
    assert cache.get("release", KEY) is None


def test_a_cache_in_place_of_a_file_is_skipped_without_an_error(tmp_path: Path) -> None:
    (tmp_path / "blocked").write_text("a file where the cache folder would be")
    cache = Cache(tmp_path / "blocked")
    cache.put("release", KEY, 1)
    assert cache.get("release", KEY) is None


def test_threads_and_another_process_share_the_file(tmp_path: Path) -> None:
    cache = Cache(tmp_path)

    def one(i: int) -> object:
        key = (*KEY[:1], f"p{i}", *KEY[2:])
        cache.put("release", key, i)
        return cache.get("release", key)

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(one, range(200))) == list(range(200))
    script = (
        "import sys; from pathlib import Path; from mlops_radar.advise.cache import Cache;"
        "c = Cache(Path(sys.argv[1])); print(c.get('release', tuple(sys.argv[2:])));"
        "c.put('release', ('from', 'the', 'other'), 'yes')"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path), KEY[0], "p5", *KEY[2:]],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    assert done.stdout.strip() == "5"
    assert cache.get("release", ("from", "the", "other")) == "yes"
