"""A maintained resolver run in a subprocess: uv (`uv pip compile`), else pip
(`pip install --dry-run --ignore-installed --report`), with a timeout, in a throwaway folder.

Requirements reach the resolver on its standard input (uv) or in a file we write (pip), never
through a shell; the user's environment, configuration and uv cache are not used. Only wheels
are considered unless `Target.allow_builds`, so resolving runs no package's build code. The
result is the versions picked and, for each package, the packages that require it (the graph a
footprint walks), or the resolver's own explanation of why no solution exists.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from mlops_radar.advise.errors import AdviseError
from mlops_radar.advise.uvlog import OnSelected, UvLog

__all__ = [
    "PYPI",
    "Resolution",
    "Target",
    "find_uv",
    "marker_environment",
    "resolve",
    "unreachable",
]

PYPI = "https://pypi.org/simple/"
ROOT = "-r"  # the parent of a package asked for directly
# --python-platform names of uv, and the pip --platform tags that match them
_PIP_PLATFORMS = {
    "linux": ("manylinux_2_28_x86_64", "manylinux2014_x86_64", "linux_x86_64"),
    "macos": ("macosx_13_0_arm64",),  # pip widens it to older macOS and to universal2, as uv does
    "windows": ("win_amd64",),
}
_MARKER_PLATFORM = {"linux": "linux", "macos": "darwin", "windows": "win32"}


@dataclass(frozen=True, slots=True)
class Target:
    """Where the stack would be installed, and how long the resolver may take."""

    python: str = "3.11"
    platform: str = "linux"
    index_url: str = PYPI
    timeout: float = 120.0
    cache_dir: Path | None = None  # the resolver's own cache (ours, never the user's)
    # False: wheels only, so resolving never runs a package's build code (setup.py); True lets
    # uv build sdists for their metadata (their code runs, in uv's isolated build environment)
    allow_builds: bool = False

    @property
    def public_index_url(self) -> str:
        """The index URL without its credentials (`https://user:token@host/` -> `https://host/`),
        for messages and cache keys: what the user typed stays out of output and files."""
        parts = urlsplit(self.index_url)
        if "@" not in parts.netloc:
            return self.index_url
        return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))

    def __post_init__(self) -> None:
        if self.platform not in _PIP_PLATFORMS:
            raise AdviseError(
                f"platform {self.platform!r}: expected one of {', '.join(_PIP_PLATFORMS)}"
            )
        parts = self.python.split(".")
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            raise AdviseError(f"python {self.python!r}: expected MAJOR.MINOR, e.g. 3.11")


@dataclass(frozen=True, slots=True)
class Resolution:
    """One resolver run: the versions picked and who needs what, or why nothing fits."""

    ok: bool
    resolver: str  # "uv" or "pip"
    seconds: float  # the resolver subprocess's wall time
    picked: dict[str, str] = field(default_factory=dict)  # canonical name -> version
    parents: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name -> who requires it
    message: str = ""  # the resolver's explanation when not ok

    def children(self) -> dict[str, tuple[str, ...]]:
        """name -> the picked packages it requires (the graph, top down)."""
        down: dict[str, list[str]] = {name: [] for name in self.picked}
        for name, parents in self.parents.items():
            for parent in parents:
                if parent in down:
                    down[parent].append(name)
        return {name: tuple(sorted(kids)) for name, kids in down.items()}


_MARKER_SYSTEM = {"linux": "Linux", "macos": "Darwin", "windows": "Windows"}
# uv's aliases: linux = x86_64-unknown-linux-gnu, macos = aarch64-apple-darwin,
# windows = x86_64-pc-windows-msvc
_MARKER_MACHINE = {"linux": "x86_64", "macos": "arm64", "windows": "AMD64"}


def marker_environment(target: Target) -> dict[str, str]:
    """The PEP 508 marker values of the target (Python and platform, CPython, on the machine
    uv's platform alias means: x86-64 for linux and windows, Apple silicon for macos)."""
    return {
        "python_version": target.python,
        "python_full_version": f"{target.python}.0",
        "sys_platform": _MARKER_PLATFORM[target.platform],
        "platform_system": _MARKER_SYSTEM[target.platform],
        "os_name": "nt" if target.platform == "windows" else "posix",
        "platform_machine": _MARKER_MACHINE[target.platform],
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "extra": "",
    }


def find_uv() -> str | None:
    """The uv binary: the one the `uv` wheel ships, else one on PATH."""
    try:
        from uv import find_uv_bin  # the uv wheel's own locator

        return str(find_uv_bin())
    except (ImportError, FileNotFoundError):
        return shutil.which("uv")


def _env(target: Target, folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UV_", "PIP_"))}
    cache = target.cache_dir or folder / "cache"
    env.update(UV_CACHE_DIR=str(cache), UV_NO_PROGRESS="1", NO_COLOR="1")
    env.update(UV_PYTHON_DOWNLOADS="never")  # resolving for another Python needs no download
    env.update(PIP_CACHE_DIR=str(cache / "pip"), PIP_NO_INPUT="1")
    return env


def _no_answer(target: Target) -> AdviseError:
    return AdviseError(
        f"the resolver gave no answer within {target.timeout:g} s "
        f"(is the package index {target.index_url} reachable?); try --timeout"
    )


def _cannot_run(command: Sequence[str], exc: OSError) -> AdviseError:
    return AdviseError(f"cannot run the resolver {command[0]}: {exc.strerror}")


def _run(
    command: Sequence[str], stdin: str, target: Target, folder: Path
) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.perf_counter()
    try:
        done = subprocess.run(  # noqa: S603 - fixed argv, requirements validated, no shell
            list(command),
            input=stdin,
            capture_output=True,
            text=True,
            cwd=folder,
            env=_env(target, folder),
            timeout=target.timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise _no_answer(target) from exc
    except OSError as exc:
        raise _cannot_run(command, exc) from exc
    return done, time.perf_counter() - started


def uv_command(uv: str, target: Target) -> list[str]:
    """The `uv pip compile` argv reading requirements from stdin."""
    return [
        uv,
        "pip",
        "compile",
        "-",
        "--no-config",
        "--color",
        "never",
        "--no-header",
        "--annotation-style",
        "line",
        "--index-url",
        target.index_url,
        "--python-version",
        target.python,
        "--python-platform",
        target.platform,
        # an interpreter given saves uv's discovery; with wheels only it runs nothing
        "--python",
        sys.executable,
        *(() if target.allow_builds else ("--only-binary", ":all:")),
    ]


def _run_streaming(
    command: Sequence[str], stdin: str, target: Target, folder: Path, on_selected: OnSelected
) -> tuple[subprocess.CompletedProcess[str], float]:
    """`_run` for `uv -v`: each release uv's log says it selects is handed to `on_selected`
    while uv still resolves (so index facts can be fetched alongside; `uvlog`); the log lines
    are dropped from the stderr returned, which then reads as without `-v`."""
    started = time.perf_counter()
    try:
        process = subprocess.Popen(  # noqa: S603 - fixed argv, requirements validated, no shell
            list(command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            cwd=folder,
            env=_env(target, folder),
        )
    except OSError as exc:
        raise _cannot_run(command, exc) from exc
    out: list[str] = []
    kept: list[str] = []
    timed_out = threading.Event()

    def kill() -> None:
        timed_out.set()
        process.kill()

    # all three are pipes (PIPE above), never None
    stdin_pipe, stdout_pipe, stderr_pipe = process.stdin, process.stdout, process.stderr
    if stdin_pipe is None or stdout_pipe is None or stderr_pipe is None:  # pragma: no cover
        raise AdviseError(f"cannot talk to the resolver {command[0]}")

    def read_stdout() -> None:
        out.append(stdout_pipe.read())

    timer = threading.Timer(target.timeout, kill)
    reader = threading.Thread(target=read_stdout, daemon=True)
    timer.start()
    reader.start()
    try:
        try:
            stdin_pipe.write(stdin)
            stdin_pipe.close()
        except OSError:  # uv exited before reading: its stderr says why
            with contextlib.suppress(OSError):
                stdin_pipe.close()
        log = UvLog(on_selected)
        for line in stderr_pipe:
            if not log.feed(line):
                kept.append(line)
        process.wait()
        log.finish()
    finally:
        timer.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join()
        stdout_pipe.close()
        stderr_pipe.close()
    if timed_out.is_set():
        raise _no_answer(target)
    done = subprocess.CompletedProcess(
        list(command), process.returncode, "".join(out), "".join(kept)
    )
    return done, time.perf_counter() - started


def _parse_uv(output: str) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    picked: dict[str, str] = {}
    parents: dict[str, tuple[str, ...]] = {}
    for line in output.splitlines():
        pin, _, via = line.partition("# via")
        pin = pin.strip()
        if not pin or pin.startswith("#") or "==" not in pin:
            continue
        name, _, version = pin.partition("==")
        name = canonicalize_name(name.split("[")[0])
        picked[name] = version.split(";")[0].strip()
        who = [p.strip() for p in via.split(",") if p.strip()]
        parents[name] = tuple(ROOT if p.startswith("-r") else canonicalize_name(p) for p in who)
    for name in picked:
        parents.setdefault(name, ())
        if not parents[name]:
            parents[name] = (ROOT,)
    return picked, parents


def _explanation(stderr: str) -> str:
    lines = [line.rstrip() for line in stderr.splitlines()]
    # from uv's verdict on (what comes before is progress or a stray line of `-v`'s log)
    start = next((i for i, line in enumerate(lines) if "No solution found" in line), 0)
    lines = lines[start:]
    kept = [line for line in lines if line.strip() and not line.lstrip().startswith("hint:")]
    return "\n".join(kept)


_UNREACHABLE = ("Failed to fetch", "error sending request", "Request failed after")


def unreachable(stderr: str, target: Target) -> AdviseError | None:
    """An error for a resolver that could not talk to the index (not a conflict), else None."""
    if "No solution found" in stderr or not any(m in stderr for m in _UNREACHABLE):
        return None
    causes = [line.strip() for line in stderr.splitlines() if line.strip().startswith("cause:")]
    detail = causes[-1].removeprefix("cause:").strip() if causes else stderr.strip()[:200]
    return AdviseError(f"the package index {target.public_index_url} could not be read: {detail}")


def _resolve_uv(
    uv: str,
    requirements: Sequence[str],
    target: Target,
    folder: Path,
    on_selected: OnSelected | None = None,
) -> Resolution:
    stdin = "\n".join(requirements) + "\n"
    if on_selected is None:
        done, seconds = _run(uv_command(uv, target), stdin, target, folder)
    else:
        command = [*uv_command(uv, target), "--verbose"]
        done, seconds = _run_streaming(command, stdin, target, folder, on_selected)
    if done.returncode == 0:
        picked, parents = _parse_uv(done.stdout)
        return Resolution(True, "uv", seconds, picked, parents)
    error = unreachable(done.stderr, target)
    if error is not None:
        raise error
    return Resolution(False, "uv", seconds, message=_explanation(done.stderr))


def pip_command(requirements_file: Path, report: Path, target: Target, folder: Path) -> list[str]:
    """The pip dry-run argv: a report of what a fresh install into an empty target would pick."""
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--dry-run",
        "--ignore-installed",
        "--isolated",
        "--disable-pip-version-check",
        "--quiet",
        "--report",
        str(report),
        "--index-url",
        target.index_url,
        "--target",
        str(folder / "target"),
        "--python-version",
        target.python,
        "--only-binary",
        ":all:",
    ]
    for tag in _PIP_PLATFORMS[target.platform]:
        command += ["--platform", tag]
    return [*command, "-r", str(requirements_file)]


def _pip_graph(report: dict[str, object], target: Target) -> Resolution:
    items = report.get("install")
    picked: dict[str, str] = {}
    parents: dict[str, list[str]] = {}
    installs = [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
    for item in installs:
        meta = item.get("metadata") or {}
        name = canonicalize_name(str(meta.get("name")))
        picked[name] = str(meta.get("version"))
        parents[name] = [ROOT] if item.get("requested") else []
    environment = marker_environment(target)
    for item in installs:
        meta = item.get("metadata") or {}
        name = canonicalize_name(str(meta.get("name")))
        extras = [""] + [str(e) for e in item.get("requested_extras") or ()]
        for text in meta.get("requires_dist") or ():
            try:
                requirement = Requirement(str(text))
            except InvalidRequirement:
                continue
            marker: Marker | None = requirement.marker
            if marker is not None and not any(
                marker.evaluate({**environment, "extra": e}) for e in extras
            ):
                continue
            child = canonicalize_name(requirement.name)
            if child in parents and name not in parents[child]:
                parents[child].append(name)
    graph = {k: tuple(v) for k, v in parents.items()}
    return Resolution(True, "pip", 0.0, picked, graph)


def _pip_explanation(stderr: str) -> str:
    lines = [line.rstrip() for line in stderr.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if "conflict is caused by" in line), None)
    if start is None:
        return "\n".join(line for line in lines if not line.startswith("WARNING"))
    end = next((i for i in range(start, len(lines)) if "To fix this" in lines[i]), len(lines))
    return "\n".join(lines[start:end])


def _resolve_pip(requirements: Sequence[str], target: Target, folder: Path) -> Resolution:
    wanted, report = folder / "requirements.txt", folder / "report.json"
    wanted.write_text("\n".join(requirements) + "\n", encoding="utf-8")
    done, seconds = _run(pip_command(wanted, report, target, folder), "", target, folder)
    if done.returncode != 0 or not report.exists():
        return Resolution(False, "pip", seconds, message=_pip_explanation(done.stderr))
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AdviseError(f"pip wrote an unreadable report: {exc}") from exc
    result = _pip_graph(data if isinstance(data, dict) else {}, target)
    return Resolution(True, "pip", seconds, result.picked, result.parents)


def resolve(
    requirements: Sequence[str],
    target: Target,
    *,
    resolver: str = "auto",
    on_selected: OnSelected | None = None,
) -> Resolution:
    """Resolve validated PEP 508 `requirements` for `target` with uv (or pip if uv is missing,
    or when `resolver="pip"`), in a throwaway folder. With uv, `on_selected(Selected)` is
    called for each candidate uv selects while it resolves (a hint: uv may backtrack, the
    result's `picked` is what counts); pip gives no such hint."""
    uv = find_uv() if resolver in ("auto", "uv") else None
    if resolver == "uv" and uv is None:
        raise AdviseError("uv is not installed (pip install uv), or use --resolver pip")
    with tempfile.TemporaryDirectory(prefix="mlops-radar-resolve-") as tmp:
        folder = Path(tmp)
        if uv is not None:
            return _resolve_uv(uv, requirements, target, folder, on_selected)
        return _resolve_pip(requirements, target, folder)
