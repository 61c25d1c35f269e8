"""The files of a synthetic repository, with the answers a careful reader would give.

Every synthetic repository gets a README, a license file where it has a license (or a license
GitHub could not identify), and, for Python repositories, mostly a packaging manifest. The known
answers go on the `SimRepo`: `license_truth` (the SPDX expression a careful reader resolves from
the files, "" for a license file that is not a license, None for no license file) and
`pypi_name` (the distribution name the manifest declares, as written; None for no manifest).

License texts are the SPDX list's canonical texts (`data/licenses/`, see its SOURCE.md), with the
copyright placeholders filled where they have them. Repositories whose license GitHub reports as
`NOASSERTION` ("Other") get texts in forms GitHub's license detection misses: an ordinary license
behind a preamble, as an SPDX header line only, with many copyright holders, with a notice
appended, two licenses in one file or in two files, in Markdown; a modified BSD; licenses that
are not open source; files that are no license at all. Repositories without a license mostly
have no license file; some keep theirs only under `LICENSES/` (the REUSE layout), which GitHub's
detection does not read (an assumption: it reads the root folder).

Everything is drawn from `random.Random(f"{seed}:files:{index}")`, a stream of its own, so the
fields a seed gave before files existed keep their values.
"""

from __future__ import annotations

import functools
import gzip
import random
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from github_simulator.population import SimRepo

__all__ = ["RepoFiles", "license_text", "repository_files"]

# GitHub's spdxId -> the SPDX id of the text (GitHub still says GPL-3.0 and AGPL-3.0; a license
# file alone grants no "or later", so a careful reader resolves the "-only" identifiers).
_PLAIN = {
    "MIT": "MIT",
    "Apache-2.0": "Apache-2.0",
    "BSD-3-Clause": "BSD-3-Clause",
    "GPL-3.0": "GPL-3.0-only",
    "AGPL-3.0": "AGPL-3.0-only",
    "MPL-2.0": "MPL-2.0",
}
_TEXT_OF = {"GPL-3.0-only": "GPL-3.0", "AGPL-3.0-only": "AGPL-3.0"}
_FILE_NAMES = {
    "MIT": (("LICENSE", 5), ("LICENSE.md", 2), ("LICENSE.txt", 3)),
    "Apache-2.0": (("LICENSE", 8), ("LICENSE.txt", 2)),
    "BSD-3-Clause": (("LICENSE", 7), ("LICENSE.md", 3)),
    "GPL-3.0-only": (("COPYING", 6), ("LICENSE", 4)),
    "AGPL-3.0-only": (("LICENSE", 1),),
    "MPL-2.0": (("LICENSE", 1),),
}


@dataclass(frozen=True)
class RepoFiles:
    """A repository's files and their known answers."""

    files: dict[str, str | bytes]
    license_truth: str | None
    pypi_name: str | None


@functools.cache
def license_text(spdx_id: str) -> str:
    """The SPDX list's canonical text of `spdx_id` (one of the texts shipped in the package)."""
    name = _TEXT_OF.get(spdx_id, spdx_id)
    blob = resources.files("github_simulator").joinpath(f"data/licenses/{name}.txt.gz")
    return gzip.decompress(blob.read_bytes()).decode("utf-8")


def _filled(spdx_id: str, year: int, holder: str) -> str:
    """The text with its copyright line filled (MIT, BSD); the other texts keep their appendix
    templates (`[yyyy] [name of copyright owner]`, `<year> <name of author>`), as most projects
    leave them."""
    text = license_text(spdx_id)
    if spdx_id not in ("MIT", "BSD-3-Clause"):
        return text
    text = text.replace("<year>", str(year), 1)
    return text.replace("<copyright holders>", holder, 1).replace("<owner>", holder, 1)


def _pick(choices: tuple[tuple[str, int], ...], rng: random.Random) -> str:
    return rng.choices([c for c, _ in choices], [w for _, w in choices])[0]


