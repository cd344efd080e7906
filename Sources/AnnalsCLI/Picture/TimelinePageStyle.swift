/// The timeline page's style sheet. Text from the store is isolated from its surroundings
/// (`.t`), so that a right-to-left override in a summary cannot reorder the page around it.
enum TimelinePageStyle {
    static let source = """
:root { color-scheme: light; --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --lane: #f6f8fa; --accent: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
header, main, footer { padding: 0 24px; }
header h1 { font-size: 22px; margin: 18px 0 2px; }
header p { margin: 0 0 12px; color: var(--muted); }
.t { unicode-bidi: isolate; }
#controls { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: center; padding: 10px 0; border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); }
#controls label { display: inline-flex; gap: 6px; align-items: center; }
#asof { width: min(420px, 60vw); }
#asof-label { font-variant-numeric: tabular-nums; min-width: 22em; }
button, select { font: inherit; padding: 2px 8px; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
#legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 0; margin: 10px 0; color: var(--muted); }
#legend li { display: inline-flex; align-items: center; gap: 4px; }
#legend .marks { flex-basis: 100%; font-size: 13px; }
.frame { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; cursor: grab; touch-action: none; }
.frame:active { cursor: grabbing; }
#chart { display: block; }
#chart .lane { fill: var(--lane); }
#chart .lane-label { font-size: 12px; fill: var(--muted); }
#chart .axis line { stroke: var(--line); }
#chart .axis text { font-size: 11px; fill: var(--muted); }
#chart .mark { cursor: pointer; }
#chart .mark-label { font-size: 12px; fill: var(--ink); }
#chart .mark.retracted { opacity: 0.45; }
#chart .mark.retracted .mark-label { text-decoration: line-through; }
#chart .mark.selected .mark-label { font-weight: 700; }
#chart .mark:focus-visible { outline: none; }
#chart .mark:focus-visible .mark-label { text-decoration: underline; }
#chart .uncertain { font-size: 11px; font-weight: 700; fill: var(--ink); }
.columns { display: grid; grid-template-columns: minmax(0, 3fr) minmax(280px, 2fr); gap: 24px; margin-top: 16px; }
@media (max-width: 900px) { .columns { grid-template-columns: 1fr; } }
#facts { padding-left: 0; list-style: none; margin: 0; }
#facts li { display: grid; grid-template-columns: 11em 9em 1fr; gap: 2px 10px; padding: 6px 8px; border-bottom: 1px solid var(--line); cursor: pointer; }
#facts li:hover, #facts li.selected { background: #ddf4ff; }
#facts li.retracted .summary { text-decoration: line-through; color: var(--muted); }
#facts .when { font-variant-numeric: tabular-nums; }
#facts .kind { color: var(--muted); }
#facts .notes { grid-column: 3; color: var(--muted); font-size: 13px; }
#details { border-left: 3px solid var(--line); padding-left: 16px; }
#details h2 { font-size: 18px; margin: 0 0 8px; }
#details h3 { font-size: 14px; margin: 16px 0 4px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
#details dl { display: grid; grid-template-columns: 6em 1fr; gap: 2px 10px; margin: 0; }
#details dt { color: var(--muted); }
#details dd { margin: 0; }
#details dd ul { margin: 0; padding-left: 18px; }
#details blockquote { margin: 4px 0; padding-left: 10px; border-left: 3px solid var(--line); font-style: italic; }
#details .meta, #details .says, .hint { color: var(--muted); font-size: 13px; }
#details .history .current { font-weight: 600; }
footer { color: var(--muted); font-size: 13px; margin: 24px 0; }
"""
}
