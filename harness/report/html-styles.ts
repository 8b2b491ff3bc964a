/**
 * The report page's stylesheet, inlined into every HTML report: police
 * networks are often air-gapped, so nothing is fetched (no web fonts, no
 * images, no scripts). Colours meet WCAG AA contrast (4.5:1 or better for
 * text) and every status is also a word and a symbol, so nothing depends on
 * colour alone; the print rules give one major part per page and expand the
 * collapsible transcripts.
 *
 * `pre` and table cells wrap with `overflow-wrap: break-word`, not
 * `anywhere`: with 8 KB unbroken supplier tokens, `anywhere` made
 * Chromium's layout take seconds (it changes every cell's minimum width);
 * `break-word` lays the same page out in well under one.
 *
 * Static text only: no supplier or profile text is ever interpolated here,
 * so a `</style>` in a response body cannot end this element.
 */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #4a5561; --rule: #c9d1d9; --paper: #ffffff; --panel: #f5f7f9; --link: #0b4f9c; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif; font-size: 16px; line-height: 1.45; color: var(--ink); background: var(--paper); }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem 1.5rem 3rem; }
h1, h2, h3 { line-height: 1.2; }
h1 { font-size: 1.75rem; margin: 0.25rem 0 0.75rem; }
h1 .profile-id { font-weight: normal; color: var(--muted); font-size: 1.1rem; }
h2 { font-size: 1.35rem; margin: 2.25rem 0 0.75rem; padding-bottom: 0.3rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.05rem; margin: 0 0 0.5rem; }
a { color: var(--link); }
.kicker { margin: 0; text-transform: uppercase; letter-spacing: 0.06em; font-size: 0.8rem; color: var(--muted); font-weight: 600; }
.verdict { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.4rem 0.75rem; margin: 0.75rem 0 1rem; padding: 0.85rem 1.1rem; border: 2px solid; border-left-width: 0.6rem; border-radius: 4px; }
.verdict strong { font-size: 1.5rem; letter-spacing: 0.02em; }
.verdict .symbol { font-size: 1.5rem; font-weight: bold; }
.verdict-conformant { color: #0b5d1e; background: #e6f4e9; border-color: #0b5d1e; }
.verdict-non-conformant { color: #9b1c1c; background: #fdecec; border-color: #9b1c1c; }
.verdict-inconclusive { color: #6b4300; background: #fff4d9; border-color: #8a5a00; }
.caveat { margin: 0.25rem 0; padding: 0.4rem 0.8rem; border-left: 0.3rem solid #8a5a00; background: #fffaf0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; margin: 0; padding: 0.75rem 1rem; background: var(--panel); border: 1px solid var(--rule); border-radius: 4px; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: 0.85rem; }
pre { margin: 0.25rem 0 0.75rem; padding: 0.6rem 0.75rem; background: var(--panel); border: 1px solid var(--rule); border-radius: 4px; white-space: pre-wrap; overflow-wrap: break-word; max-height: 28rem; overflow: auto; }
nav.contents ol { margin: 0.5rem 0 0; padding-left: 1.25rem; columns: 2; }
nav.contents li { padding: 0.15rem 0; } /* WCAG 2.2 target size: contents links at least 24 px apart */
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 0.92rem; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; color: var(--muted); }
th, td { border: 1px solid var(--rule); padding: 0.4rem 0.55rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
thead th { background: #e8ecf0; }
th[scope="row"] { font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; white-space: nowrap; padding: 0.05rem 0.45rem; border: 1px solid; border-radius: 3px; font-weight: 600; font-size: 0.85rem; }
.badge-pass { color: #0b5d1e; background: #e6f4e9; border-color: #0b5d1e; }
.badge-warn { color: #6b4300; background: #fff4d9; border-color: #8a5a00; }
.badge-fail { color: #9b1c1c; background: #fdecec; border-color: #9b1c1c; }
.badge-error { color: #5b2380; background: #f4eafa; border-color: #5b2380; }
.badge-not-verified, .badge-skip { color: #39424c; background: #eceff2; border-color: #6b7682; }
.badge-not-run, .badge-not-claimed { color: #39424c; background: #ffffff; border-color: #6b7682; border-style: dashed; }
ul.ops { list-style: none; margin: 0; padding: 0; }
ul.ops li { white-space: nowrap; }
.level { font-weight: 600; white-space: nowrap; }
table.counts { width: auto; min-width: 20rem; }
.omitted { color: var(--muted); font-style: italic; }
.muted { color: var(--muted); }
.principle { margin-bottom: 1.5rem; }
.principle > .lede { margin-top: 0; color: var(--muted); }
.finding { border: 1px solid var(--rule); border-left: 0.4rem solid #9b1c1c; border-radius: 4px; padding: 0.75rem 1rem; margin: 0 0 1rem; }
.finding.status-error { border-left-color: #5b2380; }
.finding .message { margin: 0.25rem 0 0.5rem; font-weight: 600; overflow-wrap: anywhere; }
.finding dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 0.75rem; margin: 0 0 0.5rem; }
.finding dt { font-weight: 600; }
.finding dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
details { margin: 0.5rem 0; }
details > summary { cursor: pointer; font-weight: 600; color: var(--link); }
details > summary:focus-visible, a:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
.transcript h4 { margin: 0.75rem 0 0.25rem; font-size: 0.95rem; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
footer { margin-top: 3rem; padding-top: 0.75rem; border-top: 1px solid var(--rule); color: var(--muted); font-size: 0.85rem; }
@media print {
  html { font-size: 11pt; }
  body { max-width: none; padding: 0; }
  nav.contents { display: none; }
  a { color: inherit; text-decoration: none; }
  #principles, #requirements, #failures, #about { break-before: page; }
  .principle, .finding, tr, dl.facts, .verdict { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  pre { max-height: none; overflow: visible; }
  details > summary { color: inherit; }
  details::details-content { content-visibility: visible; display: block; }
  thead { display: table-header-group; }
}
`;
