/// The timeline page's script. It reads the page's data from the JSON element, draws the
/// timeline as SVG and fills the lists, and never turns data into markup: every string from the
/// store reaches the document as a text node or an attribute value set through the DOM.
enum TimelinePageScript {
    static let source = #"""
'use strict';
(() => {
  const SVG = 'http://www.w3.org/2000/svg';
  const started = performance.now();
  let data = JSON.parse(document.getElementById('annals-data').textContent);
  const $ = (id) => document.getElementById(id);

  function html(name, attributes, text) {
    const node = document.createElement(name);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function svg(name, attributes, text) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, String(value));
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  // ---- What the store knew as of a position --------------------------------------------------

  let kinds = new Map();
  let positions = [];       // every position at which a shown fact changed, with 0 and the last
  let recordedAt = new Map();
  let latest = 0;
  let asOf = 0;
  let selected = null;
  let lanesBy = 'kind';
  let showRetracted = false;
  let view = null;          // the visible valid-time window, in seconds: { from, to }

  function load(newData, keepAsOf) {
    const wasAtLatest = asOf === latest;
    data = newData;
    kinds = new Map(data.kinds.map((k) => [k.kind, k]));
    latest = data.as_of;
    recordedAt = new Map();
    const seen = new Set([0, latest]);
    if (data.recorded_at) recordedAt.set(latest, data.recorded_at);
    for (const fact of data.facts) {
      for (const version of fact.versions) {
        seen.add(version.position);
        recordedAt.set(version.position, version.recorded_at);
      }
    }
    positions = Array.from(seen).sort((a, b) => a - b);
    if (!keepAsOf || wasAtLatest) asOf = latest;
    asOf = Math.min(asOf, latest);
  }

  function versionAt(fact, position) {
    let current = null;
    for (const version of fact.versions) if (version.position <= position) current = version;
    return current;
  }

  /// The facts shown as of `asOf`: those whose current version the query matches, and, when
  /// asked for, those retracted by then after having matched.
  function shownFacts() {
    const shown = [];
    for (const fact of data.facts) {
      const version = versionAt(fact, asOf);
      if (!version) continue;
      if (version.matches) shown.push({ fact, version, retracted: false });
      else if (showRetracted && version.fact.retracted && fact.versions.some((v) => v.matches && v.position <= asOf)) {
        shown.push({ fact, version, retracted: true });
      }
    }
    shown.sort((a, b) => startOf(a.version) - startOf(b.version) || endOf(a.version) - endOf(b.version));
    return shown;
  }
  const startOf = (version) => version.mark.from ?? -Infinity;
  const endOf = (version) => version.mark.to ?? Infinity;

  // ---- Valid time ----------------------------------------------------------------------------

  const MINUTE = 60, HOUR = 3600, DAY = 86400;
  function fullExtent() {
    let low = Infinity, high = -Infinity;
    for (const fact of data.facts) {
      for (const version of fact.versions) {
        const mark = version.mark;
        for (const t of [mark.from, mark.to]) {
          if (t !== null && t !== undefined) { low = Math.min(low, t); high = Math.max(high, t); }
        }
      }
    }
    if (low === Infinity) { const now = Date.now() / 1000; return { from: now - 365 * DAY, to: now }; }
    if (high - low < DAY) { low -= DAY / 2; high += DAY / 2; }
    const pad = (high - low) * 0.04;
    return { from: low - pad, to: high + pad };
  }

  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  function utc(seconds) { return new Date(seconds * 1000); }
  function steps() {
    return [
      { unit: 'year', count: 100 }, { unit: 'year', count: 50 }, { unit: 'year', count: 10 }, { unit: 'year', count: 5 },
      { unit: 'year', count: 1 }, { unit: 'month', count: 3 }, { unit: 'month', count: 1 }, { unit: 'day', count: 7 },
      { unit: 'day', count: 1 }, { unit: 'hour', count: 6 }, { unit: 'hour', count: 1 }, { unit: 'minute', count: 15 },
      { unit: 'minute', count: 1 },
    ];
  }
  const approximateLength = { year: 365.25 * DAY, month: 30.4 * DAY, day: DAY, hour: HOUR, minute: MINUTE };
  function floorTo(seconds, step) {
    const d = utc(seconds);
    switch (step.unit) {
      case 'year': return Date.UTC(Math.floor(d.getUTCFullYear() / step.count) * step.count, 0, 1) / 1000;
      case 'month': return Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / step.count) * step.count, 1) / 1000;
      case 'day': return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) / 1000;
      case 'hour': return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), Math.floor(d.getUTCHours() / step.count) * step.count) / 1000;
      default: return Math.floor(seconds / (step.count * MINUTE)) * step.count * MINUTE;
    }
  }
  function advance(seconds, step) {
    const d = utc(seconds);
    switch (step.unit) {
      case 'year': return Date.UTC(d.getUTCFullYear() + step.count, 0, 1) / 1000;
      case 'month': return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + step.count, 1) / 1000;
      case 'day': return seconds + step.count * DAY;
      case 'hour': return seconds + step.count * HOUR;
      default: return seconds + step.count * MINUTE;
    }
  }
  function tickLabel(seconds, step) {
    const d = utc(seconds);
    const year = String(d.getUTCFullYear());
    switch (step.unit) {
      case 'year': return year;
      case 'month': return d.getUTCMonth() === 0 ? year : MONTHS[d.getUTCMonth()];
      case 'day': return d.getUTCDate() === 1 || step.count > 1 ? `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}` : String(d.getUTCDate());
      default: {
        const time = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
        return d.getUTCHours() === 0 && d.getUTCMinutes() === 0 ? `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}` : time;
      }
    }
  }
  function ticks(from, to, width) {
    // The finest step whose ticks stand at least 60 points apart.
    const perPoint = (to - from) / width;
    const step = steps().filter((s) => (approximateLength[s.unit] * s.count) / perPoint >= 60).pop() || steps()[0];
    const result = [];
    for (let t = floorTo(from, step); t <= to && result.length < 200; t = advance(t, step)) {
      if (t >= from) result.push({ t, label: tickLabel(t, step) });
    }
    return result;
  }

  // ---- Drawing --------------------------------------------------------------------------------

  const LANE_LABEL = 170, ROW = 22, AXIS = 28, MARK = 6;

  function laneKeys(item) {
    if (lanesBy === 'actor') {
      const names = [];
      for (const actor of item.version.fact.actors) {
        const name = actor.name || actor.id;
        if (!names.includes(name)) names.push(name);
      }
      return names.length ? names : ['(no actor)'];
    }
    return [item.version.fact.kind];
  }

  function draw(shown) {
    const chart = $('chart');
    clear(chart);
    const width = Math.max(640, chart.parentElement.clientWidth || 960);
    const plot = width - LANE_LABEL - 12;
    const x = (t) => LANE_LABEL + ((t - view.from) / (view.to - view.from)) * plot;
    const defs = svg('defs');
    chart.appendChild(defs);
    const clip = svg('clipPath', { id: 'plot-area' });
    defs.appendChild(clip);
    for (const style of data.kinds) {
      for (const [direction, x1, x2] of [['right', 0, 1], ['left', 1, 0]]) {
        const gradient = svg('linearGradient', { id: `fade-${direction}-${style.kind}`, x1, x2, y1: 0, y2: 0 });
        gradient.appendChild(svg('stop', { offset: 0, 'stop-color': style.colour, 'stop-opacity': 0.55 }));
        gradient.appendChild(svg('stop', { offset: 1, 'stop-color': style.colour, 'stop-opacity': 0 }));
        defs.appendChild(gradient);
      }
    }
    // Lanes, each with as many rows as its marks need so that none overlaps another.
    const lanes = new Map();
    for (const item of shown) {
      for (const key of laneKeys(item)) {
        if (!lanes.has(key)) lanes.set(key, []);
        lanes.get(key).push(item);
      }
    }
    const laneOrder = Array.from(lanes.keys()).sort((a, b) => a.localeCompare(b));
    let y = AXIS + 6;
    const placed = [];
    for (const key of laneOrder) {
      const rows = [];
      for (const item of lanes.get(key)) {
        const mark = item.version.mark;
        const left = mark.from === null ? LANE_LABEL : Math.max(LANE_LABEL, x(mark.from));
        const right = mark.to === null ? width : Math.min(width, x(mark.to));
        const labelWidth = 8 + Math.min(item.version.fact.summary.length, 48) * 6.2;
        // A label goes after its mark unless it would run off the chart, then before it.
        const anchor = mark.point ? x((mark.from + mark.to) / 2) : left;
        const labelBefore = anchor + 2 * MARK + labelWidth > width && anchor - labelWidth > LANE_LABEL;
        const start = labelBefore ? anchor - labelWidth - MARK : mark.point ? anchor - MARK : left;
        const end = labelBefore ? Math.max(anchor + MARK, mark.point ? 0 : right) : Math.max(anchor + 2 * MARK, mark.point ? 0 : right, anchor + 2 * MARK + labelWidth);
        let row = rows.findIndex((used) => used <= start);
        if (row < 0) { row = rows.length; rows.push(0); }
        rows[row] = end + 6;
        placed.push({ item, key, y: y + row * ROW + ROW / 2, left, right, labelBefore });
      }
      const height = Math.max(1, rows.length) * ROW;
      chart.appendChild(svg('rect', { class: 'lane', x: 0, y, width, height }));
      const label = svg('text', { class: 'lane-label t', x: 8, y: y + 15 });
      label.textContent = key.length > 26 ? key.slice(0, 25) + '…' : key;
      label.appendChild(svg('title', {}, key));
      chart.appendChild(label);
      y += height + 4;
    }
    clip.appendChild(svg('rect', { x: LANE_LABEL, y: 0, width: plot + 12, height: y }));
    const height = Math.max(y + 8, 120);
    chart.setAttribute('viewBox', `0 0 ${width} ${height}`);
    chart.setAttribute('width', width);
    chart.setAttribute('height', height);

    // The axis.
    const axis = svg('g', { class: 'axis' });
    for (const tick of ticks(view.from, view.to, plot)) {
      const tx = x(tick.t);
      axis.appendChild(svg('line', { x1: tx, x2: tx, y1: AXIS - 6, y2: height }));
      axis.appendChild(svg('text', { x: tx + 3, y: AXIS - 10 }, tick.label));
    }
    chart.appendChild(axis);

    const marks = svg('g', { 'clip-path': 'url(#plot-area)' });
    chart.appendChild(marks);
    for (const { item, y: cy, left, right, labelBefore } of placed) {
      const fact = item.version.fact;
      const mark = item.version.mark;
      const style = kinds.get(fact.kind) || data.kinds[data.kinds.length - 1];
      const group = svg('g', {
        class: `mark${item.retracted ? ' retracted' : ''}${selected === item.fact.fact ? ' selected' : ''}`,
        tabindex: 0, role: 'button', 'data-fact': item.fact.fact,
        'aria-label': `${mark.words}, ${fact.kind}: ${fact.summary}${item.retracted ? ' (retracted)' : ''}`,
      });
      group.appendChild(svg('title', {}, `${mark.words} (${fact.when}) · ${fact.kind}\n${fact.summary}`));
      const dash = mark.uncertain ? '1 3' : mark.approximate ? '4 3' : null;
      let labelX;
      if (mark.point) {
        const px = x((mark.from + mark.to) / 2);
        const shape = svg('path', {
          d: style.path, transform: `translate(${px},${cy}) scale(${MARK})`, 'vector-effect': 'non-scaling-stroke',
          fill: mark.approximate || mark.uncertain ? '#fff' : style.colour, stroke: style.colour, 'stroke-width': 2,
        });
        if (dash) shape.setAttribute('stroke-dasharray', dash);
        group.appendChild(shape);
        labelX = px + MARK + 5;
      } else {
        const fill = mark.to === null ? `url(#fade-right-${style.kind})` : mark.from === null ? `url(#fade-left-${style.kind})` : style.colour;
        const bar = svg('rect', {
          x: left, y: cy - 6, width: Math.max(3, right - left), height: 12, rx: 2,
          fill, 'fill-opacity': mark.to === null || mark.from === null ? 1 : 0.3, stroke: style.colour, 'stroke-width': 1.5,
        });
        if (dash) bar.setAttribute('stroke-dasharray', dash);
        if (mark.to === null || mark.from === null) bar.setAttribute('stroke-opacity', 0.5);
        group.appendChild(bar);
        group.appendChild(svg('path', {
          d: style.path, transform: `translate(${Math.max(left, LANE_LABEL) + MARK + 1},${cy}) scale(${MARK * 0.75})`,
          'vector-effect': 'non-scaling-stroke', fill: style.colour, stroke: '#fff', 'stroke-width': 1,
        }));
        labelX = Math.max(left, LANE_LABEL) + 2 * MARK + 6;
      }
      if (mark.uncertain) group.appendChild(svg('text', { class: 'uncertain', x: labelX - 3, y: cy - 6 }, '?'));
      const text = fact.summary.length > 48 ? fact.summary.slice(0, 47) + '…' : fact.summary;
      const label = labelBefore
        ? svg('text', { class: 'mark-label t', x: (mark.point ? x((mark.from + mark.to) / 2) : left) - MARK - 5, y: cy + 4, 'text-anchor': 'end' }, text)
        : svg('text', { class: 'mark-label t', x: labelX + (mark.point ? 0 : 2), y: cy + 4 }, text);
      group.appendChild(label);
      group.addEventListener('click', () => select(item.fact.fact));
      group.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); select(item.fact.fact); }
      });
      marks.appendChild(group);
    }
  }

  function drawLegend(shown) {
    const legend = $('legend');
    clear(legend);
    const present = new Set(shown.map((item) => item.version.fact.kind));
    for (const style of data.kinds) {
      if (!present.has(style.kind)) continue;
      const item = html('li');
      const icon = svg('svg', { width: 16, height: 16, viewBox: '-1.5 -1.5 3 3', 'aria-hidden': 'true' });
      icon.appendChild(svg('path', { d: style.path, fill: style.colour }));
      item.appendChild(icon);
      item.appendChild(document.createTextNode(' ' + style.kind));
      legend.appendChild(item);
    }
    const marks = html('li', { class: 'marks' }, 'filled: exact · hollow or dashed: approximate (~) · dotted with ?: uncertain · fading bar: open end');
    legend.appendChild(marks);
  }

  function drawList(shown) {
    const list = $('facts');
    clear(list);
    for (const item of shown) {
      const fact = item.version.fact;
      const entry = html('li', { tabindex: 0, 'data-fact': item.fact.fact, class: `${item.retracted ? 'retracted' : ''}${selected === item.fact.fact ? ' selected' : ''}` });
      entry.appendChild(html('span', { class: 'when', title: fact.when }, item.version.mark.words));
      entry.appendChild(html('span', { class: 'kind' }, fact.kind));
      entry.appendChild(html('span', { class: 'summary t' }, fact.summary));
      const notes = [];
      if (fact.quantities.length) notes.push(fact.quantities.map(quantityText).join('; '));
      if (fact.conflicts.some((c) => c.kind === 'refinement')) notes.push('≈');
      if (fact.conflicts.some((c) => c.kind !== 'refinement')) notes.push('≠');
      if (fact.corrections.length) notes.push('corrected');
      if (item.retracted) notes.push('retracted');
      if (notes.length) entry.appendChild(html('span', { class: 'notes t' }, notes.join(' · ')));
      entry.addEventListener('click', () => select(item.fact.fact));
      entry.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); select(item.fact.fact); }
      });
      list.appendChild(entry);
    }
    $('count').textContent = `${shown.length} ${shown.length === 1 ? 'fact' : 'facts'}${data.has_more ? ` (the first ${data.facts.length} of more; ask with --offset for the rest)` : ''}`;
  }

  function quantityText(quantity) {
    return `${quantity.name} ${quantity.approximate ? '~' : ''}${quantity.value} ${quantity.unit}`;
  }

  // ---- The selected fact ---------------------------------------------------------------------

  function articleLine(container, articleID, position) {
    const article = data.articles[articleID];
    const line = html('div', { class: 'article' });
    if (article && article.link) {
      const link = html('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }, article.title);
      link.href = article.link;
      link.classList.add('t');
      line.appendChild(link);
    } else {
      line.appendChild(html('span', { class: 't' }, article ? article.title : articleID));
    }
    const about = article ? `${article.publisher}, ${article.published}` : '';
    line.appendChild(html('span', { class: 'meta t' }, ` — ${about}${about ? ', ' : ''}position ${position}`));
    container.appendChild(line);
  }

  function showDetails() {
    const panel = $('details');
    clear(panel);
    const fact = data.facts.find((f) => f.fact === selected);
    const version = fact && versionAt(fact, asOf);
    if (!version) {
      panel.appendChild(html('p', { class: 'hint' }, 'Select a fact (click it, or focus it and press Enter) to see its sources and history.'));
      return;
    }
    const view = version.fact;
    panel.appendChild(html('h2', { class: 't' }, view.summary));
    const facts = html('dl');
    const row = (term, value) => {
      if (value === null || value === undefined || value === '') return;
      facts.appendChild(html('dt', {}, term));
      const cell = html('dd', { class: 't' });
      if (value instanceof Node) cell.appendChild(value); else cell.textContent = value;
      facts.appendChild(cell);
    };
    row('when', `${version.mark.words} · ${view.when}` + (view.said ? ` · the article: “${view.said}”` : ''));
    row('kind', view.kind);
    row('fact', view.fact);
    if (view.actors.length) {
      const actors = html('ul');
      for (const actor of view.actors) actors.appendChild(html('li', { class: 't' }, `${actor.name || actor.id} — ${actor.role}`));
      row('actors', actors);
    }
    if (view.quantities.length) row('amounts', view.quantities.map(quantityText).join('; '));
    row('place', view.place);
    if (view.retracted) row('retracted', `at position ${view.retracted.position} by ${view.retracted.article}: ${view.retracted.reason || ''}`);
    panel.appendChild(facts);

    if (view.conflicts.length) {
      panel.appendChild(html('h3', {}, 'Where sources differ'));
      const list = html('ul', { class: 'conflicts' });
      for (const conflict of view.conflicts) {
        const sign = conflict.kind === 'refinement' ? '≈' : '≠';
        const words = conflict.kind === 'refinement' ? 'refines' : 'contradicts';
        list.appendChild(html('li', { class: 't' }, `${sign} ${conflict.field} (${words}): ` + conflict.values.map((v) => `${v.article} says ${v.value}`).join('; ')));
      }
      panel.appendChild(list);
    }
    panel.appendChild(html('h3', {}, `Sources (${view.sources.length})`));
    const sources = html('ol', { class: 'sources' });
    for (const source of view.sources) {
      const item = html('li');
      articleLine(item, source.article, source.position);
      item.appendChild(html('blockquote', { class: 't' }, source.quote));
      const says = [`when ${source.when}${source.said ? ` (“${source.said}”)` : ''}`];
      if (source.quantities && source.quantities.length) says.push(source.quantities.map(quantityText).join('; '));
      item.appendChild(html('div', { class: 'says t' }, says.join(' · ')));
      sources.appendChild(item);
    }
    panel.appendChild(sources);
    if (view.corrections.length) {
      panel.appendChild(html('h3', {}, 'Corrections'));
      const list = html('ol');
      for (const correction of view.corrections) {
        const item = html('li');
        articleLine(item, correction.article, correction.position);
        const fields = Object.entries(correction).filter(([key]) => !['article', 'position', 'reason'].includes(key))
          .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
        item.appendChild(html('div', { class: 't' }, `${fields.join(' · ')}${correction.reason ? ` — ${correction.reason}` : ''}`));
        list.appendChild(item);
      }
      panel.appendChild(list);
    }
    panel.appendChild(html('h3', {}, 'What the store knew when'));
    const history = html('ol', { class: 'history' });
    for (const v of fact.versions) {
      const until = v.until === null ? 'now' : v.until - 1;
      const item = html('li', { class: v === version ? 'current t' : 't' },
        `positions ${v.position}–${until} (recorded ${v.recorded_at}): ${v.mark.words}${v.fact.retracted ? ', retracted' : ''}${v.matches ? '' : ' — not in this timeline'}`);
      history.appendChild(item);
    }
    panel.appendChild(history);
  }

  function select(id) {
    selected = id;
    remember();
    render();
    const panel = $('details');
    if (panel.scrollIntoView) panel.scrollIntoView({ block: 'nearest' });
  }

  // ---- The as-of control -----------------------------------------------------------------------

  function describeAsOf() {
    const at = recordedAt.get(asOf);
    $('asof-label').textContent = `as of position ${asOf}${asOf === latest ? ' (the latest)' : ''}${at ? ` · recorded ${at}` : ''}`;
  }

  function fillBatches() {
    const select = $('asof-batch');
    clear(select);
    const batches = new Map();
    for (const position of positions) {
      const at = recordedAt.get(position);
      if (at) batches.set(at, Math.max(batches.get(at) || 0, position));
    }
    select.appendChild(html('option', { value: '' }, 'jump to a recorded batch…'));
    for (const [at, position] of batches) select.appendChild(html('option', { value: String(position) }, `${at} (position ${position})`));
  }

  function setAsOf(position) {
    asOf = Math.max(0, Math.min(latest, position));
    remember();
    requestRender();
  }

  /// Keeps the position and the selected fact in the page's address, so it can be shared.
  function remember() {
    try {
      const url = new URL(location.href);
      if (asOf === latest) url.searchParams.delete('as-of'); else url.searchParams.set('as-of', String(asOf));
      if (selected === null) url.searchParams.delete('fact'); else url.searchParams.set('fact', selected);
      history.replaceState(null, '', url);
    } catch (error) { /* a page opened from a file may not rewrite its address */ }
  }

  // ---- Everything --------------------------------------------------------------------------------

  function render() {
    const range = $('asof');
    range.max = String(latest);
    range.value = String(asOf);
    describeAsOf();
    const shown = shownFacts();
    if (!view) view = fullExtent();
    draw(shown);
    drawLegend(shown);
    drawList(shown);
    showDetails();
  }

  /// Redraws once in the next frame however many times input asks before it: a slider dragged
  /// or a wheel spun over a large timeline costs one drawing per frame, not one per event.
  let redrawPending = false;
  function requestRender() {
    if (redrawPending) return;
    redrawPending = true;
    requestAnimationFrame(() => { redrawPending = false; render(); });
  }

  function zoom(factor, around) {
    const centre = around ?? (view.from + view.to) / 2;
    const span = Math.min(Math.max((view.to - view.from) * factor, 10 * MINUTE), 2000 * 365.25 * DAY);
    const share = (centre - view.from) / (view.to - view.from);
    view = { from: centre - share * span, to: centre - share * span + span };
    requestRender();
  }
  function pan(share) {
    const shift = (view.to - view.from) * share;
    view = { from: view.from + shift, to: view.to + shift };
    requestRender();
  }

  function wire() {
    $('asof').addEventListener('input', (event) => setAsOf(Number(event.target.value)));
    $('asof-previous').addEventListener('click', () => setAsOf([...positions].reverse().find((p) => p < asOf) ?? 0));
    $('asof-next').addEventListener('click', () => setAsOf(positions.find((p) => p > asOf) ?? latest));
    $('asof-batch').addEventListener('change', (event) => { if (event.target.value !== '') setAsOf(Number(event.target.value)); });
    $('lanes').addEventListener('change', (event) => { lanesBy = event.target.value; render(); });
    $('retracted').addEventListener('change', (event) => { showRetracted = event.target.checked; render(); });
    $('zoom-in').addEventListener('click', () => zoom(0.5));
    $('zoom-out').addEventListener('click', () => zoom(2));
    $('zoom-fit').addEventListener('click', () => { view = fullExtent(); render(); });
    const chart = $('chart');
    const frame = chart.parentElement;
    const timeAt = (clientX) => {
      const box = chart.getBoundingClientRect();
      const width = Number(chart.getAttribute('width')) || box.width;
      const x = ((clientX - box.left) / box.width) * width;
      return view.from + ((x - LANE_LABEL) / (width - LANE_LABEL - 12)) * (view.to - view.from);
    };
    frame.addEventListener('wheel', (event) => {
      event.preventDefault();
      zoom(event.deltaY > 0 ? 1.25 : 0.8, timeAt(event.clientX));
    }, { passive: false });
    let drag = null;
    frame.addEventListener('pointerdown', (event) => {
      if (event.target.closest && event.target.closest('.mark')) return;
      drag = { x: event.clientX, view };
      frame.setPointerCapture(event.pointerId);
    });
    frame.addEventListener('pointermove', (event) => {
      if (!drag) return;
      const width = chart.getBoundingClientRect().width - LANE_LABEL;
      const shift = ((drag.x - event.clientX) / Math.max(width, 1)) * (drag.view.to - drag.view.from);
      view = { from: drag.view.from + shift, to: drag.view.to + shift };
      requestRender();
    });
    frame.addEventListener('pointerup', () => { drag = null; });
    frame.addEventListener('keydown', (event) => {
      if (event.target !== frame) return;
      const actions = { '+': () => zoom(0.5), '=': () => zoom(0.5), '-': () => zoom(2), ArrowLeft: () => pan(-0.2), ArrowRight: () => pan(0.2), '0': () => { view = fullExtent(); render(); } };
      if (actions[event.key]) { event.preventDefault(); actions[event.key](); }
    });
    if (data.live) follow();
  }

  /// On a served page: each event another process appends reloads the page's data, one load at
  /// a time; events that arrive during a load bring one more once it ends.
  function follow() {
    // From the position the page's data reached: nothing appended since it was read is missed.
    const source = new EventSource(`${data.live.events}?after=${data.as_of}`);
    let loading = false;
    let stale = false;
    const reload = () => {
      loading = true;
      stale = false;
      fetch(data.live.data + location.search, { headers: { Accept: 'application/json' } })
        .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
        .then((fresh) => {
          load(fresh, true);
          fillBatches();
          render();
          document.body.setAttribute('data-followed-to', String(latest));
        })
        // A failed load waits for the next event (the stream reconnects by itself).
        .catch(() => {})
        .finally(() => {
          loading = false;
          if (stale) reload();
        });
    };
    source.addEventListener('appended', () => {
      if (loading) stale = true;
      else reload();
    });
  }

  load(data, false);
  const parameters = new URLSearchParams(location.search);
  const requested = parameters.get('as-of');
  if (requested !== null && /^[0-9]+$/.test(requested)) asOf = Math.min(Number(requested), latest);
  if (data.facts.some((fact) => fact.fact === parameters.get('fact'))) selected = parameters.get('fact');
  fillBatches();
  wire();
  render();
  const elapsed = performance.now() - started;
  document.body.setAttribute('data-first-render-ms', elapsed.toFixed(1));
  $('rendered').textContent = `Drawn in ${elapsed.toFixed(0)} ms.`;
})();
"""#
}
