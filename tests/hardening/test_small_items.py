"""The smaller findings of issue 14 (item 7), each through the real command or the real reader:
control characters and a line feed before `=` in spreadsheet exports, CSV fields over 128 KiB,
CSV line numbers, comma-separated and foreign CSVs, deep and duplicate YAML, malformed URLs and
a redirect to `data:`, an unwritable data folder, a dripping download, an oversized local file.
"""

from __future__ import annotations

import http.server
import subprocess
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from hardening_support import cli, cli_env

import hostile
from mlops_radar.catalog import read_catalog
from mlops_radar.catalog.fetch import open_source
from mlops_radar.errors import CatalogError

HEADER = hostile.CSV_HEADER.decode()
ROW = "{n};Cat;{tool};owner{n};name{n};main;10;True;1;2;3;{license};Python;False;4;5\n"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cli(*args), env=env or cli_env(), capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


# --- exports -------------------------------------------------------------------------------------


@pytest.fixture
def hostile_db(tmp_path) -> Path:
    """A store holding one imported study CSV whose texts carry control characters and formulas."""
    rows = [
        ROW.format(n=1, tool="Tool\x01\x1bname", license="MIT"),
        ROW.format(n=2, tool='"\n=HYPERLINK(""http://evil.example"")"', license='"\n=1+1"'),
        ROW.format(n=3, tool="=cmd|' /C calc'!A0", license="@SUM(A1)"),
    ]
    csv = tmp_path / "2021-05-20.csv"
    csv.write_text(HEADER + "".join(rows))
    db = tmp_path / "radar.sqlite3"
    done = run("import", str(csv), "--db", str(db))
    assert done.returncode == 0, done.stderr
    return db


def _formula_like(text: str) -> bool:
    return text.lstrip("\n\r\t ").startswith(("=", "+", "-", "@")) and not text.startswith("'")


def test_xlsx_export_survives_control_characters_and_neutralises_formulas(
    hostile_db, tmp_path
) -> None:
    out = tmp_path / "radar.xlsx"
    done = run("export", "--format", "xlsx", "--out", str(out), "--db", str(hostile_db))
    assert done.returncode == 0, done.stderr  # IllegalCharacterError before
    book = openpyxl.load_workbook(out)
    texts = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)]  # fmt: skip
    assert any("Tool" in t and "name" in t for t in texts)
    assert not any(_formula_like(t) for t in texts), [t for t in texts if _formula_like(t)]
    assert any(t.startswith("'\n=") for t in texts)  # the line feed before = is neutralised too
    assert not any(ch in t for t in texts for ch in "\x01\x1b")


def test_ods_export_neutralises_formulas_and_drops_control_characters(hostile_db, tmp_path) -> None:
    out = tmp_path / "radar.ods"
    done = run("export", "--format", "ods", "--out", str(out), "--db", str(hostile_db))
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as archive:
        xml = archive.read("content.xml").decode()
    assert "\x01" not in xml
    assert "\x1b" not in xml
    assert "'=cmd" in xml
    assert "of:=" not in xml.split("<office:body>")[1].replace("table:formula", "")


# --- CSV -----------------------------------------------------------------------------------------


def test_a_csv_field_over_128_kib_is_one_line_naming_file_and_line(tmp_path) -> None:
    csv = tmp_path / "2021-05-20.csv"
    csv.write_text(HEADER + ROW.format(n=1, tool="a", license="MIT")
                   + ROW.format(n=2, tool="x" * 200_000, license="MIT"))  # fmt: skip
    line = one_error_line(run("catalog", "show", str(csv)))
    assert f"{csv}:3:" in line
    assert "131,072" in line


def test_csv_problems_name_file_lines_not_record_numbers(tmp_path) -> None:
    csv = tmp_path / "2021-05-20.csv"
    quoted = '1;Cat;"a tool\nover\nthree lines";o;r;main;10;True;1;2;3;MIT;Py;False;4;5\n'
    missing = "2;Cat;No repo;;;main;10;True;1;2;3;MIT;Py;False;4;5\n"
    csv.write_text(HEADER + quoted + missing)
    catalog = read_catalog(str(csv))
    assert [p.line for p in catalog.problems] == [5]  # record 3, but line 5 of the file
    assert "no owner/name" in catalog.problems[0].reason


