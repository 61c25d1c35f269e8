"""Golden outputs: the JSON of every data command on the study's 2021 files and on the seeded demo.

Run before a refactor to record what the commands print (`python tests/golden/record.py --write`);
`tests/test_golden.py` runs the same commands and compares, so a refactor that changes an output
by accident fails. Outputs an issue changes on purpose are re-recorded and listed in CHANGELOG.md.

The commands run in this process through click's test runner (one import of pandas for all of
them), each against a database built here: the study's ten CSVs and its spreadsheet imported, and
two runs of `mlops-radar demo --date ...` (a seeded population, a pinned day) into one database.
Values that differ between two runs of the same data (wall-clock times, temporary paths) are
normalised; nothing else is.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from click.testing import CliRunner

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[2] / "shared" / "data"
STUDY = SHARED / "mlopstools-2021"
LISTS = SHARED / "awesome-mlops"
#: Keys whose values are wall-clock moments of the run, not data.
_VOLATILE = {"recorded_at", "finished_at"}


def _run(args: list[str]) -> str:
    from mlops_radar.cli import main

    result = CliRunner().invoke(main, args, catch_exceptions=False, env={"COLUMNS": "200"})
    if result.exit_code != 0:
        raise RuntimeError(
            f"mlops-radar {' '.join(args)} exited {result.exit_code}: {result.output}"
        )
    return result.stdout


def _normalise(value: Any, tmp: str) -> Any:
    if isinstance(value, dict):
        return {
            k: ("<volatile>" if k in _VOLATILE else _normalise(v, tmp)) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_normalise(v, tmp) for v in value]
    if isinstance(value, str):
        value = value.replace(str(SHARED), "$SHARED").replace(tmp, "$TMP")
        return re.sub(r"/\S*/mlops-radar-demo-[^/]+/", "$DEMO/", value)
    return value


def _study_commands(db: str) -> Iterator[tuple[str, list[str]]]:
    csvs = sorted(str(p) for p in (STUDY / "csvdata").glob("*.csv"))
    ods = str(STUDY / "FerramentasMLOps.ods")
    yield "", ["import", *csvs, "--db", db]
    yield "", ["import", ods, "--date", "2021-05-01", "--db", db]
    yield "study-snapshots", ["snapshots", "--json"]
    for day in ("2021-05-01", "2021-05-09", "2021-05-20"):
        for policy in ("study", "radar"):
            yield (
                f"study-qualify-{day}-{policy}",
                ["qualify", "--snapshot", day, "--policy", policy],
            )
        yield f"study-rank-{day}", ["rank", "--snapshot", day]
    yield "study-rank-latest-by-stage", ["rank", "--by-stage"]
    yield "study-rank-amershi", ["rank", "--by-stage", "--taxonomy", "amershi"]
    yield "study-rank-study-rank", ["rank", "--by", "study-rank", "--policy", "study"]
    yield "study-rank-attractiveness", ["rank", "--by", "attractiveness", "--stage", "Monitoring"]
    for tool in ("Metaflow", "Jupyter Notebook", "Hyperas", "kubeflow/katib"):
        yield f"study-show-{tool.replace('/', '_').replace(' ', '_')}", ["show", tool]
    yield "study-show-ods-Dagster", ["show", "Dagster", "--snapshot", "2021-05-01"]
    yield "study-compare", ["compare", "Metaflow", "Dagster", "mlflow/mlflow"]
    yield "study-history-Metaflow", ["history", "Metaflow"]
    yield "study-history-spark", ["history", "apache/spark"]
    yield "study-changes-09-20", ["changes", "2021-05-09", "2021-05-20"]
    yield "study-changes-default", ["changes"]


def _demo_commands(db: str) -> Iterator[tuple[str, list[str]]]:
    yield "", ["demo", "--db", db, "--date", "2026-01-01"]
    yield "", ["demo", "--db", db, "--date", "2026-01-15", "--seed", "1"]
    yield "demo-snapshots", ["snapshots"]
    for policy in ("study", "radar"):
        yield f"demo-qualify-{policy}", ["qualify", "--policy", policy]
    yield "demo-rank", ["rank"]
    yield "demo-rank-by-stage", ["rank", "--by-stage"]
    yield "demo-rank-first-snapshot", ["rank", "--snapshot", "1", "--top", "3"]
    yield "demo-changes", ["changes"]


def _catalog_commands() -> Iterator[tuple[str, list[str]]]:
    sources = [STUDY / "FerramentasMLOps.ods", *sorted((STUDY / "csvdata").glob("*.csv"))[:2]]
    sources += sorted(LISTS.glob("README-*.md"))
    for source in sources:
        yield f"catalog-show-{source.stem}", ["catalog", "show", str(source)]
    yield "catalog-show-amershi", ["catalog", "show", str(LISTS / "README-2026-08-16.md"),
                                   "--taxonomy", "amershi"]  # fmt: skip
    old, new = LISTS / "README-2021-05-14.md", LISTS / "README-2026-08-16.md"
    yield "catalog-diff", ["catalog", "diff", str(old), str(new)]


def record() -> dict[str, Any]:
    """Every golden output by name, normalised (the commands' JSON)."""
    outputs: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="radar-golden-") as folder:
        tmp = str(Path(folder).resolve())
        plans: list[tuple[str | None, Callable[[str], Iterator[tuple[str, list[str]]]]]] = [
            (str(Path(tmp) / "study.sqlite3"), _study_commands),
            (str(Path(tmp) / "demo.sqlite3"), _demo_commands),
            (None, lambda _db: _catalog_commands()),
        ]
        for db, commands in plans:
            for name, args in commands(db or ""):
                if not name:  # a step that builds the database
                    _run(args)
                    continue
                extra = ["--json"] + (["--db", db] if db else [])
                outputs[name] = _normalise(json.loads(_run(args + extra)), tmp)
        export = Path(tmp) / "export.json"
        _run(["export", "--format", "json", "--snapshot", "2021-05-20", "--out", str(export),
              "--db", str(Path(tmp) / "study.sqlite3")])  # fmt: skip
        outputs["study-export-2021-05-20"] = _normalise(json.loads(export.read_text()), tmp)
        csv = Path(tmp) / "export.csv"
        _run(["export", "--format", "csv", "--snapshot", "2021-05-20", "--out", str(csv),
              "--db", str(Path(tmp) / "study.sqlite3")])  # fmt: skip
        outputs["study-export-2021-05-20-csv"] = csv.read_text(encoding="utf-8").splitlines()
    return outputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="Write tests/golden/*.json.")
    parser.add_argument("--out", type=Path, default=HERE / "outputs")
    args = parser.parse_args()
    if not STUDY.is_dir():
        sys.exit(f"the study's data is not at {STUDY}")
    outputs = record()
    if args.write:
        args.out.mkdir(parents=True, exist_ok=True)
        for old in args.out.glob("*.json"):
            old.unlink()
        for name, payload in outputs.items():
            text = json.dumps(payload, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
            (args.out / f"{name}.json").write_text(text, encoding="utf-8")
    print(f"{len(outputs)} golden outputs" + (f" written to {args.out}" if args.write else ""))


if __name__ == "__main__":
    main()
