"""Hostile files for every catalog reader, each read in a child process under a memory limit and a
timeout; prints the table: cases tried, tracebacks, hangs, peak memory per reader (issue 14).

Every file is generated here, at run time, and is under 10 MB: zip bombs, XML entity bombs,
`<text:s text:c="2000000000"/>`, repeated rows, deep nesting, quadratic Markdown (unclosed
comments, lines of `[](`, long runs of spaces), huge CSV fields, deep and duplicate YAML, control
characters, bytes that are not UTF-8. A reader passes a case when it reads the file or refuses it
with one line (a `RadarError`), within `--timeout` seconds of CPU (RLIMIT_CPU; wall-clock time on
a shared machine says little) and `--memory` MB of address space (RLIMIT_AS).

    scripts/fuzz-readers                  # the readers' table, then the collector's (faultmix.py)
    python3 benchmarks/hostile.py --cases  # one line per case as well
    python3 benchmarks/hostile.py --repos 0  # the readers only
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import signal
import struct
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEMORY_MB = 500
TIMEOUT_S = 10.0
MAX_INPUT = 10 * 2**20

# --- generators ----------------------------------------------------------------------------------

MIME = b"application/vnd.oasis.opendocument.spreadsheet"
NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
HEADER_ROW = "<table:table-row>" + "".join(
    f"<table:table-cell><text:p>{name}</text:p></table:table-cell>"
    for name in ("Uso", "Nome", "Github")
) + "</table:table-row>"  # fmt: skip
TOOL_ROW = (
    "<table:table-row{attrs}><table:table-cell><text:p>Cat</text:p></table:table-cell>"
    "<table:table-cell><text:p>Tool</text:p></table:table-cell><table:table-cell>"
    "<text:p>https://github.com/o/r</text:p></table:table-cell></table:table-row>"
)


def content(rows: str, prolog: str = "") -> bytes:
    """A content.xml with one sheet `Ferramentas` holding the header row and `rows`."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {NS}>'
        '<office:body><office:spreadsheet><table:table table:name="Ferramentas">'
        f"{HEADER_ROW}{rows}</table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    ).encode()


def ods(
    xml: bytes | Callable[[io.BufferedIOBase], None], method: int = zipfile.ZIP_DEFLATED
) -> bytes:
    """An ODS zip: the mimetype member, then content.xml (bytes, or written by a callable)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), MIME, compress_type=zipfile.ZIP_STORED)
        if callable(xml):
            info = zipfile.ZipInfo("content.xml")
            info.compress_type = method
            with archive.open(info, "w", force_zip64=True) as member:
                xml(member)  # type: ignore[arg-type]
        else:
            archive.writestr("content.xml", xml, compress_type=method)
    return buffer.getvalue()


def _patch_members(data: bytes, patch: Callable[[bytearray, int, bool], None]) -> bytes:
    """Apply `patch(buffer, header_offset, is_central)` to content.xml's zip headers."""
    out = bytearray(data)
    for signature, name_at, is_central in ((b"PK\x03\x04", 26, False), (b"PK\x01\x02", 28, True)):
        at = out.find(signature)
        while at != -1:
            (length,) = struct.unpack("<H", out[at + name_at : at + name_at + 2])
            start = at + (46 if is_central else 30)
            if out[start : start + length] == b"content.xml":
                patch(out, at, is_central)
            at = out.find(signature, at + 4)
    return bytes(out)


def ods_method_99() -> bytes:
    def patch(out: bytearray, at: int, central: bool) -> None:
        field = at + (10 if central else 8)
        out[field : field + 2] = struct.pack("<H", 99)

    return _patch_members(ods(content(TOOL_ROW.format(attrs=""))), patch)


def ods_encrypted() -> bytes:
    def patch(out: bytearray, at: int, central: bool) -> None:
        out[at + (8 if central else 6)] |= 1

    return _patch_members(ods(content(TOOL_ROW.format(attrs=""))), patch)


def ods_zlib_error() -> bytes:
    data = bytearray(ods(content(TOOL_ROW.format(attrs="") * 50)))
    at = data.find(b"content.xml") + len("content.xml")
    data[at + 2 : at + 60] = b"\xff" * 58  # the deflate stream, not the headers
    return bytes(data)