def test_a_comma_separated_study_csv_is_read_and_another_csv_refused(tmp_path) -> None:
    comma = tmp_path / "2021-05-20.csv"
    comma.write_bytes(hostile.csv_comma_separated())
    assert [t.repo for t in read_catalog(str(comma)).tools] == ["o/r"]  # an empty catalog before
    other = tmp_path / "people.csv"
    other.write_text("name,email\nada,ada@example.org\n")
    line = one_error_line(run("catalog", "show", str(other)))
    assert "not a study CSV" in line
    assert "people.csv:1" in line


# --- YAML ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("mlops-radar-catalog: 1\ntools:\n  - " + "[" * 5000 + "]" * 5000 + "\n", "nested"),
        ("mlops-radar-catalog: 1\ntools:\n  - name: a\n    name: b\n    repo: o/r\n", "twice"),
    ],
    ids=["deep nesting", "duplicate key"],
)
def test_hostile_yaml_is_one_line(tmp_path, text, said) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text(text)
    line = one_error_line(run("catalog", "show", str(path)))
    assert said in line
    assert "catalog.yaml" in line


# --- URLs, folders, downloads, sizes -------------------------------------------------------------


def test_a_malformed_api_url_is_one_line(tmp_path) -> None:
    catalog = tmp_path / "list.md"
    catalog.write_text("# L\n\n## C\n\n* [a](https://github.com/o/a) - A.\n")
    db = tmp_path / "radar.sqlite3"
    line = one_error_line(run("collect", "--catalog", str(catalog), "--api-url", "http://[::1",
                              "--db", str(db)))  # fmt: skip
    assert "--api-url" in line
    assert "http://[::1" in line
    assert not db.exists()  # checked before a snapshot was begun


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "data:text/plain,hello")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        try:
            for _ in range(1000):  # one byte every 0.2 s: every read comes in time
                self.wfile.write(b"#")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def web() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_catalog_redirected_to_data_is_one_line(web) -> None:
    line = one_error_line(run("catalog", "show", f"{web}/redirect"))
    assert "/redirect" in line
    assert "cannot fetch" in line


def test_a_dripping_download_ends_at_its_deadline(web) -> None:
    started = time.monotonic()
    with (
        pytest.raises(CatalogError, match=r"not complete after 1\.5 s"),
        open_source(f"{web}/drip.md", deadline=1.5),
    ):
        pass
    assert time.monotonic() - started < 5  # it ran past 100 s before


def test_a_local_file_over_the_cap_is_one_line(tmp_path) -> None:
    big = tmp_path / "huge.md"
    with big.open("wb") as handle:  # sparse: 21 MiB that cost no disk
        handle.truncate(21 * 2**20)
    line = one_error_line(run("catalog", "show", str(big)))
    assert "huge.md" in line
    assert "20 MiB" in line


def test_an_unwritable_default_data_folder_is_one_line(tmp_path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    env = {**cli_env(), "XDG_DATA_HOME": str(blocker), "HOME": str(tmp_path)}
    line = one_error_line(run("snapshots", env=env))
    assert "cannot create the data folder" in line
    assert "--db" in line


@pytest.mark.parametrize(
    ("filename", "data", "where"),
    [
        ("list.md", b"# L\n\n## C\n\n* [a](https://github.com/o/a) - caf\xe9.\n", ":5:"),
        ("catalog.yaml", b"mlops-radar-catalog: 1\ntools:\n  - name: caf\xe9\n", ":3:"),
        ("2021-05-20.csv", hostile.csv_not_utf8(), ":2:"),
    ],
    ids=["markdown", "yaml", "csv"],
)
def test_a_file_that_is_not_utf8_is_one_line_naming_its_line(
    tmp_path: Path, filename: str, data: bytes, where: str
) -> None:
    path = tmp_path / filename
    path.write_bytes(data)
    line = one_error_line(run("catalog", "show", str(path)))
    assert f"{filename}{where} not UTF-8 text (byte 0x" in line  # "unknown catalog format" before


def test_more_entries_than_a_list_may_have_is_one_line(tmp_path) -> None:
    path = tmp_path / "list.md"
    entry = "* [a](https://github.com/o/a) - A.\n"
    path.write_text("# L\n\n## C\n\n" + entry * 50_001)
    with pytest.raises(CatalogError, match=r"list\.md: more than 50,000 entries, more than a tool"):
        read_catalog(str(path))
