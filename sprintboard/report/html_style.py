"""The web-page report's stylesheet and its Content-Security-Policy, inline in the page.

One file to pass around, so the style is in it: system fonts only (no font file, no
URL), a type scale a leader reads comfortably, the four stages' colours
(`charts.STAGE_COLOURS`), decisions as badges. On a phone (390 px) nothing is wider
than the screen: long words and addresses in people's text wrap anywhere, the card
grid falls to one column, tables fit, the charts scale with their `viewBox`. Printed,
the page is black on white, needs no background to be read (badges and stage marks
keep a border), and no card is split across two pages.
"""

from __future__ import annotations

from .charts import STAGE_COLOURS

CSP = (  # not translated: the browser's policy language, not words a person reads
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
"""Defence in depth beside the escaping: the page may use its own inline styles and
data: images, and nothing else — no script, no request to anywhere, even if some text
ever slipped through unescaped."""

_STAGES_CSS = "\n".join(f"  --{stage.value}: {colour};" for stage, colour in STAGE_COLOURS.items())

CSS = (
    ":root {\n"
    + _STAGES_CSS
    + """
  --ink: #1d1d1f; --muted: #5b5b66; --line: #d9d9e0; --paper: #ffffff; --soft: #f5f5f8;
  --persevere: #2f6db5; --pivot: #a35a00; --scale: #00795a; --stop: #b3261e;
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0; color: var(--ink); background: var(--paper);
  font: 1.0625rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
    "Liberation Sans", "DejaVu Sans", Arial, sans-serif;
  overflow-wrap: anywhere; word-break: normal;
}
.page { max-width: 62rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
h1, h2, h3 { line-height: 1.2; margin: 0 0 .5rem; font-weight: 700; }
h1 { font-size: clamp(1.7rem, 5vw, 2.4rem); letter-spacing: -0.01em; }
h2 { font-size: 1.45rem; margin-top: 2.25rem; padding-bottom: .3rem;
  border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.12rem; }
p { margin: 0 0 .75rem; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: .8rem;
  color: var(--muted); margin-bottom: .25rem; }
.text { white-space: pre-line; }
.muted, .none { color: var(--muted); }
.none { font-style: italic; }
nav ul { list-style: none; padding: 0; margin: 1rem 0 0; display: flex; flex-wrap: wrap;
  gap: .35rem .9rem; font-size: .95rem; }
nav a { color: var(--persevere); }
dl { margin: 0; }
.frame { display: grid; gap: .6rem; margin-top: 1rem; }
.frame dt, .fields dt { font-weight: 700; font-size: .85rem; color: var(--muted);
  text-transform: uppercase; letter-spacing: .04em; }
.frame dd, .fields dd { margin: 0 0 .2rem; }
.team { display: grid; gap: 1rem;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 18rem), 1fr)); }
.team ul { list-style: none; padding: 0; margin: 0; }
.team li { padding: .3rem 0; border-bottom: 1px solid var(--line); }
.role { color: var(--muted); font-size: .92rem; }
.cards { display: grid; gap: 1rem;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 24rem), 1fr)); }
.card { border: 1px solid var(--line); border-left: .45rem solid var(--line);
  border-radius: .5rem; padding: .9rem 1rem; background: var(--paper);
  break-inside: avoid; page-break-inside: avoid; min-width: 0; }
.card.stage-idea { border-left-color: var(--idea); }
.card.stage-prototype { border-left-color: var(--prototype); }
.card.stage-test { border-left-color: var(--test); }
.card.stage-learned { border-left-color: var(--learned); }
.card-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: .3rem .6rem;
  margin-bottom: .5rem; }
.card-head h3 { margin: 0; flex: 1 1 12rem; min-width: 0; }
.fields { display: grid; gap: .15rem; }
.people { font-size: .92rem; color: var(--muted); margin: .5rem 0 0; }
.tags { font-size: .9rem; color: var(--muted); margin: .2rem 0 0; }
.badge { display: inline-block; font-size: .8rem; font-weight: 700; line-height: 1.3;
  padding: .1rem .55rem; border-radius: 999px; border: 1.5px solid currentColor;
  white-space: nowrap; }
.badge.persevere { color: var(--persevere); }
.badge.pivot { color: var(--pivot); }
.badge.scale { color: var(--scale); }
.badge.stop { color: var(--stop); }
.badge.undecided { color: var(--muted); font-weight: 400; }
.ideas { padding-left: 0; list-style: none; margin: 0; }
.ideas li { display: flex; gap: .75rem; padding: .45rem 0; border-bottom: 1px solid var(--line);
  break-inside: avoid; }
.dots { flex: 0 0 4.5rem; font-variant-numeric: tabular-nums; color: var(--muted);
  font-size: .92rem; }
.idea { min-width: 0; }
.big { font-size: 1.6rem; font-weight: 700; margin: 0 0 .4rem; }
table { border-collapse: collapse; width: 100%; max-width: 34rem; margin: .5rem 0 1rem;
  font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); }
td.number, th.number { text-align: right; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: .15rem;
  margin-right: .4rem; vertical-align: -.05rem; border: 1px solid var(--ink); }
.swatch.stage-idea { background: var(--idea); }
.swatch.stage-prototype { background: var(--prototype); }
.swatch.stage-test { background: var(--test); }
.swatch.stage-learned { background: var(--learned); }
.figures { display: grid; gap: 0; margin: .5rem 0 1.25rem; }
.figures > div { display: grid; gap: .1rem 1rem; padding: .4rem 0;
  border-bottom: 1px solid var(--line); grid-template-columns: minmax(0, 1fr); }
@media (min-width: 40rem) {
  .figures > div { grid-template-columns: minmax(0, 18rem) minmax(0, 1fr); }
}
.figures dt { font-weight: 700; }
.figures dd { margin: 0; }
figure { margin: 1rem 0 1.5rem; break-inside: avoid; }
figcaption { font-weight: 700; margin-bottom: .4rem; }
svg.chart { display: block; width: 100%; height: auto; max-width: 36rem;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans",
    "DejaVu Sans", Arial, sans-serif; }
footer { margin-top: 2.5rem; padding-top: .75rem; border-top: 1px solid var(--line);
  color: var(--muted); font-size: .9rem; }
@page { margin: 16mm 15mm; }
@media print {
  :root { --ink: #000000; --muted: #000000; --line: #888888; }
  body { background: none; color: #000; font-size: 11pt; }
  .page { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; }
  /* one card after another down the page: a column of paper reads in one order */
  .cards { display: block; }
  .card { border-color: #888; break-inside: avoid; page-break-inside: avoid;
    margin-bottom: .8rem; }
  .team { display: block; }
  .badge, .badge.persevere, .badge.pivot, .badge.scale, .badge.stop { color: #000; }
  a { color: #000; text-decoration: none; }
}
"""
)
"""The page's stylesheet (no `url(` anywhere: the page loads nothing)."""