def repository_files(repo: SimRepo, seed: int, index: int) -> RepoFiles:
    """The files of the `index`-th synthetic repository of `seed`, with their known answers."""
    rng = random.Random(f"{seed}:files:{index}")
    year = repo.created_at.year
    holder = repo.owner if rng.random() < 0.6 else f"The {repo.display_name} Authors"
    files: dict[str, str | bytes] = {".gitignore": "__pycache__/\n*.egg-info/\n.venv/\n"}
    truth = _license_files(repo.license_spdx, files, year, holder, rng)
    pypi_name = _manifest(repo, files, rng) if repo.language == "Python" else None
    install = f"\n## Install\n\n```\npip install {pypi_name}\n```\n" if pypi_name else ""
    files["README.md"] = f"# {repo.display_name}\n\n{repo.description or ''}\n{install}"
    return RepoFiles(files, truth, pypi_name)


def _license_files(
    spdx: str | None, files: dict[str, str | bytes], year: int, holder: str, rng: random.Random
) -> str | None:
    if spdx in _PLAIN:
        truth = _PLAIN[spdx]
        files[_pick(_FILE_NAMES[truth], rng)] = _filled(truth, year, holder)
        if truth == "Apache-2.0" and rng.random() < 0.15:
            files["LICENSES/Apache-2.0.txt"] = license_text("Apache-2.0")
        return truth
    if spdx == "NOASSERTION":
        form = _pick(tuple((name, weight) for name, (weight, _) in _UNRECOGNISED.items()), rng)
        return _UNRECOGNISED[form][1](files, year, holder, rng)
    if rng.random() < 0.25:  # no license GitHub can see: only the REUSE folder
        truth = "MIT" if rng.random() < 0.5 else "Apache-2.0"
        files[f"LICENSES/{truth}.txt"] = _filled(truth, year, holder)
        return truth
    return None


_Form = Callable[[dict[str, str | bytes], int, str, random.Random], str]


def _preamble(files: dict[str, str | bytes], year: int, holder: str, rng: random.Random) -> str:
    files["LICENSE"] = (
        f"{holder} releases this project under the MIT license, reproduced below. Contributions "
        "are accepted under the same terms; see CONTRIBUTING.md for how to sign off.\n\n"
        + _filled("MIT", year, holder)
    )
    return "MIT"


def _spdx_header(files: dict[str, str | bytes], year: int, holder: str, rng: random.Random) -> str:
    spdx = "Apache-2.0" if rng.random() < 0.5 else "BSD-3-Clause"
    files["LICENSE"] = f"SPDX-License-Identifier: {spdx}\n\nCopyright (c) {year} {holder}\n"
    return spdx


def _many_holders(files: dict[str, str | bytes], year: int, holder: str, rng: random.Random) -> str:
    holders = "".join(
        f"Copyright (c) {year + i % 4} contributor-{rng.randrange(10_000)}\n" for i in range(40)
    )
    text = _filled("MIT", year, holder)
    files["LICENSE.txt"] = text.replace("\n\n", f"\n\n{holders}\n", 1)
    return "MIT"


def _appended(files: dict[str, str | bytes], year: int, holder: str, rng: random.Random) -> str:
    files["LICENSE"] = license_text("Apache-2.0") + (
        f"\n\n---\n\n{holder}\nThis product includes software developed by {holder} ({year}). "
        "Third-party components and their notices are listed in THIRD_PARTY_NOTICES.md.\n"
    )
    return "Apache-2.0"


def _concatenated(files: dict[str, str | bytes], year: int, holder: str, rng: random.Random) -> str:
    files["LICENSE"] = (
        "This project is dual-licensed: you may use it under either license below, at your "
        "option.\n\n" + _filled("MIT", year, holder) + "\n\n" + license_text("Apache-2.0")
    )
    return "Apache-2.0 OR MIT"


def _two_files(files: dict[str, str | bytes], year: int, holder: str, rng: random.Random) -> str:
    files["LICENSE-APACHE"] = license_text("Apache-2.0")
    files["LICENSE-MIT"] = _filled("MIT", year, holder)
    return "Apache-2.0 OR MIT"


