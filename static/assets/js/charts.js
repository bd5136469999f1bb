// Palabre — small SVG charts drawn by our own code (no third-party script):
// a line over time and horizontal bars. Each chart is an <svg role="img">
// whose label says what it shows in one sentence; the page puts the same
// figures in a table next to it (in <details>) for screen readers and for
// anyone who prefers numbers. Colours come from the stylesheet (classes
// chart-line, chart-bar…), chosen for a contrast of at least 3:1 with the
// background (WCAG 1.4.11). Text is inserted as text nodes only.

const NS = 'http://www.w3.org/2000/svg';

function el(tag, attrs = {}, text = null) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== null) node.textContent = String(text);
  return node;
}

function svgRoot(width, height, label) {
  return el('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': label,
    class: 'chart-svg',
    preserveAspectRatio: 'xMidYMid meet',
  });
}

/** A round upper bound for an axis: 1, 2, 5, 10, 20, 50… at or above max. */
export function niceMax(max) {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/**
 * A line over time.
 * points: [{t: Date|ms, v: number}] oldest first; opts: {label (the svg's
 * accessible name), className (colour class), formatTime(t) for the axis}.
 */
export function lineChart(container, points, opts) {
  const W = 640, H = 220, left = 48, right = 12, top = 12, bottom = 28;
  const svg = svgRoot(W, H, opts.label);
  const top0 = niceMax(Math.max(0, ...points.map((p) => p.v)));
  const t0 = points.length ? +points[0].t : 0;
  const t1 = points.length ? +points[points.length - 1].t : 1;
  const span = Math.max(1, t1 - t0);
  const x = (t) => left + ((+t - t0) / span) * (W - left - right);
  const y = (v) => top + (1 - v / top0) * (H - top - bottom);
  // Grid and y labels: 0, half, top.
  for (const v of [0, top0 / 2, top0]) {
    svg.append(el('line', { x1: left, x2: W - right, y1: y(v), y2: y(v), class: 'chart-grid' }));
    svg.append(el('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'chart-text' },
      Number.isInteger(v) ? v : v.toFixed(1)));
  }
  if (points.length) {
    svg.append(el('text', { x: left, y: H - 8, 'text-anchor': 'start', class: 'chart-text' }, opts.formatTime(points[0].t)));
    if (points.length > 1) {
      svg.append(el('text', { x: W - right, y: H - 8, 'text-anchor': 'end', class: 'chart-text' },
        opts.formatTime(points[points.length - 1].t)));
    }
  }
  if (points.length === 1) {
    svg.append(el('circle', { cx: x(t0), cy: y(points[0].v), r: 4, class: `chart-dot ${opts.className}` }));
  } else if (points.length > 1) {
    const d = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
    svg.append(el('path', { d, class: `chart-line ${opts.className}` }));
  }
  container.replaceChildren(svg);
}

/**
 * Horizontal bars, one per item: [{label, value}]. opts: {label (the svg's
 * accessible name)}.
 */
export function barChart(container, items, opts) {
  const W = 440, row = 30, left = 170, right = 40, top = 6;
  const H = top * 2 + Math.max(1, items.length) * row;
  const svg = svgRoot(W, H, opts.label);
  const max = Math.max(1, ...items.map((i) => i.value));
  items.forEach((item, i) => {
    const yTop = top + i * row;
    const w = ((W - left - right) * item.value) / max;
    svg.append(el('text', { x: left - 8, y: yTop + row / 2 + 5, 'text-anchor': 'end', class: 'chart-text' }, item.label));
    svg.append(el('rect', { x: left, y: yTop + 5, width: Math.max(item.value ? 2 : 0, w).toFixed(1), height: row - 10, class: 'chart-bar' }));
    svg.append(el('text', { x: left + w + 6, y: yTop + row / 2 + 5, 'text-anchor': 'start', class: 'chart-text chart-value' }, item.value));
  });
  container.replaceChildren(svg);
}
