"""The study's legacy files as catalogs: the ODS sheet Ferramentas and both CSV layouts."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from mlops_radar.catalog import LinkKind, read_catalog, read_catalogs
from mlops_radar.catalog.readers.study_ods import TOOLS_SHEET
from mlops_radar.catalog.study_files import read_ods_sheet
from mlops_radar.errors import CatalogError


def test_ods_has_87_tool_rows(study: Path) -> None:
    ods = study / "FerramentasMLOps.ods"
    # 88 non-empty rows (header + 87 tools) although the sheet declares ~a million repeated rows
    assert len(read_ods_sheet(ods, TOOLS_SHEET)) == 88
    catalog = read_catalog(ods)
    assert len(catalog.tools) == 87
    assert catalog.problems == ()
    assert [tool.line for tool in catalog.tools] == list(range(2, 89))


def test_ods_categories_are_normalised(study: Path) -> None:
    catalog = read_catalog(study / "FerramentasMLOps.ods")
    names = [category.name for category in catalog.categories]
    assert "CI/CD" in names
    assert all(name == " ".join(name.split()) for name in names)
    cml = next(tool for tool in catalog.tools if tool.name == "CML")
    assert cml.categories == ("CI/CD",)
    # the study did not map CI/CD; our proposal does (alias of "CI/CD for Machine Learning")
    assert cml.stages == ("Pipeline Orchestration",)


def test_ods_link_kinds(study: Path) -> None:
    tools = {tool.name: tool for tool in read_catalog(study / "FerramentasMLOps.ods").tools}
    orgs = sorted(name for name, tool in tools.items() if tool.kind == LinkKind.ORG)
    assert orgs == ["Arrikto", "Comet", "Data Studio", "Neptune AI", "Rapids", "Seldon", "Tableau"]
    assert tools["Arrikto"].org == "arrikto"
    assert (tools["Tune"].kind, tools["Tune"].repo, tools["Tune"].subpath) == (
        LinkKind.SUBPATH, "ray-project/ray", "python/ray/tune",
    )  # fmt: skip
    assert (tools["MLlib"].kind, tools["MLlib"].repo, tools["MLlib"].subpath) == (
        LinkKind.SUBPATH, "apache/spark", "mllib",
    )  # fmt: skip
    assert tools["Ray"].kind == LinkKind.REPO
    assert tools["Mlflow"].stages == ("ML Metadata Store", "Monitoring")


def test_csv_16_columns(study: Path) -> None:
    catalog = read_catalog(study / "csvdata" / "2021-05-20.csv")
    tools = {tool.name: tool for tool in catalog.tools}
    assert tools["AutoGluon"].categories == ("AutoML",)
    assert tools["AutoGluon"].repo == "awslabs/autogluon"
    assert "CI/CD" in [c.name for c in catalog.categories]
    # 78 data rows (`wc -l` minus the header), each its own repository (Tune and MLlib are absent)
    assert len(catalog.tools) == 78


def test_csv_12_columns_has_no_names_or_categories(study: Path) -> None:
    catalog = read_catalog(study / "csvdata" / "2021-05-09.csv")
    # 80 data rows; Tune and MLlib lost their folder in this CSV (rows 37 and 63 repeat
    # ray-project/ray and apache/spark), so they merge with Ray and Spark
    assert len(catalog.tools) == 78
    autogluon = next(tool for tool in catalog.tools if tool.repo == "awslabs/autogluon")
    assert (autogluon.name, autogluon.categories, autogluon.stages) == ("autogluon", (), ())
    assert catalog.categories == ()


def test_csv_12_columns_read_with_the_ods_gets_names_and_categories(study: Path) -> None:
    merged = read_catalogs([study / "FerramentasMLOps.ods", study / "csvdata" / "2021-05-09.csv"])
    autogluon = next(tool for tool in merged.tools if tool.repo == "awslabs/autogluon")
    assert (autogluon.name, autogluon.categories) == ("AutoGluon", ("AutoML",))
    assert " + " in merged.source


def test_csv_bad_rows_are_problems(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    header = (
        "gspread_row;use_area;tool_name;repo_owner;repo_name;main_branch;total_commits;"
        "last_commit_check;fork_count;stars_count;watchers_count;license_name;primary_language;"
        "is_archived;open_issues;closed_issues"
    )
    path.write_text(
        header + "\n2;AutoML;A;o;a;main;1;False;1;1;1;MIT;Python;False;0;0\n3;AutoML;B;o\n"
        "4;AutoML;C;;;main;1;False;1;1;1;MIT;Python;False;0;0\n",
        encoding="utf-8",
    )
    catalog = read_catalog(path)
    assert [tool.name for tool in catalog.tools] == ["A"]
    assert [(p.line, p.reason) for p in catalog.problems] == [
        (3, "4 fields, expected 16"),
        (4, "row has no owner/name"),
    ]


def _ods(path: Path, sheet: str, rows: list[list[str]]) -> Path:
    """A minimal real ODS file with one sheet."""
    cells = "".join(
        "<table:table-row>"
        + "".join(f"<table:table-cell><text:p>{cell}</text:p></table:table-cell>" for cell in row)
        + "</table:table-row>"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        f'<office:spreadsheet><table:table table:name="{sheet}">{cells}'
        '<table:table-row table:number-rows-repeated="1048000">'
        "<table:table-cell/></table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    return path


def test_an_ods_without_the_sheet_is_an_error(tmp_path: Path) -> None:
    path = _ods(tmp_path / "other.ods", "Other", [["Uso", "Nome", "Github"]])
    with pytest.raises(CatalogError, match="no sheet named 'Ferramentas'"):
        read_catalog(path)


def test_ods_rows_without_name_or_link_are_problems(tmp_path: Path) -> None:
    rows = [
        ["Uso", "Nome", "Github", "Licença"],
        ["Feature Store ", "Feast", "https://github.com/feast-dev/feast", "Apache-2.0"],
        ["Feature Store", "", "https://github.com/x/y", ""],
        ["Feature Store", "NoLink", "n/a", ""],
    ]
    catalog = read_catalog(_ods(tmp_path / "tools.ods", "Ferramentas", rows))
    assert [(t.name, t.categories) for t in catalog.tools] == [("Feast", ("Feature Store",))]
    assert [(p.line, p.reason) for p in catalog.problems] == [
        (3, "row has no tool name (Nome)"),
        (4, "row has no http(s) link (Github)"),
    ]


def test_unknown_binary_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(CatalogError, match="unknown catalog format"):
        read_catalog(path)


def test_missing_file_is_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot read") as info:
        read_catalog(tmp_path / "absent.md")
    assert "\n" not in str(info.value)
