// A persona's avatar, drawn from its dominant traits: one bar per distinctive trait (up to three), as tall as the
// persona's mean against the cohort's (above the middle line: higher; below: lower), on the persona's colour.
const PALETTE = ['#3b5bdb', '#e8590c', '#2f9e44', '#ae3ec9', '#1098ad', '#f08c00', '#c2255c', '#5c940d'];
export const personaColor = i => PALETTE[i % PALETTE.length];
const NS = 'http://www.w3.org/2000/svg';

function el(tag, attrs) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

export function avatar(persona, index) {
  const traits = (persona.details?.center?.profile?.distinctive_traits || []).slice(0, 3);
  const svg = el('svg', { viewBox: '0 0 64 64', width: 56, height: 56, class: 'avatar', role: 'img' });
  const words = traits.map(t => t.says || t.name).join('; ');
  svg.append(el('title', {}));
  svg.firstChild.textContent = traits.length ? `${persona.name}: ${words}` : `${persona.name}: close to the cohort`;
  svg.append(el('circle', { cx: 32, cy: 32, r: 31, fill: personaColor(index) }));
  svg.append(el('line', { x1: 12, x2: 52, y1: 32, y2: 32, stroke: '#fff', 'stroke-opacity': 0.6, 'stroke-width': 1.5 }));
  if (!traits.length) {
    svg.append(el('circle', { cx: 32, cy: 32, r: 6, fill: '#fff' }));
    return svg;
  }
  const width = 9, gap = 4, start = 32 - (traits.length * width + (traits.length - 1) * gap) / 2;
  traits.forEach((t, i) => {
    const ratio = Math.abs(t.cohort) > 1e-9 ? Math.abs(t.persona / t.cohort) : 2;
    const up = t.direction !== 'lower';
    const strength = up ? Math.log2(Math.max(ratio, 1)) : Math.log2(1 / Math.max(ratio, 0.05));
    const len = 5 + Math.min(17, 8 * strength);
    const x = start + i * (width + gap);
    svg.append(el('rect', { x, y: up ? 32 - len : 32, width, height: len, rx: 2, fill: '#fff', 'fill-opacity': up ? 0.95 : 0.6 }));
  });
  return svg;
}
