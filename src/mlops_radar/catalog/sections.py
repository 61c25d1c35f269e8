"""Which sections of a list hold tools: resource sections recognised by their words.

Awesome lists end (or begin) with sections that are not tools: reading lists (articles, books,
talks, courses, newsletters, papers), communities and events, other awesome lists, and the list's
own housekeeping (contributing, license, table of contents). A heading is a resource section when

- its whole name is one of `DEFAULT_RESOURCE_SECTIONS` (compared case-insensitively), or
- its head word (the last word: "MLOps Books", "Other Awesome Lists") is a resource noun, or
- every word of it is a resource noun or a connector ("Blogs & Newsletters", "Further Reading").

So "Dataset Management", "Knowledge Sharing" or "Model Serving" stay tool categories, whatever
words they hold. `--skip-section` and `--only-section` (matched case-insensitively) decide before
these rules; a section named by `--only-section` is read even if it looks like resources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mlops_radar.catalog.stages import category_key

__all__ = [
    "RESOURCE_WORDS",
    "SectionRules",
    "section_key",
    "structural",
]

#: Resource nouns, singular, and the reason a heading made of them is skipped.
RESOURCE_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ("article", "blog", "blogpost", "book", "ebook", "paper", "publication", "reading",
         "literature", "tutorial", "guide", "cheatsheet", "slide", "thesis"),
        "reading list",
    ),
    **dict.fromkeys(
        ("talk", "video", "podcast", "webinar", "course", "mooc", "lecture",
         "workshop", "education", "newsletter"),
        "learning material",
    ),
    **dict.fromkeys(
        ("community", "communities", "event", "conference", "meetup", "slack", "discord",
         "forum", "people", "influencer", "job", "interview"),
        "community",
    ),
    **dict.fromkeys(("list", "awesome", "website", "site", "link", "resource"), "other resources"),
    **dict.fromkeys(
        ("contributing", "contribute", "contribution", "contributor", "license", "licence",
         "sponsor", "acknowledgement", "acknowledgment", "credit", "footnote", "about",
         "content", "toc", "citation", "cite", "faq", "changelog", "author", "maintainer",
         "conduct", "disclaimer", "support", "star", "history", "legend", "note", "pr",
         "request"),
        "about the list",
    ),
}  # fmt: skip
#: Words that do not change what a heading is about ("Other Awesome Lists", "Books and Talks").
_CONNECTORS = frozenset(
    ("a", "an", "and", "&", "or", "of", "on", "the", "to", "for", "in", "with", "other", "more",
     "further", "additional", "useful", "recommended", "related", "see", "also", "table", "code",
     "must", "free", "top", "best", "our", "mlops", "ml", "machine", "learning", "ai", "data",
     "science", "engineering", "important", "pull")
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+|&")
# Irregular or ambiguous plurals; others lose a final "s" ("books" -> "book").
_SINGULAR = {"communities": "community", "series": "series", "news": "newsletter", "prs": "pr"}


def section_key(name: str) -> str:
    """How section names are compared: the same as categories (`stages.category_key`)."""
    return category_key(name)


def _singular(word: str) -> str:
    if word in _SINGULAR:
        return _SINGULAR[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def resource_reason(name: str) -> str | None:
    """Why a heading names a resource section by its words, or None for a tool category."""
    words = [_singular(w) for w in _WORD.findall(name.casefold())]
    if not words:
        return None
    head = RESOURCE_WORDS.get(words[-1])
    if head is not None and words[-1] not in ("star", "history", "support"):
        return f"{head} ({words[-1]})"
    meaningful = [w for w in words if w not in _CONNECTORS]
    if meaningful and all(w in RESOURCE_WORDS for w in meaningful):
        return f"{RESOURCE_WORDS[meaningful[0]]} ({meaningful[0]})"
    return None


#: Head words of headings that only organise the page ("Contents", "Table of Contents", "Main
#: Content"): the section itself is skipped (its lines are links to the page's own headings),
#: its subsections are not ("# Main Content" over "## AutoML" in EthicalML's list).
_STRUCTURAL = frozenset(("content", "toc"))


def structural(name: str) -> bool:
    """Whether a heading only organises the page (its subsections are read by their own names)."""
    words = [_singular(w) for w in _WORD.findall(name.casefold())]
    meaningful = [w for w in words if w not in _CONNECTORS]
    return (
        bool(meaningful)
        and meaningful[-1] in _STRUCTURAL
        and all(w in _STRUCTURAL or w == "main" for w in meaningful)
    )


@dataclass(frozen=True, slots=True)
class SectionRules:
    """What decides whether a section holds tools (names compared with `section_key`)."""

    resource_sections: frozenset[str]
    skip: frozenset[str] = frozenset()
    only: frozenset[str] = frozenset()
    by_words: bool = True
    keep: frozenset[str] = frozenset()  # --keep-section: read as tools whatever their words

    def reason_to_skip(self, name: str, *, inside_only: bool = False) -> str | None:
        """None when the section is read as tools; else why it is skipped.

        With `only`, a section that is not named is skipped unless it lies under one that is
        (`inside_only`: the caller reads a named section's subsections by the other rules); a
        named one is read whatever its words.
        """
        key = section_key(name)
        if key in self.skip:
            return "skipped by --skip-section"
        if self.only and not inside_only:
            return None if key in self.only else "not named by --only-section"
        if key in self.keep:
            return None
        if key in self.resource_sections:
            return "resource section (by name)"
        if self.by_words:
            reason = resource_reason(name)
            if reason is not None:
                return f"resource section: {reason}"
        return None

    def kept(self, name: str) -> bool:
        """Whether --keep-section names this section (read even under a skipped one)."""
        return section_key(name) in self.keep and section_key(name) not in self.skip

    def covers_subsections(self, name: str) -> bool:
        """Whether skipping section `name` skips its subsections too: yes, unless the heading only
        organises the page ("Main Content", "Table of Contents") and --skip-section did not
        name it."""
        return section_key(name) in self.skip or not structural(name)
