"""Propose pipeline stages for list categories that a taxonomy does not map.

A category is matched against one *profile* per stage, built only from the taxonomy: the stage's
name, its description (`note`/`description` in the stage-map file) and the names of the categories
the taxonomy already maps to it. The category's side is its name and its tools' descriptions (and
topics, when a caller has them). Similarity is TF-IDF cosine (scikit-learn), half on words and half
on character 3-5-grams (which catch "monitor"/"monitoring"), half on the name and half on the
descriptions. Each category is scored on its own: a proposal does not depend on the other
categories of the list. docs/catalog.md says why TF-IDF rather than fuzzy matching or an embedding
model, with the measured agreement.

Pure functions over a `StageMap` and category texts; the only I/O is `stage_descriptions`, which
reads the descriptions the `StageMap` does not keep.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from mlops_radar.catalog.records import Catalog
from mlops_radar.catalog.stages import OURS, StageMap, category_key
from mlops_radar.errors import ConfigError
from mlops_radar.textfiles import read_capped

__all__ = [
    "CategoryText",
    "LeaveOneOut",
    "StageProfile",
    "StageProposal",
    "category_texts",
    "leave_one_out",
    "propose",
    "propose_for_catalog",
    "stage_descriptions",
    "stage_map_yaml",
    "stage_profiles",
]

# A stage within this share of the best stage's score is proposed too (a category may span stages).
CLOSE_SHARE = 0.9
MAX_STAGES = 3
WHY_WORDS = 5
_WORD_PATTERN = r"(?u)\b[^\W\d_][^\W_]+\b"  # words of 2+ letters/digits, starting with a letter


@dataclass(frozen=True, slots=True)
class StageProfile:
    """What the matcher knows about one stage: texts taken from the taxonomy only."""

    stage: str
    texts: tuple[str, ...]  # the stage's name, its description, the names of its categories


@dataclass(frozen=True, slots=True)
class CategoryText:
    """A category as the matcher sees it: its name and its tools' descriptions and topics."""

    name: str
    descriptions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StageProposal:
    """Proposed stages of one category (pipeline order), how sure, and the words that decided it.

    `stages` is empty (and `confidence` 0) only when nothing in the category's texts resembles any
    stage's profile: no proposal rather than a guess. `confidence` is the best score's lead over
    the best stage not proposed, as a share of the best score (0 = a tie, 1 = nothing else
    matched). `scores` holds every stage's similarity.
    """

    category: str
    stages: tuple[str, ...]
    confidence: float
    why: tuple[str, ...]
    scores: Mapping[str, float]

    def as_dict(self) -> dict[str, object]:
        """The JSON of `catalog map --json` for this proposal."""
        return {
            "category": self.category,
            "stages": list(self.stages),
            "confidence": self.confidence,
            "why": list(self.why),
        }


@dataclass(frozen=True, slots=True)
class LeaveOneOut:
    """One mapped category proposed with itself removed from the profiles, beside the taxonomy."""

    category: str
    taxonomy_stages: tuple[str, ...]
    proposal: StageProposal

    @property
    def top_agrees(self) -> bool:
        """The best proposed stage is one of the taxonomy's stages for the category."""
        return bool(self.proposal.stages) and self.proposal.stages[0] in self.taxonomy_stages

    @property
    def overlaps(self) -> bool:
        """At least one proposed stage is one of the taxonomy's."""
        return bool(set(self.proposal.stages) & set(self.taxonomy_stages))


def stage_descriptions(taxonomy: str, user_file: Path | None = None) -> dict[str, str]:
    """Stage name -> its description (`note` or `description`) from the taxonomy's files.

    `load_stage_map` validates these files and keeps only the names; this reads the words the
    profiles use. A user file's descriptions are added to (after) the shipped ones.
    """
    resource = resources.files("mlops_radar.catalog") / "data" / f"stages-{taxonomy}.yaml"
    texts = [(resource.read_text(encoding="utf-8"), f"stages-{taxonomy}.yaml")]
    if user_file is not None:
        try:
            texts.append((read_capped(user_file), str(user_file)))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{user_file}: cannot read the stage map: {exc}") from exc
    found: dict[str, list[str]] = {}
    for text, name in texts:
        try:
            top = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ConfigError(f"{name}: invalid YAML: {exc}".splitlines()[0]) from exc
        except RecursionError as exc:
            raise ConfigError(f"{name}: invalid YAML: nested too deeply") from exc
        stages = top.get("stages") if isinstance(top, dict) else None
        for stage in stages if isinstance(stages, list) else ():
            if isinstance(stage, dict) and isinstance(stage.get("name"), str):
                words = [stage.get(key) for key in ("description", "note")]
                found.setdefault(stage["name"], []).extend(w for w in words if isinstance(w, str))
    return {stage: " ".join(words) for stage, words in found.items() if words}


