"""The GitHub Actions workflow for a list repository: on a schedule and on demand, collect the
catalog's repositories with the repository's own token, write the Markdown list and the site,
commit the list when it changed and publish the site to GitHub Pages.

Written as text (YAML has no comments once dumped, and each pinned action carries its version in
one). Every value the caller gives is checked against a narrow pattern and reaches the shell only
through an environment variable (`"$CATALOG"`), never spliced into a script, so no value can add
YAML keys, shell commands or `${{ }}` expressions. See docs/report-markdown.md.
"""

from __future__ import annotations

import json
import re

from mlops_radar.errors import ConfigError

__all__ = ["ACTIONS", "render_workflow"]

#: The actions the workflow uses, pinned to a full commit SHA (a tag can be moved, a SHA not),
#: with the release it is. The SHAs were read from each action's repository (its release tag).
ACTIONS = {
    "checkout": ("actions/checkout", "3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
    "setup-python": ("actions/setup-python", "5fda3b95a4ea91299a34e894583c3862153e4b97", "v7.0.0"),
    "cache": ("actions/cache", "27d5ce7f107fe9357f9df03efb73ab90386fccae", "v5.0.5"),
    "upload-pages-artifact": (
        "actions/upload-pages-artifact", "fc324d3547104276b827a68afc52ff2a11cc49c9", "v5.0.0",
    ),
    "deploy-pages": ("actions/deploy-pages", "cd2ce8fcbc39b97be8ca5fce6e763baed58fa128", "v5.0.0"),
}  # fmt: skip

#: Where the workflow keeps the snapshot database between runs, and where it writes the site.
DB_DIR = ".mlops-radar"
SITE_DIR = "site"

_PATH = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/-]{0,199}")
_URL = re.compile(r"https://[A-Za-z0-9.-]{1,253}(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~%/+-]{0,400})?")
_CRON_FIELD = re.compile(r"[0-9A-Za-z*/,-]{1,40}")
_PYTHON = re.compile(r"3\.[0-9]{1,2}")
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_PACKAGE = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}(?:\[[A-Za-z0-9._,-]{1,100}\])?"
    r"(?:(?:===?|~=|!=|>=?|<=?)[A-Za-z0-9.*+!-]{1,40}(?:,(?:===?|~=|!=|>=?|<=?)[A-Za-z0-9.*+!-]{1,40})*)?"
    r"|git\+https://github\.com/[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}(?:@[A-Za-z0-9._/-]{1,100})?"
)


def _refuse(what: str, value: str, wants: str) -> ConfigError:
    return ConfigError(f"workflow: {what} {value!r} refused: {wants}")


def _relative(what: str, value: str) -> str:
    """A path inside the repository: no `..`, no absolute path, nothing under `.git`."""
    parts = value.split("/")
    if not _PATH.fullmatch(value) or ".." in parts or ".git" in parts or "" in parts[:-1]:
        raise _refuse(
            what, value, "a relative path of letters, digits and ._/- inside the repository"
        )
    return value


def _catalog(value: str) -> str:
    if value.startswith("https://"):
        if not _URL.fullmatch(value):
            raise _refuse("catalog", value, "an https URL of letters, digits and ._~%/+-")
        return value
    return _relative("catalog", value)


def _schedule(value: str) -> str:
    fields = value.split(" ")
    if len(fields) != 5 or not all(_CRON_FIELD.fullmatch(f) for f in fields):
        raise _refuse("schedule", value, "five cron fields separated by single spaces")
    return value


