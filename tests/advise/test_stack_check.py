"""stack-check against a local package index on 127.0.0.1 (tiny wheels written by the test)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from localindex import hanging_index, osv_server

from mlops_radar.advise.cache import Cache
from mlops_radar.advise.errors import AdviseError
from mlops_radar.advise.lockin import load_cloud_sdks
from mlops_radar.advise.requirements import from_arguments, read_requirements
from mlops_radar.advise.resolver import Target, find_uv, resolve
from mlops_radar.advise.stack import CheckOptions, check_stack

SRC = Path(__file__).resolve().parents[2] / "src"


def _check(
    target: Target, cache: Cache, *packages: str, stack_file: Path | None = None, **options: object
):  # type: ignore[no-untyped-def]
    stack = read_requirements(stack_file) if stack_file else []
    return check_stack(
        from_arguments(packages), stack, target, load_cloud_sdks(), cache, CheckOptions(**options)
    )  # type: ignore[arg-type]


def _cli(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "MLOPS_RADAR_CACHE": str(cache)}
    return subprocess.run(
        [sys.executable, "-m", "mlops_radar", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_uv_is_there() -> None:
    assert find_uv() is not None  # the `uv` wheel is a dependency


def test_compatible_pair_gives_the_versions_picked(target: Target, cache: Cache) -> None:
    result = _check(target, cache, "alpha", "beta")
    assert result.compatible
    assert result.picked == {
        "alpha": "1.0",
        "beta": "1.0",
        "common": "1.5",
    }  # beta pulls alpha down
    assert result.conflicts == ()
    assert result.footprints["alpha"].tree == {"common": 1}
    kinds = {
        (c["package"], c["requirement"], c["kind"]) for c in result.footprints["beta"].constraints
    }
    assert kinds == {("beta 1.0", "common<2", "upper bound")}


def test_conflicting_pair_is_explained_in_ten_lines_with_its_chain(
    target: Target, cache: Cache
) -> None:
    result = _check(target, cache, "beta", "gamma")
    assert not result.compatible
    (conflict,) = result.conflicts
    assert 1 <= len(conflict.text.splitlines()) <= 10
    assert set(conflict.chain) == {"beta depends on common<2", "gamma depends on common>=2"}
    assert conflict.requirement in ("common<2", "common>=2")
    assert "beta" in conflict.text
    assert "gamma" in conflict.text
    assert conflict.packages == ("beta", "gamma")


def test_uv_hints_each_selection_while_it_resolves(target: Target) -> None:
    hints: list[tuple[str, str]] = []
    result = resolve(
        ["alpha", "beta"], target, on_selected=lambda s: hints.append((s.name, s.version))
    )
    assert result.ok
    assert set(result.picked.items()) <= set(hints)  # every version picked was hinted
    quiet = resolve(["alpha", "beta"], target)
    assert replace(result, seconds=0.0) == replace(quiet, seconds=0.0)


def test_uv_log_lines_stay_out_of_the_conflict_explanation(target: Target) -> None:
    quiet = resolve(["beta", "gamma"], target)
    hinted = resolve(["beta", "gamma"], target, on_selected=lambda s: None)
    assert not quiet.ok
    assert not hinted.ok
    assert hinted.message == quiet.message
    assert "DEBUG" not in hinted.message


def test_stack_pin_is_named_with_file_and_line(
    target: Target, cache: Cache, tmp_path: Path
) -> None:
    stack = tmp_path / "requirements.txt"
    stack.write_text("# my stack\n\ncommon>=1\nboto3==1.28.0  # pinned by ops\n")
    result = _check(target, cache, "flowy", stack_file=stack)
    assert not result.compatible
    text = result.conflicts[0].text
    assert "flowy" in text
    assert "boto3>=1.34" in text
    assert "boto3==1.28.0 (requirements.txt:4)" in text
    assert len(text.splitlines()) <= 10


def test_three_tools_give_a_pairwise_matrix(target: Target, cache: Cache) -> None:
    result = _check(target, cache, "alpha", "beta", "gamma")
    assert not result.compatible
    matrix = {(p.first, p.second): p.compatible for p in result.matrix}
    assert matrix == {("alpha", "beta"): True, ("alpha", "gamma"): True, ("beta", "gamma"): False}
    bad = next(p for p in result.matrix if not p.compatible)
    assert bad.conflict is not None
    assert "common" in (bad.conflict.requirement or "")


def test_cloud_sdk_hard_dependency_and_extra_are_flagged(target: Target, cache: Cache) -> None:
    result = _check(target, cache, "cloudy", "beta")
    assert result.compatible
    found = {(i.tool, i.kind, i.package, i.extra, i.chain) for i in result.lock_in}
    assert ("cloudy", "hard", "boto3", None, ("cloudy", "storekit", "boto3")) in found
    assert ("beta", "extra", "boto3", "s3", ("beta", "boto3")) in found
    assert not any(i.tool == "beta" and i.kind == "hard" for i in result.lock_in)


def test_user_cloud_sdk_file_extends_the_list(target: Target, cache: Cache, tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text('[acme]\nname = "Acme Cloud"\npackages = ["common"]\n')
    result = check_stack(from_arguments(["alpha"]), [], target, load_cloud_sdks([extra]), cache)
    assert [(i.cloud, i.package) for i in result.lock_in] == [("Acme Cloud", "common")]


def test_depth_limit_is_honoured(target: Target, cache: Cache) -> None:
    deep = _check(target, cache, "deep0", depth=2).footprints["deep0"]
    assert deep.tree == {"deep1": 1, "deep2": 2}
    assert deep.packages == 6
    assert deep.beyond_depth == 3
    full = _check(target, cache, "deep0", depth=5).footprints["deep0"]
    assert max(full.tree.values()) == 5
    assert full.beyond_depth == 0


def test_size_and_heavy_dependency_from_the_index(target: Target, cache: Cache) -> None:
    fp = _check(target, cache, "bulky", heavy_mb=1.0).footprints["bulky"]
    assert fp.size_mb is not None
    assert 2.5 <= fp.size_mb < 2.6
    assert [p for p, _ in fp.heavy] == ["bigdep"]
    assert {
        "package": "bulky 1.0",
        "requirement": "bigdep==3.0",
        "kind": "exact pin",
    } in fp.constraints


def test_malformed_requirement_is_named_with_file_and_line(tmp_path: Path) -> None:
    stack = tmp_path / "requirements.txt"
    stack.write_text("numpy>=1.26\n# fine\npandas >=>= 2\n")
    with pytest.raises(AdviseError, match=r"requirements.txt:3: not a PEP 508 requirement"):
        read_requirements(stack)
    stack.write_text("-e git+https://example.invalid/x.git\n")
    with pytest.raises(AdviseError, match=r"requirements.txt:1: editable installs"):
        read_requirements(stack)


def test_lock_files_with_hashes_and_includes_are_read(tmp_path: Path) -> None:
    # as pip-compile --generate-hashes and poetry export write them: continuations, --hash
    (tmp_path / "base.txt").write_text("common>=1\n")
    stack = tmp_path / "requirements.txt"
    stack.write_text(
        "-r base.txt\n"
        "boto3==1.28.0 \\\n"
        "    --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000 \\\n"
        "    --hash=sha256:1111111111111111111111111111111111111111111111111111111111111111\n"
        "    # via metaflow\n"
        'requests>=2 ; python_version >= "3.8"  # a comment\n'
    )
    wanted = read_requirements(stack)
    assert [(w.text, w.origin) for w in wanted] == [
        ("common>=1", "base.txt:1"),
        ("boto3==1.28.0", "requirements.txt:2"),
        ('requests>=2; python_version >= "3.8"', "requirements.txt:6"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a==1\n--index-url https://example.invalid/simple\n",
            r"requirements.txt:2: package index",
        ),
        ("a==1\n--extra-index-url https://example.invalid\n", r"requirements.txt:2: package index"),
        ("-c constraints.txt\n", r"requirements.txt:1: constraints files \(-c\)"),
        ("a==1\n./local/pkg\n", r"requirements.txt:2: direct URLs and paths"),
        ("-r requirements.txt\n", r"requirements.txt:1: requirements.txt includes itself"),
        ("-r missing.txt\n", r"requirements.txt:1: -r missing.txt: no such file"),
        ("-r https://example.invalid/r.txt\n", r"requirements.txt:1: requirements files from URLs"),
        ("--pre\na==1\n", r"requirements.txt:1: options are not accepted"),
    ],
)
def test_requirement_file_refusals_name_file_and_line(
    tmp_path: Path, text: str, message: str
) -> None:
    stack = tmp_path / "requirements.txt"
    stack.write_text(text)
    with pytest.raises(AdviseError, match=message):
        read_requirements(stack)


def test_includes_that_multiply_are_capped(tmp_path: Path) -> None:
    # each level includes the next four times: 4**6 reads without a cap on files read
    for level in range(6):
        (tmp_path / f"r{level}.txt").write_text(f"-r r{level + 1}.txt\n" * 4, encoding="utf-8")
    (tmp_path / "r6.txt").write_text("common>=1\n", encoding="utf-8")
    with pytest.raises(AdviseError, match=r"more than 64 requirements files through -r"):
        read_requirements(tmp_path / "r0.txt")


def test_requirement_file_not_utf8_or_huge_is_one_error(tmp_path: Path) -> None:
    stack = tmp_path / "requirements.txt"
    stack.write_bytes(b"\xff\xfe numpy\n")
    with pytest.raises(AdviseError, match=r"cannot read requirements"):
        read_requirements(stack)
    stack.write_bytes(b"# x\n" * 600_000)
    with pytest.raises(AdviseError, match=r"larger than 2 MiB"):
        read_requirements(stack)


def test_cli_malformed_line_is_one_clear_line(tmp_path: Path, index_url: str) -> None:
    stack = tmp_path / "requirements.txt"
    stack.write_text("numpy\n$(touch pwned)\n")
    done = _cli(
        "stack-check",
        "alpha",
        "--with",
        str(stack),
        "--index-url",
        index_url,
        "--no-vulns",
        cache=tmp_path / "c",
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: requirements.txt:2: not a PEP 508 requirement")
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert not (tmp_path / "pwned").exists()


def test_hanging_index_times_out_with_a_clear_message(tmp_path: Path) -> None:
    with hanging_index() as url:
        target = Target(index_url=url, timeout=3, cache_dir=tmp_path / "uv")
        started = time.perf_counter()
        with pytest.raises(AdviseError, match=r"no answer within 3 s .*reachable"):
            _check(target, Cache(tmp_path), "alpha")
    assert time.perf_counter() - started < 15


def test_cli_hanging_index(tmp_path: Path) -> None:
    with hanging_index() as url:
        done = _cli(
            "stack-check",
            "alpha",
            "--index-url",
            url,
            "--timeout",
            "2",
            "--no-vulns",
            cache=tmp_path / "c",
        )
    assert done.returncode == 2
    assert "the resolver gave no answer within 2 s" in done.stderr
    assert "Traceback" not in done.stderr


def test_vulnerabilities_from_a_stand_in_osv_with_cache(target: Target, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "osv-cache")
    with osv_server({("common", "1.5"): ["PYSEC-0000-1"]}) as (url, asked):
        first = _check(target, cache, "alpha==1.0", osv_url=url)
        second = _check(target, cache, "alpha==1.0", osv_url=url)
    assert first.vulnerabilities == second.vulnerabilities == {"common": ["PYSEC-0000-1"]}
    assert asked == [2]  # alpha and common asked once; the second run came from the cache


def test_unreachable_osv_is_unknown_not_none(target: Target, cache: Cache) -> None:
    with hanging_index() as url:  # accepts and never answers
        result = check_stack(
            from_arguments(["alpha"]),
            [],
            target,
            load_cloud_sdks(),
            cache,
            CheckOptions(osv_url=url.rsplit("/simple", 1)[0], osv_timeout=2),
        )
    assert result.compatible
    assert result.vulnerabilities is None
    assert any("vulnerabilities unknown" in w for w in result.warnings)


def test_pip_fallback_agrees_with_uv(target: Target, cache: Cache) -> None:
    by_pip = _check(target, cache, "cloudy", "beta", resolver="pip")
    by_uv = _check(target, cache, "cloudy", "beta")
    assert by_pip.resolver == "pip"
    assert by_uv.resolver == "uv"
    assert by_pip.picked == by_uv.picked
    assert by_pip.footprints["cloudy"].tree == by_uv.footprints["cloudy"].tree
    assert not _check(target, cache, "beta", "gamma", resolver="pip").compatible


def test_cli_json_shape(tmp_path: Path, index_url: str) -> None:
    done = _cli(
        "stack-check",
        "alpha",
        "beta",
        "--index-url",
        index_url,
        "--no-vulns",
        "--json",
        cache=tmp_path / "c",
    )
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert {"compatible", "python", "picked", "conflicts", "lock_in", "footprint"} <= set(payload)
    assert payload["compatible"] is True
    assert payload["python"] == "3.11"
    assert payload["picked"]["common"] == "1.5"
    assert payload["lock_in"][0]["extra"] == "s3"
    bad = _cli(
        "stack-check",
        "beta",
        "gamma",
        "--index-url",
        index_url,
        "--no-vulns",
        "--json",
        cache=tmp_path / "c",
    )
    assert bad.returncode == 1
    conflict = json.loads(bad.stdout)["conflicts"][0]
    assert {"packages", "requirement", "chain", "text"} <= set(conflict)


def test_cli_help_has_examples() -> None:
    for command in ("stack-check", "advise"):
        done = subprocess.run(
            [sys.executable, "-m", "mlops_radar", command, "--help"],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONPATH": str(SRC)},
        )
        assert done.returncode == 0
        assert "Examples:" in done.stdout


@pytest.mark.online
def test_real_pair_from_pypi(tmp_path: Path) -> None:
    target = Target(timeout=120, cache_dir=tmp_path / "uv")
    result = _check(target, Cache(tmp_path), "apache-airflow==2.9.0", "sqlalchemy>=2.0")
    assert not result.compatible
    conflict = result.conflicts[0]
    assert "sqlalchemy" in conflict.text.lower()
    assert len(conflict.text.splitlines()) <= 10
    ok = _check(target, Cache(tmp_path), "requests", "urllib3<3")
    assert ok.compatible
    assert "urllib3" in ok.picked


def test_auto_falls_back_to_pip_without_uv(
    target: Target, cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlops_radar.advise import resolver

    monkeypatch.setattr(resolver, "find_uv", lambda: None)
    result = _check(target, cache, "alpha", "beta")
    assert result.resolver == "pip"
    assert result.picked == {"alpha": "1.0", "beta": "1.0", "common": "1.5"}
    with pytest.raises(AdviseError, match="uv is not installed"):
        _check(target, cache, "alpha", resolver="uv")


def test_constraints_count_only_markers_that_hold(target: Target, cache: Cache) -> None:
    result = _check(target, cache, "marky")
    assert result.picked["common"] == "2.1"  # the python<3.8 bound does not apply to 3.11
    assert result.footprints["marky"].constraints == ()


def test_an_unreadable_index_is_an_error_not_a_conflict() -> None:
    from mlops_radar.advise.resolver import unreachable

    stderr = (
        "error: Failed to fetch: http://127.0.0.1:1/simple/alpha/\n"
        "  cause: error sending request for url (http://127.0.0.1:1/simple/alpha/)\n"
        "  cause: tcp connect error\n  cause: Connection refused (os error 111)\n"
    )
    target = Target(index_url="http://127.0.0.1:1/simple/")
    error = unreachable(stderr, target)
    assert error is not None
    assert str(error) == (
        "the package index http://127.0.0.1:1/simple/ could not be read: "
        "Connection refused (os error 111)"
    )
    assert unreachable("error: No solution found when resolving dependencies", target) is None


def test_target_is_validated() -> None:
    with pytest.raises(AdviseError, match="platform 'beos'"):
        Target(platform="beos")
    with pytest.raises(AdviseError, match="python '3'"):
        Target(python="3")


def test_macos_and_another_python_resolve(target: Target, cache: Cache) -> None:
    from dataclasses import replace

    other = replace(target, python="3.12", platform="macos")
    result = _check(other, cache, "alpha", "beta")
    assert result.compatible
    assert result.target.platform == "macos"
    assert result.picked["alpha"] == "1.0"


def test_a_package_with_no_wheel_is_a_build_not_run_not_a_conflict(
    tmp_path: Path, cache: Cache
) -> None:
    # wheels only by default: the sdist's build code is not run, so the answer says what is
    # unknown (would a build make it install?) instead of calling it a conflict
    from localindex import Dist, serve_index, write_index

    from mlops_radar.report.advice import stack_lines

    folder = write_index(
        tmp_path / "index",
        [Dist("needsbuild", "1.0", ["srconly>=1"]), Dist("plain", "1.0")],
        sdists_only=[Dist("srconly", "1.2")],
    )
    with serve_index(folder) as url:
        target = Target(index_url=url, timeout=60, cache_dir=tmp_path / "uv")
        result = _check(target, cache, "needsbuild", "plain")
    assert not result.compatible
    (conflict,) = result.conflicts
    assert conflict.needs_build == ("srconly",)
    assert conflict.as_json()["needs_build"] == ["srconly"]
    text = "\n".join(stack_lines(result))
    assert "wheels only: srconly has no wheel for python 3.11 on linux" in text
    assert "--allow-builds" in text


def test_a_tool_held_back_from_its_newest_release_says_why(target: Target, cache: Cache) -> None:
    # beta needs common<2, alpha 2.0 needs common>=2: alpha 1.0 is picked, and the pinned
    # resolution of alpha==2.0 says what holds it back
    from mlops_radar.report.advice import stack_lines

    result = _check(target, cache, "alpha", "beta")
    assert result.picked["alpha"] == "1.0"
    (held,) = result.held_back
    assert (held.package, held.picked, held.newest) == ("alpha", "1.0", "2.0")
    assert held.conflict is not None
    assert "common" in (held.conflict.requirement or "")
    assert result.as_json()["held_back"][0]["newest"] == "2.0"
    text = "\n".join(stack_lines(result))
    assert "alpha 1.0 is picked, not its newest 2.0: it conflicts over common" in text


def test_a_tool_held_back_by_a_package_with_no_wheel(tmp_path: Path, cache: Cache) -> None:
    from localindex import Dist, serve_index, write_index

    from mlops_radar.report.advice import stack_lines

    folder = write_index(
        tmp_path / "index",
        [Dist("toolx", "1.0"), Dist("toolx", "2.0", ["srconly>=1"])],
        sdists_only=[Dist("srconly", "1.2")],
    )
    with serve_index(folder) as url:
        target = Target(index_url=url, timeout=60, cache_dir=tmp_path / "uv")
        result = _check(target, cache, "toolx")
    assert result.compatible
    assert result.picked == {"toolx": "1.0"}
    (held,) = result.held_back
    assert held.conflict is not None
    assert held.conflict.needs_build == ("srconly",)
    assert "toolx 1.0 is picked, not its newest 2.0: that needs srconly" in "\n".join(
        stack_lines(result)
    )


def test_a_tool_at_its_newest_is_not_held_back(target: Target, cache: Cache) -> None:
    result = _check(target, cache, "alpha")
    assert result.picked["alpha"] == "2.0"
    assert result.held_back == ()


def _rows(cache: Cache, kind: str) -> int:
    with sqlite3.connect(cache.path) as db:
        return int(db.execute("SELECT count(*) FROM entries WHERE kind = ?", (kind,)).fetchone()[0])


def test_why_a_tool_is_held_back_is_cached(target: Target, cache: Cache) -> None:
    first = _check(target, cache, "alpha", "beta")
    assert _rows(cache, "held-back") == 1
    assert _check(target, cache, "alpha", "beta").held_back == first.held_back
    with sqlite3.connect(cache.path) as db:  # a broken entry is a miss
        db.execute("UPDATE entries SET value = '{not json' WHERE kind = 'held-back'")
    assert _check(target, cache, "alpha", "beta").held_back == first.held_back


def test_the_matrix_pairs_are_cached_and_give_the_same_matrix(
    target: Target, cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlops_radar.advise import stack

    ran: list[list[str]] = []
    real = stack.resolve

    def counted(lines: list[str], *args: Any, **kwargs: Any) -> Any:
        ran.append(list(lines))
        return real(lines, *args, **kwargs)  # the real resolver, only counted

    monkeypatch.setattr(stack, "resolve", counted)
    first = _check(target, cache, "alpha", "beta", "gamma")
    assert not first.compatible
    assert len(ran) == 4  # all three, then each pair
    assert _rows(cache, "pair") == 3
    ran.clear()
    again = _check(target, cache, "alpha", "beta", "gamma")
    assert again.matrix == first.matrix
    assert ran == [["alpha", "beta", "gamma"]]  # only the main resolution ran again


def test_requirements_from_a_pipe_and_an_endless_device(tmp_path: Path) -> None:
    # `--with <(...)` is a pipe: read once; /dev/zero has no size to check: capped while read
    import threading

    fifo = tmp_path / "requirements.txt"
    os.mkfifo(fifo)

    def feed() -> None:
        with fifo.open("w", encoding="utf-8") as pipe:
            pipe.write("boto3==1.28.0 \\\n    --hash=sha256:00\n")

    writer = threading.Thread(target=feed)
    writer.start()
    wanted = read_requirements(fifo)
    writer.join(timeout=10)
    assert [(w.text, w.origin) for w in wanted] == [("boto3==1.28.0", "requirements.txt:1")]
    with pytest.raises(AdviseError, match=r"larger than 2 MiB"):
        read_requirements(Path("/dev/zero"))


def test_held_back_whose_pinned_resolution_fails_keeps_the_answer(
    target: Target, cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    # unit test of `_held_back`: the pinned resolution times out; the check's answer stands and
    # the why is said to be unknown, not "it also resolves"
    from mlops_radar.advise import stack as stack_module
    from mlops_radar.advise.resolver import Resolution
    from mlops_radar.report.advice import held_back_words

    def no_answer(*_args: object, **_kwargs: object) -> Resolution:
        raise AdviseError("the resolver gave no answer within 1 s")

    tried = stack_module._Tried(None)
    from mlops_radar.advise.uvlog import Selected

    tried(Selected("alpha", "2.0"))
    result = Resolution(True, "uv", 0.1, {"alpha": "1.0", "common": "1.5"}, {})
    monkeypatch.setattr(stack_module, "resolve", no_answer)
    held, seconds = stack_module._held_back(
        from_arguments(["alpha"]), [], result, tried, target, CheckOptions(), cache
    )
    assert [(h.package, h.picked, h.newest, h.conflict) for h in held] == [
        ("alpha", "1.0", "2.0", None)
    ]
    assert held[0].error == "the resolver gave no answer within 1 s"
    assert seconds == 0.0
    monkeypatch.undo()
    check = _check(target, cache, "alpha")  # any check, for its target's words
    assert held_back_words(held[0], check).endswith(
        "; why is not known: the resolver gave no answer within 1 s"
    )
