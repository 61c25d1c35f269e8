"""What the package index says about one release: its file's size and its requirements.

The file is the wheel the resolver read where its log names it (`uvlog`), else one chosen from
the project's page (PEP 691 JSON where the index offers it, else PEP 503 HTML): the wheel a fresh
install on the target would take (ranked by `packaging.tags`), else the sdist. Its size is PEP
700's `size`, else what the range reads or the file's Content-Length say; its core metadata the
PEP 658 `.metadata` file, else the METADATA inside the wheel, read as data: by HTTP range
requests (`remotezip`), or by downloading a wheel of up to `MAX_WHEEL_BYTES` where ranges fail.
Unknown stays None. Answers are cached per (index without credentials, package, version,
Python, platform).
"""

from __future__ import annotations

import functools
import io
import ssl
import threading
import zipfile
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from email.parser import HeaderParser
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import httpx
from packaging.tags import Tag, compatible_tags, cpython_tags, mac_platforms
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from mlops_radar.advise.cache import Cache
from mlops_radar.advise.remotezip import remote_wheel_metadata
from mlops_radar.advise.resolver import Target
from mlops_radar.advise.uvlog import Selected

__all__ = ["IndexClient", "Release"]

MAX_WHEEL_BYTES = 20 * 1024 * 1024
SMALL_WHEEL = 256 * 1024  # below this one download costs less than three range requests
WORKERS = 16
HINTS_PER_NAME = 3
_ACCEPT = "application/vnd.pypi.simple.v1+json, text/html;q=0.1"
# The wheel platforms of uv's --python-platform aliases, most preferred first, as uv 0.13 takes
# them (tried on a local index): linux is x86-64 glibc up to 2.28 (manylinux_2_28 down to
# manylinux1, and linux_x86_64; not musl, not a newer glibc), macos is Apple silicon up to macOS
# 13.0 (arm64, and universal2 back to 10.4; not x86_64), windows is 64-bit (win_amd64).
_LEGACY_MANYLINUX = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
_PLATFORM_TAGS = {
    "linux": (
        *(
            name
            for minor in range(28, 4, -1)
            for name in (
                f"manylinux_2_{minor}_x86_64",
                *((f"{_LEGACY_MANYLINUX[minor]}_x86_64",) if minor in _LEGACY_MANYLINUX else ()),
            )
        ),
        "linux_x86_64",
    ),
    "macos": tuple(mac_platforms((13, 0), "arm64")),
    "windows": ("win_amd64",),
}


@dataclass(frozen=True, slots=True)
class Release:
    """One release's file as the index lists it."""

    name: str
    version: str
    filename: str | None
    size_bytes: int | None
    requires_dist: tuple[str, ...] | None  # None: the metadata could not be read

    def as_json(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "size_bytes": self.size_bytes,
            "requires_dist": None if self.requires_dist is None else list(self.requires_dist),
        }


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.files: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        found = dict(attrs)
        href = found.get("href")
        if href:
            metadata = found.get("data-core-metadata") or found.get("data-dist-info-metadata")
            name = href.split("#", 1)[0].rsplit("/", 1)[-1]
            self.files.append({"filename": name, "url": href, "core-metadata": metadata})


def _version_of(filename: str) -> tuple[Version | None, bool, frozenset[Tag]]:
    try:
        _, version, _, tags = parse_wheel_filename(filename)
        return version, True, tags
    except (InvalidWheelFilename, InvalidVersion):
        pass
    try:
        return parse_sdist_filename(filename)[1], False, frozenset()
    except (InvalidSdistFilename, InvalidVersion):
        return None, False, frozenset()


def _spelled_version(filename: str) -> str:
    """The version part of a wheel or sdist name as written (`name-1.2.3-py3-...` -> 1.2.3)."""
    stem = filename.removesuffix(".tar.gz").removesuffix(".zip").removesuffix(".whl")
    parts = stem.split("-")
    return parts[1] if len(parts) > 1 else ""


@functools.lru_cache(maxsize=32)
def _preference(python: str, platform: str) -> dict[Tag, int]:
    """Every wheel tag CPython `python` installs on `platform`, ranked (0 is the most
    preferred), from `packaging.tags`: cp311-cp311 before cp311-abi3 before py3-none, the newest
    platform first, `any` last. A `cp315-abi3` wheel is not for 3.11; `py312` neither."""
    major, minor = (int(part) for part in python.split("."))
    platforms = _PLATFORM_TAGS[platform]
    ranked: dict[Tag, int] = {}
    for tag in (
        *cpython_tags((major, minor), platforms=platforms),
        *compatible_tags((major, minor), platforms=platforms),
    ):
        ranked.setdefault(tag, len(ranked))
    return ranked