def stage_profiles(
    stage_map: StageMap,
    descriptions: Mapping[str, str] | None = None,
    *,
    leave_out: str | None = None,
) -> tuple[StageProfile, ...]:
    """One profile per stage of `stage_map`, in pipeline order; `leave_out` names a category whose
    name is kept out of every profile (the leave-one-out check)."""
    descriptions = descriptions or {}
    left_out = category_key(leave_out) if leave_out is not None else None
    profiles = []
    for stage in stage_map.stages:
        categories = [
            key for key, stages in stage_map.mapping.items() if stage in stages and key != left_out
        ]
        described = [descriptions[stage]] if descriptions.get(stage) else []
        profiles.append(StageProfile(stage, (stage, *described, *categories)))
    return tuple(profiles)


def category_texts(
    catalog: Catalog,
    categories: Iterable[str] | None = None,
    topics: Mapping[str, Sequence[str]] | None = None,
) -> tuple[CategoryText, ...]:
    """The texts of `categories` (default: every category of the catalog, in its order).

    `topics` maps a tool's `identity` to its topics (e.g. GitHub's), where the caller has them;
    no catalog reader supplies topics.
    """
    wanted = [c.name for c in catalog.categories] if categories is None else list(categories)
    topics = topics or {}
    texts = []
    for name in wanted:
        descriptions = []
        for tool in catalog.tools:
            if name not in tool.categories:
                continue
            parts = [tool.description or "", " ".join(topics.get(tool.identity, ()))]
            text = " ".join(p for p in parts if p.strip())
            if text:
                descriptions.append(text)
        texts.append(CategoryText(name, tuple(descriptions)))
    return tuple(texts)


def propose(category: CategoryText, profiles: Sequence[StageProfile]) -> StageProposal:
    """Stages proposed for one category: the best-matching profile and any within
    `CLOSE_SHARE` of it (at most `MAX_STAGES`), in pipeline order."""
    stages = [p.stage for p in profiles]
    similarity = _Similarity(
        [" . ".join(p.texts) for p in profiles], category.name, " . ".join(category.descriptions)
    )
    scores = dict(zip(stages, similarity.scores, strict=True))
    ranked = sorted(stages, key=lambda s: -scores[s])
    best = scores[ranked[0]] if ranked else 0.0
    if best <= 0.0:
        return StageProposal(category.name, (), 0.0, (), scores)
    chosen = [s for s in ranked[:MAX_STAGES] if scores[s] >= CLOSE_SHARE * best]
    runner_up = max((scores[s] for s in stages if s not in chosen), default=0.0)
    why = similarity.why([stages.index(s) for s in chosen], WHY_WORDS)
    return StageProposal(
        category=category.name,
        stages=tuple(s for s in stages if s in chosen),
        confidence=round((best - runner_up) / best, 2),
        why=why,
        scores={s: round(v, 4) for s, v in scores.items()},
    )


def propose_for_catalog(
    catalog: Catalog,
    stage_map: StageMap,
    descriptions: Mapping[str, str] | None = None,
    topics: Mapping[str, Sequence[str]] | None = None,
) -> tuple[StageProposal, ...]:
    """A proposal for every category of `catalog` that `stage_map` does not map, in file order."""
    unmapped = [c.name for c in catalog.categories if not stage_map.stages_of(c.name)]
    profiles = stage_profiles(stage_map, descriptions)
    return tuple(propose(text, profiles) for text in category_texts(catalog, unmapped, topics))