def ods_zip_bomb() -> bytes:
    """content.xml of 1 GiB (an endless comment), 1 MB compressed."""

    def write(member: io.BufferedIOBase) -> None:
        member.write(b'<?xml version="1.0"?><office:document-content><!--')
        block = b" " * 2**20
        for _ in range(1024):
            member.write(block)
        member.write(b"--></office:document-content>")

    return ods(write)


def ods_bomb_under_cap() -> bytes:
    """content.xml of 15 MiB of tiny elements in one row: parse time and memory per element."""
    return ods(
        content("<table:table-row>" + "<a/>" * (15 * 2**20 // 4 - 200) + "</table:table-row>")
    )


def ods_many_tiny_rows() -> bytes:
    """15 MiB of empty rows: the elements must not pile up."""
    return ods(content("<table:table-row/>" * (15 * 2**20 // 18 - 100)))


def ods_entity_bomb() -> bytes:
    entities = '<!ENTITY a0 "ha">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    prolog = f"<!DOCTYPE office:document-content [{entities}]>"
    return ods(content("<table:table-row><table:table-cell><text:p>&a9;</text:p>"
                       "</table:table-cell></table:table-row>", prolog))  # fmt: skip


def ods_external_entity() -> bytes:
    prolog = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    return ods(content("<table:table-row><table:table-cell><text:p>&e;</text:p>"
                       "</table:table-cell></table:table-row>", prolog))  # fmt: skip


def ods_text_c() -> bytes:
    cell = '<table:table-cell><text:p>a<text:s text:c="2000000000"/></text:p></table:table-cell>'
    return ods(content(f"<table:table-row>{cell * 3}</table:table-row>"))


def ods_repeated_rows() -> bytes:
    return ods(content(TOOL_ROW.format(attrs=' table:number-rows-repeated="1000000"') * 2000))


def ods_deep_nesting() -> bytes:
    depth = 200_000
    inner = "<text:span>" * depth + "x" + "</text:span>" * depth
    return ods(content(f"<table:table-row><table:table-cell><text:p>{inner}</text:p>"
                       "</table:table-cell></table:table-row>"))  # fmt: skip


def ods_huge_cell() -> bytes:
    return ods(content(f"<table:table-row><table:table-cell><text:p>{'x' * 15 * 2**20}"
                       "</text:p></table:table-cell></table:table-row>"))  # fmt: skip


def ods_many_attributes() -> bytes:
    attrs = " ".join(f'a{i}="1"' for i in range(1_000_000))
    return ods(content(f"<table:table-row><table:table-cell {attrs}/></table:table-row>"))


def ods_truncated() -> bytes:
    return ods(content(TOOL_ROW.format(attrs="") * 100))[:-40]


def ods_not_xml() -> bytes:
    return ods(b"<office:document-content><unclosed>" + bytes(range(1, 32)) * 10)


MD_HEAD = b"# List\n\n## Tools\n\n"


def md_unclosed_comment() -> bytes:
    return MD_HEAD + b"* [A](https://github.com/o/a) <!--" * (9 * 2**20 // 34) + b"\n"


def md_comment_openers() -> bytes:
    return MD_HEAD + b"<!--" * (9 * 2**20 // 4) + b"\n"


def md_link_openers_lines() -> bytes:
    line = b"* " + b"[](" * 1330 + b"\n"
    return MD_HEAD + line * (9 * 2**20 // len(line))


def md_closed_openers() -> bytes:
    """As `md_link_openers_lines`, each line ending in `)`: every `[](` may still be a link,
    so each destination is read (within the scan budget)."""
    line = b"* " + b"[](" * 1330 + b")\n"
    return MD_HEAD + line * (9 * 2**20 // len(line))


def md_link_openers_line() -> bytes:
    return MD_HEAD + b"* " + b"[](" * (9 * 2**20 // 3) + b"\n"


def md_heading_spaces() -> bytes:
    return MD_HEAD + b"## a" + b" " * (9 * 2**20) + b"b\n"


def md_anchor_openers() -> bytes:
    line = b"* " + b'<a href="https://x.org/">' * 150 + b"\n"
    return MD_HEAD + line * (9 * 2**20 // len(line))


def md_tag_openers() -> bytes:
    return MD_HEAD + b"## " + b"<a " * (9 * 2**20 // 3) + b"\n"


def md_brackets() -> bytes:
    return MD_HEAD + b"* " + b"[" * (4 * 2**20) + b"]" * (4 * 2**20) + b"\n"


def md_emphasis() -> bytes:
    return MD_HEAD + b"## a" + b"*_" * (4 * 2**20) + b"a\n"


def md_control_chars() -> bytes:
    line = "* [T\x01\x1b[31m](https://github.com/o/r) - \x07\x08\x0b\x0c\x7f\x85\u2028\u202e x\n"
    return MD_HEAD + line.encode() * (9 * 2**20 // len(line.encode()))


def md_many_lines() -> bytes:
    line = b"* [Tool](https://github.com/owner/name) - a description [![b](https://x/b.svg)](https://x)\n"
    return MD_HEAD + line * (9 * 2**20 // len(line))


def md_fences() -> bytes:
    return MD_HEAD + b"```\n" * (9 * 2**20 // 4)


def md_table_rows() -> bytes:
    """Table rows of unclosed links in many cells (each cell is scanned for links)."""
    row = b"|" + b" [x](" * 700 + b"|" * 200 + b"\n"
    return MD_HEAD + row * (9 * 2**20 // len(row))


def md_html_items() -> bytes:
    """`<li>` lines of unclosed anchors, and HTML headings of resource words."""
    line = b"<li>" + b'<a href="https://x.y/">' * 150 + b"\n<h3>Books " + b"and Talks " * 50
    return MD_HEAD + (line + b"</h3>\n") * (9 * 2**20 // (len(line) + 6))


CSV_HEADER = (
    b"gspread_row;use_area;tool_name;repo_owner;repo_name;main_branch;total_commits;"
    b"last_commit_check;fork_count;stars_count;watchers_count;license_name;primary_language;"
    b"is_archived;open_issues;closed_issues\n"
)


def csv_huge_field() -> bytes:
    return CSV_HEADER + b"1;c;t;o;r;" + b"x" * 200_000 + b";1;True;1;1;1;MIT;Py;False;1;1\n"


def csv_unclosed_quote() -> bytes:
    return CSV_HEADER + b'1;"c;t;o;r;main\n' * (9 * 2**20 // 16)


def csv_many_rows() -> bytes:
    row = b"1;Cat;Tool;owner;name;main;10;True;1;2;3;MIT;Python;False;4;5\n"
    return CSV_HEADER + row * (9 * 2**20 // len(row))


def csv_wide_rows() -> bytes:
    return CSV_HEADER + (b";" * 100_000 + b"\n") * 90


def csv_control_chars() -> bytes:
    row = "1;C\x01at;T\x00ool\x1b;o;r\u2028x;main;1;True;1;2;3;=cmd;Py;False;4;5\r"
    return CSV_HEADER + row.encode() * 10_000


def csv_comma_separated() -> bytes:
    return CSV_HEADER.replace(b";", b",") + b"1,Cat,Tool,o,r,main,1,True,1,2,3,MIT,Py,False,4,5\n"


def csv_rows_under_cap() -> bytes:
    row = b"1;Cat;Tool;owner;name;main;10;True;1;2;3;MIT;Python;False;4;5\n"
    return CSV_HEADER + row * 49_000  # MAX_CSV_ROWS is 50,000


def md_not_utf8() -> bytes:
    return b"# List\n\n## Tools\n\n* [a](https://github.com/o/a) - caf\xe9.\n"


def yaml_not_utf8() -> bytes:
    return YAML_HEAD + b"  - name: caf\xe9\n    categories: [x]\n    repo: o/r\n"


def csv_not_utf8() -> bytes:
    return CSV_HEADER + b"1;\xff\xfe;t;o;r;m;1;True;1;2;3;MIT;Py;False;4;5\n"


YAML_HEAD = b"mlops-radar-catalog: 1\ntools:\n"


def yaml_deep_flow() -> bytes:
    return YAML_HEAD + b"  - " + b"[" * 500_000 + b"]" * 500_000 + b"\n"


def yaml_deep_block() -> bytes:
    return YAML_HEAD + b"".join(b"  " * i + b"- \n" for i in range(700))


def yaml_too_large() -> bytes:
    item = b"- name: t\n  categories: [a]\n  repo: o/r\n"
    return YAML_HEAD + item * (9 * 2**20 // len(item))


def yaml_just_under_cap() -> bytes:
    item = b"- {name: t, categories: [a], repo: o/r}\n"
    return YAML_HEAD + item * (2**19 // len(item) - 2)  # MAX_YAML_CHARS is 512 KiB


def yaml_alias_bomb() -> bytes:
    lines = [b"a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]".encode() for i in range(1, 10)]
    return b"mlops-radar-catalog: 1\n" + b"\n".join(lines) + b"\ntools: *a9\n"


def yaml_duplicate_keys() -> bytes:
    return YAML_HEAD + b"  - name: a\n    name: b\n    categories: [x]\n    repo: o/r\n"


def yaml_python_tag() -> bytes:
    return YAML_HEAD + b"  - !!python/object/apply:os.system ['echo pwned']\n"


def yaml_control_chars() -> bytes:
    return YAML_HEAD + b'  - name: "a\\x01\\u202e"\n    categories: ["\\x1b[31m"]\n    repo: o/r\n'


@dataclass(frozen=True, slots=True)
class Case:
    """One hostile file: the reader it aims at, its file name, how to make it."""

    name: str
    reader: str
    filename: str
    make: Callable[[], bytes]
    expect: str = "either"  # "read", "refused" or "either"


CASES = (
    Case("ods zip bomb (1 GiB content.xml)", "ods", "bomb.ods", ods_zip_bomb, "refused"),
    Case("ods 15 MiB of tiny elements in a row", "ods", "tiny.ods", ods_bomb_under_cap, "refused"),
    Case("ods 15 MiB of empty rows", "ods", "rows.ods", ods_many_tiny_rows),
    Case("ods entity bomb", "ods", "laughs.ods", ods_entity_bomb, "refused"),
    Case("ods external entity", "ods", "xxe.ods", ods_external_entity, "refused"),
    Case("ods text:c=2000000000", "ods", "spaces.ods", ods_text_c),
    Case("ods 2,000 rows x 1,000,000 repeats", "ods", "repeat.ods", ods_repeated_rows, "refused"),
    Case("ods 200,000 nested spans", "ods", "deep.ods", ods_deep_nesting, "refused"),
    Case("ods 15 MiB cell text", "ods", "cell.ods", ods_huge_cell),
    Case("ods 1,000,000 attributes", "ods", "attrs.ods", ods_many_attributes),
    Case("ods zlib error", "ods", "zlib.ods", ods_zlib_error, "refused"),
    Case("ods encrypted member", "ods", "locked.ods", ods_encrypted, "refused"),
    Case("ods compression method 99", "ods", "method.ods", ods_method_99, "refused"),
    Case("ods truncated zip", "ods", "cut.ods", ods_truncated, "refused"),
    Case("ods invalid XML", "ods", "bad.ods", ods_not_xml, "refused"),
    Case("md 9 MB line, unclosed <!--", "markdown", "comment.md", md_unclosed_comment, "read"),
    Case("md 9 MB of <!--", "markdown", "openers.md", md_comment_openers, "read"),
    Case("md lines of 1,330 [](", "markdown", "links.md", md_link_openers_lines, "read"),
    Case("md lines of 1,330 [](, then )", "markdown", "closed.md", md_closed_openers, "read"),
    Case("md one 9 MB line of [](", "markdown", "link.md", md_link_openers_line, "read"),
    Case("md heading, 9 MB of spaces", "markdown", "heading.md", md_heading_spaces, "read"),
    Case("md lines of 150 <a href>", "markdown", "anchors.md", md_anchor_openers, "read"),
    Case("md heading of 3M '<a '", "markdown", "tags.md", md_tag_openers, "read"),
    Case("md 4M [ then 4M ]", "markdown", "brackets.md", md_brackets, "read"),
    Case("md heading, 8 MB of *_", "markdown", "emphasis.md", md_emphasis, "read"),
    # these two hold more entries than MAX_ENTRIES (50,000): refused once the reader has
    # read 50,001 of them (it stops there)
    Case("md control characters", "markdown", "control.md", md_control_chars),
    Case("md 9 MB of entries", "markdown", "big.md", md_many_lines),
    Case("md 2M code fences", "markdown", "fences.md", md_fences, "read"),
    Case("md table rows of [](", "markdown", "table.md", md_table_rows, "read"),
    Case("md <li> of <a href>, <h3>", "markdown", "html.md", md_html_items, "read"),
    Case("md not UTF-8", "markdown", "latin.md", md_not_utf8, "refused"),
    Case("csv 200,000-character field", "csv", "field.csv", csv_huge_field, "refused"),
    Case("csv unclosed quote, 9 MB", "csv", "quote.csv", csv_unclosed_quote),
    Case("csv 9 MB of rows (150,000)", "csv", "rows.csv", csv_many_rows, "refused"),
    Case("csv 49,000 rows, under the cap", "csv", "cap.csv", csv_rows_under_cap, "read"),
    Case("csv rows of 100,000 fields", "csv", "wide.csv", csv_wide_rows, "read"),
    Case("csv control characters, \\r lines", "csv", "control.csv", csv_control_chars, "read"),
    Case("csv comma-separated", "csv", "comma.csv", csv_comma_separated, "read"),
    Case("csv not UTF-8", "csv", "latin.csv", csv_not_utf8, "refused"),
    Case("yaml 500,000 nested [", "yaml", "deep.yaml", yaml_deep_flow, "refused"),
    Case("yaml 700 nested block lists", "yaml", "block.yaml", yaml_deep_block),
    Case("yaml 9 MB", "yaml", "big.yaml", yaml_too_large, "refused"),
    Case("yaml not UTF-8", "yaml", "latin.yaml", yaml_not_utf8, "refused"),
    Case("yaml just under the 512 KiB cap", "yaml", "cap.yaml", yaml_just_under_cap, "read"),
    Case("yaml alias bomb", "yaml", "aliases.yaml", yaml_alias_bomb, "refused"),
    Case("yaml duplicate keys", "yaml", "dup.yaml", yaml_duplicate_keys, "refused"),
    Case("yaml !!python tag", "yaml", "tag.yaml", yaml_python_tag, "refused"),
    Case("yaml control characters", "yaml", "control.yaml", yaml_control_chars),
)

# --- running one case ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Result:
    """How one reader took one case: outcome is read, refused, traceback, memory, hang or crash."""

    case: Case
    size: int
    outcome: str
    detail: str
    seconds: float
    peak_mb: float | None


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> float:
    """This process's own high-water RSS (VmHWM of its memory map, fresh since its exec). Not
    ru_maxrss: on Linux that starts from the parent's RSS at fork, which in a long test session is
    itself over a gigabyte."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(path: str, memory_mb: int, cpu_seconds: float, code: str | None = None) -> None:
    """Read `path` as a catalog under RLIMIT_AS and RLIMIT_CPU; print one JSON line. `code`, if
    given, runs instead of the reader (to check that the limits catch what they are for)."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2**20, memory_mb * 2**20))
    from mlops_radar.catalog import read_catalog
    from mlops_radar.errors import RadarError

    # the limit counts from here: importing the package is not the reader's time
    limit = int(_cpu_seconds() + cpu_seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 1))
    start = _cpu_seconds()
    try:
        if code is not None:
            exec(code, {})  # the harness's own self-test, never outside input
        catalog = read_catalog(path)
        outcome, detail = "read", f"{len(catalog.tools)} tools, {len(catalog.problems)} problems"
    except RadarError as exc:
        outcome, detail = "refused", str(exc)
    except MemoryError:
        outcome, detail = "memory", "MemoryError"
    except BaseException as exc:  # the point: anything else is a traceback a person would see
        outcome, detail = "traceback", f"{type(exc).__name__}: {str(exc)[:200]}"
    seconds = _cpu_seconds() - start
    peak = _peak_mb()
    if "\n" in detail.strip():
        outcome, detail = "traceback", "message of several lines: " + detail[:200]
    print(json.dumps({"outcome": outcome, "detail": detail, "seconds": seconds, "peak_mb": peak}))


def run_case(
    case: Case,
    folder: Path,
    *,
    memory_mb: int = MEMORY_MB,
    timeout: float = TIMEOUT_S,
    child_code: str | None = None,
) -> Result:
    """Generate the case's file in `folder` and read it in a child process under the limits
    (`child_code`: Python the child runs first, for the harness's own tests)."""
    data = case.make()
    if len(data) >= MAX_INPUT:
        raise ValueError(f"{case.name}: {len(data):,} bytes, not under 10 MB")
    path = folder / case.filename
    path.write_bytes(data)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, __file__, "--child", str(path), "--memory", str(memory_mb),
               "--timeout", str(timeout)]  # fmt: skip
    if child_code is not None:
        command += ["--child-code", child_code]
    wall_limit = 4 * timeout + 20  # CPU is limited in the child; this catches a sleeping hang
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=wall_limit, env=env, check=False
        )
    except subprocess.TimeoutExpired:
        return Result(case, len(data), "hang", f"killed after {wall_limit:g} s", timeout, None)
    finally:
        path.unlink(missing_ok=True)
    if done.returncode == -signal.SIGXCPU:
        return Result(case, len(data), "hang", f"over {timeout:g} s of CPU", timeout, None)
    try:
        report = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return Result(case, len(data), "crash", f"exit {done.returncode}: {tail}", 0.0, None)
    outcome = report["outcome"]
    if outcome in ("read", "refused") and report["seconds"] > timeout:
        outcome = "hang"
    return Result(case, len(data), outcome, report["detail"], report["seconds"], report["peak_mb"])


def passed(result: Result) -> bool:
    """Read or refused in one line, as the case expects, within the limits."""
    if result.outcome not in ("read", "refused"):
        return False
    return result.case.expect in ("either", result.outcome)


# --- the table -----------------------------------------------------------------------------------


def table(results: list[Result]) -> str:
    """Per reader: cases, read, refused, tracebacks, hangs, over memory, slowest, peak memory."""
    lines = [
        f"{'reader':<9} {'cases':>5} {'read':>5} {'refused':>7} {'tracebacks':>10} {'hangs':>5} "
        f"{'memory':>6} {'crashes':>7} {'unexpected':>10} {'CPU s max':>9} {'peak MB':>7}"
    ]
    for reader in dict.fromkeys(r.case.reader for r in results):
        mine = [r for r in results if r.case.reader == reader]
        count = {o: sum(r.outcome == o for r in mine) for o in
                 ("read", "refused", "traceback", "hang", "memory", "crash")}  # fmt: skip
        unexpected = sum(not passed(r) for r in mine)
        slowest = max(r.seconds for r in mine)
        peaks = [r.peak_mb for r in mine if r.peak_mb is not None]
        lines.append(
            f"{reader:<9} {len(mine):>5} {count['read']:>5} {count['refused']:>7} "
            f"{count['traceback']:>10} {count['hang']:>5} {count['memory']:>6} "
            f"{count['crash']:>7} {unexpected:>10} {slowest:>9.2f} "
            f"{max(peaks) if peaks else float('nan'):>7.0f}"
        )
    return "\n".join(lines)


def case_lines(results: list[Result]) -> str:
    """One line per case: outcome, size, seconds, peak MB, what the reader said."""
    return "\n".join(
        f"{'ok ' if passed(r) else 'BAD'} {r.case.name:<40} {r.size / 2**20:5.1f} MB "
        f"{r.outcome:<9} {r.seconds:6.2f} s {r.peak_mb or 0:5.0f} MB  {r.detail[:90]}"
        for r in results
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-code", help=argparse.SUPPRESS)
    parser.add_argument("--memory", type=int, default=MEMORY_MB, help="MB of address space")
    parser.add_argument("--timeout", type=float, default=TIMEOUT_S, help="CPU seconds per case")
    parser.add_argument("--cases", action="store_true", help="also print one line per case")
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    parser.add_argument("--repos", type=int, default=200,
                        help="repositories per collector scenario (0: readers only)")  # fmt: skip
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.memory, args.timeout, args.child_code)
        return 0
    results = []
    with tempfile.TemporaryDirectory(prefix="radar-hostile-") as folder:
        for case in CASES:
            if args.only in case.name:
                results.append(run_case(case, Path(folder), memory_mb=args.memory,
                                        timeout=args.timeout))  # fmt: skip
    print(f"hostile files: {len(results)} cases, each < 10 MB, limits {args.memory} MB "
          f"(RLIMIT_AS) and {args.timeout:g} s of CPU (RLIMIT_CPU) per case")  # fmt: skip
    print(table(results))
    if args.cases:
        print(case_lines(results))
    collected_ok = True
    if args.repos > 0:  # the collector's table: repositories lost or duplicated under faults
        import faultmix

        outcomes = faultmix.run_all(args.repos)
        print(f"\ncollector under faults: {len(outcomes)} scenarios, {args.repos} repositories "
              "each (collect against the simulator, resumed until complete)")  # fmt: skip
        print(faultmix.table(outcomes))
        collected_ok = faultmix.ok(outcomes)
    return 0 if all(passed(r) for r in results) and collected_ok else 1


if __name__ == "__main__":
    sys.exit(main())