def _rank(tags: frozenset[Tag], target: Target) -> int | None:
    """How much the target prefers a wheel of these tags (lower first); None: it cannot
    install it."""
    preference = _preference(target.python, target.platform)
    ranks = [preference[tag] for tag in tags if tag in preference]
    return min(ranks) if ranks else None


_TLS_LOCK = threading.Lock()
_TLS: list[ssl.SSLContext] = []


def _tls_context() -> ssl.SSLContext:
    """One TLS context for the process, as httpx makes it by default (certifi's CA bundle, or
    `SSL_CERT_FILE` / `SSL_CERT_DIR`): reading the bundle costs ~20 ms a client."""
    with _TLS_LOCK:
        if not _TLS:
            _TLS.append(httpx.create_ssl_context(verify=True, trust_env=True))
        return _TLS[0]


def _declares_metadata(item: dict[str, Any]) -> bool:
    return bool(item.get("core-metadata") or item.get("dist-info-metadata"))


@dataclass(frozen=True, slots=True)
class _Address:
    """The wheel the resolver read for a release, as its log named it."""

    url: str
    metadata_file: bool


class IndexClient:
    """Release facts from one package index, through the cache."""

    def __init__(self, target: Target, cache: Cache, *, client: httpx.Client | None = None) -> None:
        self.target = target
        self.cache = cache
        self._client = client
        self._known: dict[tuple[str, str], Release] = {}
        self._pending: dict[tuple[str, str], Future[Release]] = {}
        self._hinted: dict[str, int] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._client_lock = threading.Lock()
        # uv masks an index's credentials in its log: addresses from it would fail to authenticate
        self._trust_log = target.public_index_url == target.index_url

    @property
    def client(self) -> httpx.Client:
        """The HTTP client, made on first use (a warm cache needs none). Its own lock: making
        the first one in a process takes 60-80 ms (httpx's transport imports, the CA bundle),
        and `start`, called from the thread that drains uv's log, must not wait for that."""
        with self._client_lock:
            if self._client is None:
                timeout = min(self.target.timeout, 30.0)
                self._client = httpx.Client(
                    timeout=timeout, follow_redirects=True, verify=_tls_context()
                )
            return self._client

    def warm_up(self) -> None:
        """Make the HTTP client in the background now (while the resolver starts), so the first
        release fetched does not wait for it."""
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=WORKERS)
            self._pool.submit(lambda: self.client)

    def close(self) -> None:
        """Drop fetches not started, wait for those under way, close the connection pool."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._client is not None:
            self._client.close()

    def hint(self, selected: Selected) -> None:
        """`start` for a release uv's log says it selected (the resolver's `on_selected`)."""
        self.start(selected.name, selected.version, selected.file_url, selected.metadata_file)

    def start(
        self,
        name: str,
        version: str,
        file_url: str | None = None,
        metadata_file: bool = False,
    ) -> None:
        """Begin fetching one release in the background (a later `release` call waits for it);
        called while the resolver still runs, so fetching overlaps resolving. With `file_url`
        (the wheel the resolver read, `metadata_file` if it read its PEP 658 file) the project's
        page is not read unless that file fails. A resolver that backtracks through many
        versions of one package gets `HINTS_PER_NAME` of them fetched ahead (each reads the
        project's page, which for numpy is 2 MB); the rest wait for its final answer."""
        key = (name, version)
        with self._lock:
            if key in self._known or key in self._pending:
                return
            self._hinted[name] = self._hinted.get(name, 0) + 1
            if self._hinted[name] > HINTS_PER_NAME:
                return
            cached = self._cached(name, version)  # a warm cache: no thread, no client
            if cached is not None:
                self._known[key] = cached
                return
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=WORKERS)
            address = _Address(file_url, metadata_file) if file_url and self._trust_log else None
            self._pending[key] = self._pool.submit(self._release, name, version, address)

    def prefetch(self, picked: Mapping[str, str]) -> None:
        """Ask for every release of `picked` at once (threads), so later calls are memory hits."""
        for name, version in picked.items():
            self.start(name, version)
        for name, version in picked.items():
            self.release(name, version)

    def _files(self, name: str) -> tuple[str, list[dict[str, Any]]] | None:
        url = urljoin(self.target.index_url.rstrip("/") + "/", f"{canonicalize_name(name)}/")
        try:
            answer = self.client.get(url, headers={"Accept": _ACCEPT})
        except httpx.HTTPError:
            return None
        if answer.status_code != 200:
            return None
        if "json" in answer.headers.get("content-type", ""):
            try:
                data = answer.json()
            except ValueError:
                return None
            files = data.get("files") if isinstance(data, dict) else None
            return str(answer.url), [f for f in files or () if isinstance(f, dict)]
        parser = _Anchors()
        parser.feed(answer.text)
        return str(answer.url), parser.files

    def exists(self, name: str) -> bool | None:
        """Whether the index lists the project (None when it cannot be asked)."""
        try:
            answer = self.client.get(
                urljoin(self.target.index_url.rstrip("/") + "/", f"{canonicalize_name(name)}/"),
                headers={"Accept": _ACCEPT},
            )
        except httpx.HTTPError:
            return None
        return answer.status_code == 200

    def _choose(self, files: list[dict[str, Any]], version: str) -> dict[str, Any] | None:
        try:
            wanted = Version(version)
        except InvalidVersion:
            return None
        # A popular project lists thousands of files (botocore: ~5,000) and parsing each name
        # costs more than fetching the page: first only the files whose name spells the version
        # as given, all of them when none does (a version written another way, 1.0 as 1.0.0).
        needle = f"-{version}"
        spelled = [
            f
            for f in files
            if needle in str(f.get("filename", ""))
            and _spelled_version(str(f.get("filename", ""))) == version
        ]
        chosen = self._choose_among(spelled, wanted)
        return chosen if chosen is not None else self._choose_among(files, wanted)

    def _choose_among(self, files: list[dict[str, Any]], wanted: Version) -> dict[str, Any] | None:
        """The wheel of `wanted` the target prefers (as an installer ranks tags), else its sdist."""
        sdist = None
        best: tuple[int, dict[str, Any]] | None = None
        for item in files:
            found, is_wheel, tags = _version_of(str(item.get("filename", "")))
            if found != wanted or item.get("yanked") not in (None, False):
                continue
            rank = _rank(tags, self.target) if is_wheel else None
            if rank is not None and (best is None or rank < best[0]):
                best = (rank, item)
            if not is_wheel and sdist is None:
                sdist = item
        return best[1] if best is not None else sdist

    def _head_size(self, url: str) -> int | None:
        """The file's Content-Length, by a HEAD (None when it cannot be told)."""
        try:
            answer = self.client.head(url)
            length = answer.headers.get("content-length")
            return int(length) if answer.status_code == 200 and length else None
        except (httpx.HTTPError, ValueError):
            return None

    def _metadata_file(self, url: str) -> str | None:
        """The PEP 658 metadata file of the file at `url` (None where it fails). Asked for only
        where the page declares one: a mirror was measured taking 120 ms to answer each 404,
        twice what reading the wheel's METADATA by range requests costs."""
        try:
            answer = self.client.get(url + ".metadata")
        except httpx.HTTPError:
            return None
        text = answer.text if answer.status_code == 200 else None
        if text is not None and not text.lstrip().startswith("Metadata-Version:"):
            return None  # a host that answers 200 with a page for any path
        return text

    def _wheel_metadata(self, url: str, size: int | None) -> tuple[str | None, int | None]:
        """METADATA from inside the wheel, and the wheel's size where that told it: by range
        requests for a wheel past `SMALL_WHEEL` bytes (or of unknown size), else, or when
        ranges fail, by downloading a wheel of up to `MAX_WHEEL_BYTES`."""
        if size is None or size > SMALL_WHEEL:
            text, learnt = remote_wheel_metadata(self.client, url)
            size = size if size is not None else learnt
            if text is not None or size is None or size > MAX_WHEEL_BYTES:
                return text, size
        try:
            answer = self.client.get(url)
            if answer.status_code != 200:
                return None, size
            with zipfile.ZipFile(io.BytesIO(answer.content)) as wheel:
                member = next(
                    (
                        n
                        for n in wheel.namelist()
                        if n.count("/") == 1 and n.endswith(".dist-info/METADATA")
                    ),
                    None,
                )
                text = wheel.read(member).decode("utf-8", "replace") if member else None
                return text, len(answer.content)
        except (httpx.HTTPError, zipfile.BadZipFile, OSError, KeyError):
            return None, size

    def release(self, name: str, version: str) -> Release:
        """The release's file, size and requirements (None where unknown), through the cache."""
        key = (name, version)
        known = self._known.get(key)
        if known is None:
            with self._lock:
                pending = self._pending.pop(key, None)
            known = pending.result() if pending is not None else self._release(name, version)
            self._known[key] = known
        return known

    def _key(self, name: str, version: str) -> tuple[str, ...]:
        return (
            self.target.public_index_url,
            canonicalize_name(name),
            version,
            self.target.python,
            self.target.platform,
        )

    def _cached(self, name: str, version: str) -> Release | None:
        cached = self.cache.get("release", self._key(name, version))
        if not isinstance(cached, dict):
            return None
        requires = cached.get("requires_dist")
        return Release(
            name,
            version,
            cached.get("filename"),
            cached.get("size_bytes"),
            None if requires is None else tuple(requires),
        )

    def _release(self, name: str, version: str, address: _Address | None = None) -> Release:
        cached = self._cached(name, version)
        if cached is not None:
            return cached
        key = self._key(name, version)
        release = None
        item = self._from_address(name, version, address) if address is not None else None
        if item is not None:
            release = self._read(name, version, item, str(item["url"]))
            if release.size_bytes is None or release.requires_dist is None:
                release = None  # the file the log named failed: the page says again
        if release is None:
            listing = self._files(name)
            item = self._choose(listing[1], version) if listing else None
            if listing is None or item is None:
                return Release(name, version, None, None, None)  # not cached: may be transient
            release = self._read(name, version, item, urljoin(listing[0], str(item.get("url", ""))))
        if release.size_bytes is not None and release.requires_dist is not None:
            self.cache.put("release", key, release.as_json())
        return release

    def _from_address(self, name: str, version: str, address: _Address) -> dict[str, Any] | None:
        """The page entry for the wheel the resolver's log named, if it is a wheel of this
        release that fits the target (else None: the page is read instead)."""
        filename = unquote(urlsplit(address.url).path.rsplit("/", 1)[-1])
        try:
            wheel_name, found, _, tags = parse_wheel_filename(filename)
            wanted = Version(version)
        except (InvalidWheelFilename, InvalidVersion):
            return None
        if canonicalize_name(wheel_name) != canonicalize_name(name) or found != wanted:
            return None
        if _rank(tags, self.target) is None:
            return None
        return {
            "filename": filename,
            "url": address.url,
            "core-metadata": "true" if address.metadata_file else None,
        }

    def _read(self, name: str, version: str, item: dict[str, Any], url: str) -> Release:
        """Size and requirements of the chosen file, in as few requests as the index allows.

        PEP 700's size where the page gives it, else what reading the wheel tells: its end
        (one range request; the whole file where the server ignores ranges and the wheel is
        small) gives the size and, in most wheels, the METADATA, so a page that declares a
        metadata file costs one request instead of a HEAD and that file (measured 2026-12-08 on
        the benchmark's local index, 123 releases read by one thread: 246 requests -> 123, CPU
        0.26-0.34 s -> 0.20-0.22 s). The metadata file, else the METADATA by more ranges (or a
        download), where that end did not hold it; a HEAD only when nothing else told the size.
        A server that ignores ranges answers with the whole wheel: one of up to `SMALL_WHEEL`
        bytes is read, a larger one left after its headers (they gave the size)."""
        plain = url.split("#", 1)[0]
        declared = item.get("size")
        size = declared if isinstance(declared, int) and declared >= 0 else None
        wheel = str(item.get("filename", "")).endswith(".whl")
        has_file = _declares_metadata(item)
        text = None
        if size is None and wheel and has_file:
            text, size = remote_wheel_metadata(
                self.client, plain, max_requests=1, max_whole=SMALL_WHEEL
            )
        if text is None and has_file:
            text = self._metadata_file(plain)
        if text is None and wheel:
            text, learnt = self._wheel_metadata(plain, size)
            size = size if size is not None else learnt
        if size is None:
            size = self._head_size(plain)
        requires = None
        if text is not None:
            requires = tuple(HeaderParser().parsestr(text).get_all("Requires-Dist") or ())
        return Release(name, version, str(item.get("filename")), size, requires)