def _checked(what: str, value: str, pattern: re.Pattern[str], wants: str) -> str:
    if not pattern.fullmatch(value):
        raise _refuse(what, value, wants)
    return value


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's); the values are already
    checked, this keeps YAML from reading `3.10` as a number or `on` as a boolean."""
    return json.dumps(value)


def _uses(action: str) -> str:
    repo, sha, version = ACTIONS[action]
    return f"uses: {repo}@{sha} # {version}"


def render_workflow(
    *,
    catalog: str,
    schedule: str = "0 6 * * 1",
    python: str = "3.11",
    site: bool = True,
    list_path: str = "README.md",
    db_cache_key: str = "mlops-radar-db",
    package: str = "mlops-radar",
) -> str:
    """The workflow's YAML. `catalog`: a path in the list repository or an https URL;
    `schedule`: cron (UTC); `list_path`: the Markdown list to commit (a `.md` file);
    `db_cache_key`: the prefix of the cache the snapshot database travels in; `package`: what
    pip installs (a requirement, or git+https://github.com/OWNER/NAME@REF). `site` False: no
    site, no Pages job. Raises ConfigError naming the refused value."""
    catalog = _catalog(catalog)
    schedule = _schedule(schedule)
    python = _checked("python", python, _PYTHON, "a Python version such as 3.11")
    list_path = _relative("list path", list_path)
    if not list_path.endswith(".md"):
        raise _refuse("list path", list_path, "a Markdown file (.md)")
    key = _checked("cache key", db_cache_key, _KEY, "letters, digits and ._-")
    package = _checked("package", package, _PACKAGE, "a pip requirement or a GitHub git URL")
    lines = [
        "# Written by `mlops-radar report --format workflow`. Actions are pinned to full commit",
        "# SHAs (the release in each comment); update them together with a new mlops-radar.",
        "name: mlops-radar",
        "",
        "on:",
        "  schedule:",
        f"    - cron: {_q(schedule)}",
        "  workflow_dispatch:",
        "",
        "# Nothing by default; each job asks for what it needs.",
        "permissions: {}",
        "",
        "concurrency:",
        "  group: mlops-radar",
        "  cancel-in-progress: false",
        "",
        "env:",
        f"  CATALOG: {_q(catalog)}",
        f"  LIST_PATH: {_q(list_path)}",
        f"  PACKAGE: {_q(package)}",
        f"  MLOPS_RADAR_DB: {_q(DB_DIR + '/radar.sqlite3')}",
        "",
        "jobs:",
        "  report:",
        "    runs-on: ubuntu-latest",
        "    permissions:",
        "      contents: write # commit the list",
        "    steps:",
        "      - name: Check out the list repository",
        f"        {_uses('checkout')}",
        "      - name: Set up Python",
        f"        {_uses('setup-python')}",
        "        with:",
        f"          python-version: {_q(python)}",
        "      - name: Install mlops-radar",
        '        run: python -m pip install "$PACKAGE"',
        "      - name: Restore the snapshot database of the previous run",
        f"        {_uses('cache')}",
        "        with:",
        f"          path: {DB_DIR}",
        # a cache entry cannot be overwritten: each run saves under its own key and the next
        # restores the newest entry with the prefix
        f"          key: {key}-${{{{ github.run_id }}}}-${{{{ github.run_attempt }}}}",
        "          restore-keys: |",
        f"            {key}-",
        "      - name: Collect the catalog's repositories from GitHub",
        "        env:",
        "          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}",
        "        run: |",
        f"          mkdir -p {DB_DIR}",
        "          status=0",
        '          mlops-radar collect --catalog "$CATALOG" || status=$?',
        "          # 4: complete, with more repositories missing than the warning level",
        '          if [ "$status" -ne 0 ] && [ "$status" -ne 4 ]; then exit "$status"; fi',
        "      - name: Write the Markdown list",
        '        run: mlops-radar report --format markdown --out "$LIST_PATH"',
    ]
    if site:
        lines += [
            "      - name: Write the site",
            f"        run: mlops-radar report --out {SITE_DIR}",
        ]
    lines += [
        "      - name: Commit the list if it changed",
        "        run: |",
        '          git add -- "$LIST_PATH"',
        "          if git diff --cached --quiet; then",
        '            echo "the list did not change"',
        "          else",
        '            git -c user.name="github-actions[bot]" \\',
        '              -c user.email="41898282+github-actions[bot]@users.noreply.github.com" \\',
        '              commit -m "Update the list (mlops-radar)"',
        "            git push",
        "          fi",
    ]
    if site:
        lines += [
            "      - name: Upload the site for GitHub Pages",
            f"        {_uses('upload-pages-artifact')}",
            "        with:",
            f"          path: {SITE_DIR}",
            "",
            "  deploy:",
            "    needs: report",
            "    runs-on: ubuntu-latest",
            "    permissions:",
            "      pages: write # publish to GitHub Pages",
            "      id-token: write # prove to Pages the artifact comes from this workflow",
            "    environment:",
            "      name: github-pages",
            "      url: ${{ steps.deployment.outputs.page_url }}",
            "    steps:",
            "      - name: Publish the site",
            "        id: deployment",
            f"        {_uses('deploy-pages')}",
        ]
    return "\n".join(lines) + "\n"
