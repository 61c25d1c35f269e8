"""Files a user names are read with a cap counted while reading: a device or a pipe that never
ends is refused in one line, not read forever."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mlops_radar.cli import main
from mlops_radar.textfiles import TooLarge, read_capped


def test_read_capped_reads_text_and_refuses_more_than_the_cap(tmp_path: Path) -> None:
    small = tmp_path / "a.toml"
    small.write_text("x = 1\n", encoding="utf-8")
    assert read_capped(small) == "x = 1\n"
    assert read_capped(small, limit=6) == "x = 1\n"
    with pytest.raises(TooLarge, match="larger than 5 bytes"):
        read_capped(small, limit=5)
    with pytest.raises(TooLarge, match="larger than 1 MiB"):
        read_capped(Path("/dev/zero"), limit=2**20)
    small.write_bytes(b"\xff\xfe")
    with pytest.raises(UnicodeDecodeError):
        read_capped(small)


@pytest.mark.parametrize(
    "args",
    [
        ["rank", "--policy", "/dev/zero"],
        ["rank", "--weights", "/dev/zero"],
        ["stack-check", "numpy", "--cloud-sdks", "/dev/zero", "--no-vulns"],
        ["stack-check", "numpy", "--with", "/dev/zero", "--no-vulns"],
    ],
)
def test_an_endless_user_file_is_one_error_line(args: list[str], tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'radar.sqlite3'}"
    extra = ["--db", db] if args[0] == "rank" else []
    result = CliRunner().invoke(main, [*args, *extra])
    assert result.exit_code == 2, result.output
    assert "/dev/zero" in result.output
    assert "larger than" in result.output
    assert "Traceback" not in result.output
