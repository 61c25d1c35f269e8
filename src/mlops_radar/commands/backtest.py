"""CLI command `backtest`: how well a snapshot's rings and scores predicted what became of its
tools, beside the study's baselines; `--calibrate` searches weights out of sample
(docs/maturity-model.md).

Parses options, calls the library (`mlops_radar.app.backtest`, `mlops_radar.model.calibrate`) and
hands the typed results to `mlops_radar.report.backtest`. No logic and no words here.
"""

from __future__ import annotations

from pathlib import Path

import click

from mlops_radar.app import assessment
from mlops_radar.app import backtest as library
from mlops_radar.errors import ConfigError, RadarError
from mlops_radar.model.weights import Weights
from mlops_radar.store import Store

from .common import db_option, dump_json, json_option, make_console, policy_option
from .model import weights_option

__all__ = ["COMMANDS"]


@click.command(
    "backtest",
    epilog="""\b
Examples:
  mlops-radar backtest --from 2021-05-14 --listed-in README-2026-08-16.md
  mlops-radar backtest --from 2021-05-20 --to latest --months 6
  mlops-radar backtest --from 1 --to 7 --outcome archived --json
  mlops-radar backtest --from 2021-05-14 --to latest --calibrate --write weights.toml

\b
Fates: alive (a commit in the N months before the later snapshot; still in the later list),
dead (archived, gone, or no commit in 12 months; dropped from the list), or unknown (counted,
left out of every figure).
""",
)
@click.option("--from", "origin", required=True, metavar="REF",
              help="The snapshot to judge (id, date YYYY-MM-DD or 'latest').")  # fmt: skip
@click.option("--to", "to_ref", default=None, metavar="REF",
              help="A later snapshot whose facts decide each tool's fate.")  # fmt: skip
@click.option("--listed-in", "listed_in", default=None, metavar="SOURCE",
              help="A later tool list (file or URL): kept is alive, dropped is dead.")  # fmt: skip
@click.option("--outcome", "rule", type=click.Choice([str(r) for r in library.OutcomeRule]),
              default=None, help="What decides the fate (default: activity with --to, listed "
              "with --listed-in).")  # fmt: skip
@click.option("--months", type=click.IntRange(1, library.DEAD_AFTER_MONTHS),
              default=library.DEAD_AFTER_MONTHS, show_default=True,
              help="Alive: a commit within N months before the later snapshot.")  # fmt: skip
@click.option("--calibrate", is_flag=True,
              help="Search weights by 5-fold cross-validation by category.")  # fmt: skip
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True,
              help="Folds of --calibrate.")  # fmt: skip
@click.option("--write", "write", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="With --calibrate: write the weights found (TOML) if they beat the current "
              "ones out of sample.")  # fmt: skip
@click.option("--record", "record", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Write what each ring predicted (TOML) for rank and show to "
              "state; --write also writes it beside the weights, as W.backtest.toml.")  # fmt: skip
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the bootstrap and of the search.")  # fmt: skip
@policy_option
@weights_option
@json_option
@db_option
def backtest_command(
    origin: str, to_ref: str | None, listed_in: str | None, rule: str | None, months: int,
    calibrate: bool, folds: int, write: Path | None, record: Path | None, seed: int, policy: str,
    weights_file: str | None, as_json: bool, db_url: str | None,
) -> None:  # fmt: skip
    """Measure what a snapshot's rings and scores predicted, against later evidence."""
    if write is not None and not calibrate:
        raise ConfigError("backtest: --write needs --calibrate")
    chosen = assessment.policy(policy)
    weighting = assessment.weights(weights_file)

    def measure(weighting: Weights) -> library.BacktestRun:
        with Store.open(db_url) as store:
            return library.run(
                store, origin, to_ref=to_ref, listed_in=listed_in,
                rule=library.OutcomeRule(rule) if rule else None, months=months,
                chosen=chosen, weighting=weighting, seed=seed,
            )  # fmt: skip

    run = measure(weighting)
    from mlops_radar.report import backtest as report
    from mlops_radar.report.evidence import evidence_path, evidence_toml

    if record is not None:
        _write(record, evidence_toml(run, fitted=False), "the backtest record")

    found = None
    if calibrate:
        from mlops_radar.model.calibrate import calibrate as search

        found = search(run.scored, run.fates, folds=folds, seed=seed)
    if as_json:
        payload = report.backtest_json(run)
        if found is not None:
            payload["calibration"] = report.calibration_json(found)
        dump_json(payload)
    else:
        console = make_console()
        report.render_backtest(run, console)
        if found is not None:
            report.render_calibration(found, console)
    if found is not None and not found.accepted:
        raise RadarError(
            f"calibration refused: out-of-sample AUC {found.calibrated_auc:.3f} does not beat the "
            f"current weights' {found.current_auc:.3f} (gain {found.gain_low:+.3f} to "
            f"{found.gain_high:+.3f}){'; nothing written' if write else ''}"
        )
    if found is not None and write is not None:
        from mlops_radar.model.calibrate import weights_toml

        _write(write, weights_toml(found, weighting, evidence=run.evidence), "the weights")
        # what the rings of the weights written predicted in this backtest, for rank and show: in
        # sample (the weights were fitted to it; their out-of-sample AUC is the one above)
        refit = measure(assessment.weights(str(write)))
        _write(evidence_path(write), evidence_toml(refit, fitted=True), "the backtest record")


def _write(path: Path, text: str, what: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write {what}: {exc.strerror}") from exc
    click.echo(f"wrote {path}", err=True)


COMMANDS = [backtest_command]