def _markdown(files: dict[str, str | bytes], year: int, holder: str, rng: random.Random) -> str:
    paragraphs = _filled("MIT", year, holder).split("\n\n")
    body = "\n\n".join(f"> {p}" if p.startswith("THE SOFTWARE") else p for p in paragraphs[2:])
    files["LICENSE.md"] = f"# The MIT License (MIT)\n\n**{paragraphs[1]}**\n\n{body}"
    return "MIT"


def _modified_bsd(files: dict[str, str | bytes], year: int, holder: str, rng: random.Random) -> str:
    files["LICENSE"] = license_text("BSD-3-Clause-No-Nuclear-License")
    return "BSD-3-Clause-No-Nuclear-License"


def _source_available(
    files: dict[str, str | bytes], year: int, holder: str, rng: random.Random
) -> str:
    spdx = _pick((("BUSL-1.1", 2), ("SSPL-1.0", 1), ("CC-BY-NC-4.0", 1)), rng)
    files["LICENSE" if spdx != "CC-BY-NC-4.0" else "LICENSE.md"] = license_text(spdx)
    return spdx


def _proprietary(files: dict[str, str | bytes], year: int, holder: str, rng: random.Random) -> str:
    files["LICENSE"] = (
        f"Copyright (c) {year} {holder}. All rights reserved.\n\n"
        "This software is proprietary and confidential. No part of it may be copied, modified, "
        "distributed or used without the prior written permission of the copyright holder.\n"
    )
    return "LicenseRef-Proprietary"


def _not_a_license(
    files: dict[str, str | bytes], year: int, holder: str, rng: random.Random
) -> str:
    files["LICENSE"] = rng.choice(
        (
            "TODO: choose a license before the first release.\n",
            "See the documentation for terms of use.\n",
            f"{holder}\n\nPlease cite our paper if you use this code.\n",
        )
    )
    return ""


# form -> (weight, writer returning the truth)
_UNRECOGNISED: dict[str, tuple[int, _Form]] = {
    "preamble": (3, _preamble),
    "spdx header": (2, _spdx_header),
    "many holders": (2, _many_holders),
    "appended notice": (2, _appended),
    "concatenated": (2, _concatenated),
    "two files": (3, _two_files),
    "markdown": (2, _markdown),
    "modified bsd": (1, _modified_bsd),
    "source available": (2, _source_available),
    "proprietary": (1, _proprietary),
    "not a license": (2, _not_a_license),
}


def _manifest(repo: SimRepo, files: dict[str, str | bytes], rng: random.Random) -> str | None:
    """A Python packaging manifest: mostly pyproject.toml, some setup.cfg or setup.py, some none."""
    slug = repo.name
    name = _pick(
        (
            (slug, 5),
            (slug.replace("-", "_"), 1),
            (repo.display_name, 2),
            (f"{slug}-sdk", 1),
            (f"py{slug}", 1),
        ),
        rng,
    )
    package = slug.replace("-", "_").lower()
    files[f"src/{package}/__init__.py"] = '__version__ = "0.1.0"\n'
    kind = _pick(
        (("pyproject", 55), ("poetry", 8), ("setup.cfg", 12), ("setup.py", 12), ("none", 13)), rng
    )
    if kind == "pyproject":
        files["pyproject.toml"] = (
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
            f'[project]\nname = "{name}"\nversion = "0.1.0"\nrequires-python = ">=3.9"\n'
        )
    elif kind == "poetry":
        files["pyproject.toml"] = (
            f'[tool.poetry]\nname = "{name}"\nversion = "0.1.0"\ndescription = ""\n\n'
            '[build-system]\nrequires = ["poetry-core"]\n'
            'build-backend = "poetry.core.masonry.api"\n'
        )
    elif kind == "setup.cfg":
        files["setup.cfg"] = f"[metadata]\nname = {name}\nversion = 0.1.0\n\n[options]\n"
        files["pyproject.toml"] = '[build-system]\nrequires = ["setuptools>=61"]\n'
    elif kind == "setup.py":
        files["setup.py"] = (
            "from setuptools import find_packages, setup\n\n"
            f'setup(\n    name="{name}",\n    version="0.1.0",\n'
            '    packages=find_packages("src"),\n)\n'
        )
    else:
        return None  # a Python repository without any manifest
    return name
