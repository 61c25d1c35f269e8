"""The radar: deterministic, meaningful blip placement and its SVG.

Segments are the groups of a radar (a stage's categories, or the stages), any number of them, each
an angle proportional to its tools; rings are Adopt, Trial, Assess, Hold from the centre out
(Unrated tools are listed beside, never placed). Within its ring a blip's distance from the centre
follows its score (the ring's best score innermost); blips sit on a lattice whose points are at
least one blip diameter apart (also across cells), so they never overlap; a ring grows outward
until each of its cells has a point for every blip. Same data, same picture: no randomness.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import numpy as np

from mlops_radar.model.results import Ring

__all__ = ["PLACED_RINGS", "Blip", "Placed", "Radar", "layout", "radar_svg"]

PLACED_RINGS = (Ring.ADOPT, Ring.TRIAL, Ring.ASSESS, Ring.HOLD)
BLIP_R = 9.0  # a blip's radius in px (its number is drawn inside)
SPACING = 2 * BLIP_R + 3.0  # least distance between blip centres
RING_WIDTH = 70.0  # a ring's least width
MARGIN = 120.0  # room for segment labels around the radar


@dataclass(frozen=True, slots=True)
class Blip:
    """One tool on one radar."""

    number: int
    key: str
    name: str
    segment: str
    ring: Ring
    score: float
    href: str
    tip: str  # the ring reason and top reasons, shown on hover or focus
    mark: str | None = None  # "new", "in" (moved towards the centre), "out"


@dataclass(frozen=True, slots=True)
class Placed:
    blip: Blip
    x: float  # relative to the centre
    y: float


@dataclass(frozen=True, slots=True)
class Radar:
    segments: tuple[tuple[str, float, float], ...]  # name, start and end angle (radians)
    rings: tuple[tuple[Ring, float, float], ...]  # ring, inner and outer radius
    placed: tuple[Placed, ...]

    @property
    def radius(self) -> float:
        return self.rings[-1][2] if self.rings else RING_WIDTH


def _row_angles(r: float, a0: float, a1: float) -> np.ndarray:
    """Angles of one lattice row at radius `r` in [a0, a1]: neighbours a chord >= SPACING apart,
    each at least SPACING / 2 from the segment's edges."""
    half = min(1.0, SPACING / (2 * r))
    edge = math.asin(half)
    step = 2 * math.asin(half)
    span = (a1 - a0) - 2 * edge
    if span < 0:
        return np.empty(0)
    if a1 - a0 >= 2 * math.pi - 1e-9:  # one segment: the whole circle, no edges
        count = max(1, int((2 * math.pi) // step)) if r > 0 else 1
        return a0 + np.arange(count) * (2 * math.pi / count)
    count = int(span // step) + 1
    start = a0 + edge + (span - (count - 1) * step) / 2
    return start + np.arange(count) * step


def _rows(r0: float, r1: float) -> np.ndarray:
    first = r0 + SPACING / 2
    if first > r1 - SPACING / 2 + 1e-9:
        return np.empty(0)
    return first + np.arange(int((r1 - SPACING / 2 - first) // SPACING) + 1) * SPACING


def _lattice(a0: float, a1: float, r0: float, r1: float) -> tuple[np.ndarray, np.ndarray]:
    radii, angles = [], []
    for r in _rows(r0, r1):
        row = _row_angles(float(r), a0, a1)
        radii.append(np.full(len(row), r))
        angles.append(row)
    if not radii:
        return np.empty(0), np.empty(0)
    return np.concatenate(radii), np.concatenate(angles)


def _capacity(a0: float, a1: float, r0: float, r1: float) -> int:
    return sum(len(_row_angles(float(r), a0, a1)) for r in _rows(r0, r1))


def _spread(key: str) -> float:
    """A stable pseudo-random fraction for `key` (the preferred angle within the segment)."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return 0.15 + 0.7 * int.from_bytes(digest[:4], "big") / 2**32


def layout(segments: Sequence[tuple[str, Sequence[Blip]]]) -> Radar:
    """Place the placed rings' blips of `segments` (in the order given)."""
    placed_blips = [[b for b in blips if b.ring in PLACED_RINGS] for _, blips in segments]
    total = sum(len(b) for b in placed_blips)
    n = max(1, len(segments))
    pad = total / n * 0.3 + 1
    weights = [len(b) + pad for b in placed_blips] or [1.0]
    whole = sum(weights)
    angles, start = [], -math.pi / 2
    for (name, _), weight in zip(segments, weights, strict=False):
        end = start + 2 * math.pi * weight / whole
        angles.append((name, start, end))
        start = end
    rings: list[tuple[Ring, float, float]] = []
    inner = 0.0
    for ring in PLACED_RINGS:
        counts = [sum(1 for b in blips if b.ring == ring) for blips in placed_blips]
        outer = inner + RING_WIDTH
        while any(
            _capacity(a0, a1, inner, outer) < count
            for (_, a0, a1), count in zip(angles, counts, strict=True)
        ):
            outer += SPACING / 2
        rings.append((ring, inner, outer))
        inner = outer
    placed: list[Placed] = []
    for ring, r0, r1 in rings:
        scores = [b.score for blips in placed_blips for b in blips if b.ring == ring]
        hi, lo = (max(scores), min(scores)) if scores else (0.0, 0.0)
        for (_, a0, a1), blips in zip(angles, placed_blips, strict=True):
            mine = sorted((b for b in blips if b.ring == ring), key=lambda b: (-b.score, b.number))
            if not mine:
                continue
            radii, thetas = _lattice(a0, a1, r0, r1)
            free = np.ones(len(radii), dtype=bool)
            for blip in mine:
                t = (hi - blip.score) / (hi - lo) if hi > lo else 0.5
                want_r = r0 + SPACING / 2 + t * max(0.0, r1 - r0 - SPACING)
                want_a = a0 + (a1 - a0) * _spread(blip.key)
                cost = np.abs(radii - want_r) + 0.2 * np.abs(thetas - want_a) * radii
                cost[~free] = np.inf
                k = int(np.argmin(cost))
                free[k] = False
                r, a = float(radii[k]), float(thetas[k])
                placed.append(Placed(blip, round(r * math.cos(a), 1), round(r * math.sin(a), 1)))
    return Radar(tuple(angles), tuple(rings), tuple(placed))


_RING_CLASS = {Ring.ADOPT: "adopt", Ring.TRIAL: "trial", Ring.ASSESS: "assess", Ring.HOLD: "hold"}
_MARK_WORDS = {"new": "new", "in": "moved in", "out": "moved out"}


def _f(value: float) -> str:
    return f"{value:.1f}"


def radar_svg(radar: Radar, title: str) -> str:
    """The radar as inline SVG; every outside text escaped; blips are focusable links."""
    size = radar.radius + MARGIN
    parts = [
        f'<svg class="radar" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="{_f(-size)} {_f(-size)} {_f(2 * size)} {_f(2 * size)}" '
        f'width="{_f(2 * size)}" height="{_f(2 * size)}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for ring, _, outer in reversed(radar.rings):
        parts.append(f'<circle class="ring {_RING_CLASS[ring]}" r="{_f(outer)}"/>')
    for ring, inner, outer in radar.rings:
        parts.append(
            f'<text class="ring-label" x="0" y="{_f(-(inner + outer) / 2)}">{ring.value}</text>'
        )
    if len(radar.segments) > 1:
        for _, a0, _ in radar.segments:
            x, y = radar.radius * math.cos(a0), radar.radius * math.sin(a0)
            parts.append(f'<line class="segment" x1="0" y1="0" x2="{_f(x)}" y2="{_f(y)}"/>')
    for name, a0, a1 in radar.segments:
        mid = (a0 + a1) / 2
        x, y = (radar.radius + 12) * math.cos(mid), (radar.radius + 12) * math.sin(mid)
        anchor = "start" if math.cos(mid) > 0.2 else "end" if math.cos(mid) < -0.2 else "middle"
        parts.append(
            f'<text class="segment-label" x="{_f(x)}" y="{_f(y)}" '
            f'text-anchor="{anchor}">{escape(name)}</text>'
        )
    for p in radar.placed:
        b = p.blip
        mark = f" m-{b.mark}" if b.mark else ""
        said = f" ({_MARK_WORDS[b.mark]})" if b.mark else ""
        # short name for screen readers; the reason itself is the tooltip (aria-describedby)
        label = f"{b.number}. {b.name}{said}: {b.ring.value}, score {b.score:.0f}"
        shape = f'<circle r="{_f(BLIP_R)}"/>'
        if b.mark == "new":
            shape = f'<circle class="halo" r="{_f(BLIP_R + 3)}"/>' + shape
        elif b.mark in ("in", "out"):
            d = -1 if b.mark == "in" else 1  # the arrow points where it moved
            shape += (
                f'<path class="arrow" d="M -4 {_f(d * (BLIP_R + 1))} L 4 {_f(d * (BLIP_R + 1))} '
                f'L 0 {_f(d * (BLIP_R + 6))} Z"/>'
            )
        parts.append(
            f'<a class="blip {_RING_CLASS[b.ring]}{mark}" href="{escape(b.href)}" '
            f'id="blip-{b.number}" data-n="{b.number}" data-name="{escape(b.name)}" '
            f'data-tip="{escape(b.tip)}" aria-label="{escape(label)}" aria-describedby="tip" '
            f'transform="translate({_f(p.x)} {_f(p.y)})">{shape}'
            f'<text dy="3.5">{b.number}</text></a>'
        )
    parts.append("</svg>")
    return "".join(parts)
