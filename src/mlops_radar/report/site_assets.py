"""The site's own stylesheet and script (small, vanilla, ours), and the chart libraries copied once
from the `vl-convert-python` package (Vega, Vega-Lite and Vega-Embed, bundled by it)."""

from __future__ import annotations

import functools
import os
from pathlib import Path

__all__ = ["SITE_CSS", "SITE_JS", "chart_bundle"]


@functools.cache
def chart_bundle() -> str:
    """Vega-Embed, Vega-Lite and Vega in one classic script that sets `window.vegaEmbed`: the
    bundle `vl-convert-python` ships (a package registry, not a CDN), the same bytes every call."""
    import vl_convert
    from platformdirs import user_cache_dir

    # bundling takes seconds: keep the result per vl-convert version in the user's cache
    version = "-".join(
        (getattr(vl_convert, "__version__", "0"), vl_convert.get_vega_version(),
         vl_convert.get_vega_embed_version())
    )  # fmt: skip
    cached = Path(user_cache_dir("mlops-radar")) / f"vega-bundle-{version}.js"
    try:
        return cached.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    bundle = str(vl_convert.javascript_bundle())  # type: ignore[call-arg]  # stub: snippet=None
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(bundle, encoding="utf-8")
        partial.replace(cached)
    except OSError:
        pass  # no cache: bundle again next time
    return bundle


SITE_CSS = """\
:root { --adopt: #1b7f3b; --trial: #2f6fb5; --assess: #b07a00; --hold: #b3261e; --ink: #1d1d1f; }
body { font: 15px/1.45 system-ui, sans-serif; color: var(--ink); margin: 0; }
header, main, footer { padding: 0.6rem 1.2rem; }
header nav a { margin-right: 1rem; }
.simulated { background: #fff3cd; border: 2px solid #b07a00; padding: 0.5rem; font-weight: bold; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.2rem 0.5rem; text-align: left;
  vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
th button { font: inherit; font-weight: bold; background: none; border: 0; cursor: pointer;
  padding: 0; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
.radar-wrap { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
svg.radar { max-width: 100%; height: auto; }
svg.radar .ring { fill: none; stroke: #bbb; }
svg.radar .ring.adopt { fill: #eef7f0; } svg.radar .ring.trial { fill: #f3f7fc; }
svg.radar .ring.assess { fill: #fdf8ec; } svg.radar .ring.hold { fill: #fcf1f0; }
svg.radar .segment { stroke: #999; }
svg.radar .ring-label { fill: #777; font-size: 12px; text-anchor: middle; }
svg.radar .segment-label { font-size: 12px; fill: #333; }
svg.radar .blip circle { stroke: #fff; stroke-width: 1; }
svg.radar .blip.adopt circle { fill: var(--adopt); }
svg.radar .blip.trial circle { fill: var(--trial); }
svg.radar .blip.assess circle { fill: var(--assess); }
svg.radar .blip.hold circle { fill: var(--hold); }
svg.radar .blip circle.halo { fill: none; stroke: #000; stroke-width: 1.5; }
svg.radar .blip .arrow { fill: #000; }
svg.radar .blip text { fill: #fff; font-size: 9px; text-anchor: middle; pointer-events: none; }
svg.radar .blip:focus circle, svg.radar .blip.on circle { stroke: #000; stroke-width: 3; }
.legend { columns: 18rem; font-size: 13px; }
.legend ol { margin: 0 0 0.6rem; padding-left: 2.2rem; }
.legend h3 { font-size: 14px; margin: 0.3rem 0; break-after: avoid; }
.mark { font-size: 11px; border: 1px solid #666; border-radius: 3px; padding: 0 3px; }
#tip { position: fixed; max-width: 26rem; background: #fff; border: 1px solid #333;
  padding: 0.4rem 0.6rem; white-space: pre-line; font-size: 13px; z-index: 10;
  box-shadow: 2px 2px 6px rgba(0,0,0,.25); }
#tip strong { display: block; }
.chart { margin: 1rem 0; }
.muted { color: #666; }
"""

SITE_JS = """\
(function () {
  "use strict";
  var tip = document.getElementById("tip");
  function showTip(blip) {
    if (!tip) { return; }
    tip.textContent = "";
    var head = document.createElement("strong");
    head.textContent = blip.getAttribute("data-n") + ". " + blip.getAttribute("data-name");
    var body = document.createElement("span");
    body.textContent = blip.getAttribute("data-tip");
    tip.appendChild(head);
    tip.appendChild(body);
    var box = blip.getBoundingClientRect();
    tip.style.left = Math.min(box.right + 8, window.innerWidth - 360) + "px";
    tip.style.top = Math.max(box.top - 8, 4) + "px";
    tip.hidden = false;
    blip.classList.add("on");
  }
  function hideTip(blip) {
    if (tip) { tip.hidden = true; }
    blip.classList.remove("on");
  }
  Array.prototype.forEach.call(document.querySelectorAll(".blip"), function (blip) {
    blip.addEventListener("mouseenter", function () { showTip(blip); });
    blip.addEventListener("focus", function () { showTip(blip); });
    blip.addEventListener("mouseleave", function () { hideTip(blip); });
    blip.addEventListener("blur", function () { hideTip(blip); });
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-blip]"), function (item) {
    var blip = document.getElementById("blip-" + item.getAttribute("data-blip"));
    if (!blip) { return; }
    item.addEventListener("mouseenter", function () { showTip(blip); });
    item.addEventListener("focusin", function () { showTip(blip); });
    item.addEventListener("mouseleave", function () { hideTip(blip); });
    item.addEventListener("focusout", function () { hideTip(blip); });
  });

  function key(cell, numeric) {
    var v = cell.getAttribute("data-v");
    if (v === null) { v = cell.textContent; }
    if (numeric) { return v === "" ? null : parseFloat(v); }
    return v.toLowerCase();
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var body = table.tBodies[0];
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      var button = th.querySelector("button");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var numeric = th.getAttribute("data-type") === "number";
        var down = th.getAttribute("aria-sort") !== "descending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", down ? "descending" : "ascending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col], numeric), y = key(b.cells[col], numeric);
          if (x === y) { return 0; }
          if (x === null) { return 1; }
          if (y === null) { return -1; }
          return (x < y ? -1 : 1) * (down ? -1 : 1);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("input.filter"), function (input) {
    var table = document.getElementById(input.getAttribute("data-table"));
    var count = document.getElementById(input.getAttribute("data-count"));
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var text = row.textContent.toLowerCase();
        var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      if (count) { count.textContent = String(shown); }
    });
  });
  if (window.vegaEmbed) {
    Array.prototype.forEach.call(document.querySelectorAll("script.chart-spec"), function (s) {
      var target = document.getElementById(s.getAttribute("data-target"));
      window.vegaEmbed(target, JSON.parse(s.textContent), {actions: false, renderer: "svg"})
        .then(function () { target.setAttribute("data-rendered", "yes"); });
    });
  }
})();
"""