def leave_one_out(
    catalog: Catalog,
    stage_map: StageMap,
    descriptions: Mapping[str, str] | None = None,
) -> tuple[LeaveOneOut, ...]:
    """Every category of `catalog` that `stage_map` maps, proposed with its own name removed from
    the profiles: a check of the matcher against the taxonomy, never part of its data."""
    mapped = [c.name for c in catalog.categories if stage_map.stages_of(c.name)]
    return tuple(
        LeaveOneOut(
            text.name,
            stage_map.stages_of(text.name),
            propose(text, stage_profiles(stage_map, descriptions, leave_out=text.name)),
        )
        for text in category_texts(catalog, mapped)
    )


def stage_map_yaml(stage_map: StageMap, proposals: Sequence[StageProposal], source: str) -> str:
    """A stage-map file (the `stages-*.yaml` schema, loadable by `load_stage_map`) holding the
    proposals, each marked `proposed_by: mlops-radar`, for a person to confirm or correct."""
    entries: dict[str, dict[str, object]] = {}
    for proposal in proposals:
        if proposal.stages:
            entries[proposal.category] = {
                "stages": list(proposal.stages),
                "proposed_by": OURS,
                "confidence": proposal.confidence,
                "why": list(proposal.why),
            }
    document = {
        "taxonomy": stage_map.taxonomy,
        "stages": [{"name": stage} for stage in stage_map.stages],
        "categories": entries,
    }
    unproposed = [p.category for p in proposals if not p.stages]
    header = [
        f"# Stages proposed by `mlops-radar catalog map` for the categories of {_one_line(source)}",
        f"# that the {stage_map.taxonomy} taxonomy does not map. Check each one:",
        "# correct its stages, then delete `proposed_by` (and `confidence`, `why`).",
        "# Use it with --stage-map FILE.",
    ]
    if unproposed:
        names = ", ".join(_one_line(name) for name in unproposed)
        header.append(f"# No proposal (nothing matched), map by hand: {names}")
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(header) + "\n" + body


class _Similarity:
    """TF-IDF cosine of each profile with the category's name and with its descriptions, on words
    and on character 3-5-grams, each half of the score; and the terms behind it."""

    def __init__(self, profiles: Sequence[str], name: str, descriptions: str) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer  # heavy: imported on use

        self.parts = []
        corpus = [*profiles, name, descriptions]
        for vectorizer in (
            TfidfVectorizer(stop_words="english", sublinear_tf=True, token_pattern=_WORD_PATTERN),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True),
        ):
            try:
                matrix = vectorizer.fit_transform(corpus).toarray()
            except ValueError:  # no term at all (empty texts, or stop words only)
                continue
            stage_rows, query = matrix[: len(profiles)], (matrix[-2] + matrix[-1]) / 2
            terms = vectorizer.get_feature_names_out()
            self.parts.append((stage_rows * query, [str(t) for t in terms]))
        self.profiles = profiles
        self.size = len(profiles)

    @property
    def scores(self) -> list[float]:
        """Per profile: the mean of the word and character similarities."""
        totals = [0.0] * self.size
        for contributions, _ in self.parts:
            for i, row in enumerate(contributions):
                totals[i] += float(row.sum()) / 2
        return totals

    def why(self, chosen: Sequence[int], limit: int) -> tuple[str, ...]:
        """The profile words that weigh most in the chosen profiles' scores: shared words first,
        then the profile words holding the heaviest shared character n-grams."""
        words: dict[str, float] = {}
        for kind, (contributions, terms) in enumerate(self.parts):
            weight = contributions[list(chosen)].sum(axis=0)
            for index in weight.argsort()[::-1][: limit * 3]:
                if weight[index] <= 0:
                    break
                term = terms[index].strip()
                word = term if kind == 0 else self._word_holding(term, chosen)
                if word and word not in words:
                    words[word] = float(weight[index]) + (1.0 if kind == 0 else 0.0)
        return tuple(sorted(words, key=lambda w: -words[w])[:limit])

    def _word_holding(self, gram: str, chosen: Sequence[int]) -> str | None:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        for index in chosen:
            for word in re.findall(_WORD_PATTERN, self.profiles[index].casefold()):
                if gram in word and word not in ENGLISH_STOP_WORDS:
                    return str(word)
        return None


def _one_line(text: str) -> str:
    """Untrusted text made safe inside a YAML comment: one line, no control characters."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)
