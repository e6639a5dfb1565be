// The Analysis and Flow tabs: ECharts (WebJar, loaded only when a chart is shown) over
// GET /v1/persona_sets/{id}/analysis/dimensions and .../analysis/flow.
import { get, ApiError } from '/console/api.js';
import { h, fmtInt, fmtPct } from '/console/app.js';
import { personaColor } from '/console/avatar.js';

let echartsReady = null;
function echarts() {
  if (!echartsReady) echartsReady = new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = '/console/lib/echarts.min.js';
    s.onload = () => resolve(window.echarts);
    s.onerror = () => reject(new Error('the chart library could not be loaded'));
    document.head.append(s);
  });
  return echartsReady;
}

const charts = new Set();
window.addEventListener('resize', () => charts.forEach(c => c.resize()));
function chart(lib, node) {
  charts.forEach(c => { if (!document.body.contains(c.getDom())) { c.dispose(); charts.delete(c); } });
  const c = lib.init(node, null, { renderer: 'svg' });
  charts.add(c);
  return c;
}

/** A 404 from an analysis endpoint: this server does not compute it (yet). */
function unavailable(panel, what, e) {
  panel.append(h('div', { class: 'card unavailable', role: 'note' }, h('h2', {}, what + ' is not available on this server'),
    h('p', {}, e.message), h('p', { class: 'muted small' }, 'The other tabs work without it.')));
}

async function fetchOr404(path, panel, what) {
  try { return await get(path); } catch (e) {
    if (e instanceof ApiError && e.status === 404) { unavailable(panel, what, e); return null; }
    throw e;
  }
}

export const binLabel = b => b.data_type === 'number' || b.data_type === 'date'
  ? (b.max === null || b.max === undefined ? `${fmtBound(b.min)}+` : `${fmtBound(b.min)}–${fmtBound(b.max)}`)
  : b.data_type === 'boolean' ? (b.value === undefined || b.value === null ? 'unknown' : b.value ? 'yes' : 'no') : String(b.value);
const fmtBound = x => typeof x === 'number' ? Number(x.toFixed(2)).toLocaleString('en-US') : String(x);
const binKey = b => `${b.data_type}|${b.value ?? ''}|${b.min ?? ''}|${b.max ?? ''}`;

/**
 * The cohort's bins: the entry whose persona_id is no persona's (the cohort's own), else every persona's counts
 * added up (each cohort member is in exactly one persona).
 */
function cohortTraits(dimensions, personas) {
  const ids = new Set(personas.map(p => p.id));
  const own = dimensions.find(d => !ids.has(d.persona_id));
  if (own) return { traits: own.traits || [], how: 'the cohort’s own bins' };
  const sum = new Map();
  for (const d of dimensions) for (const t of d.traits || []) {
    const bins = sum.get(t.trait_name) || new Map();
    for (const b of t.bins) {
      const k = binKey(b);
      const prev = bins.get(k) || { ...b, count: 0 };
      prev.count += b.count;
      bins.set(k, prev);
    }
    sum.set(t.trait_name, bins);
  }
  const traits = [...sum].map(([trait_name, bins]) => {
    const list = [...bins.values()];
    const total = list.reduce((t, b) => t + b.count, 0);
    return { trait_name, bins: list.map(b => ({ ...b, percent: total ? b.count / total : 0 })) };
  });
  return { traits, how: 'all personas together' };
}

const asShare = p => (p > 1.0000001 ? p / 100 : p); // percent may come as 0..1 or 0..100

export async function analysisTab(s, cohort, panel) {
  const dims = await fetchOr404(`/persona_sets/${encodeURIComponent(s.id)}/analysis/dimensions`, panel, 'Analysis');
  if (!dims) return;
  const lib = await echarts();
  // a trait's human name (its literate) where the traits list gives one; the machine name otherwise
  const literate = new Map();
  try {
    for (const t of await get('/traits')) if (t.literate) literate.set(t.name, t.literate);
  } catch (e) { /* names stay machine names */ }
  const label = n => literate.get(n) || n;
  const personas = s.personas || [];
  const cohortSide = cohortTraits(dims, personas);
  const center = personas[0]?.details?.center || {};
  const clustering = new Set(s.modeling_fields && s.modeling_fields.length ? s.modeling_fields
    : cohortSide.traits.map(t => t.trait_name).filter(n => n in center || Object.keys(center).some(k => k.startsWith(n + '='))));
  const allTraits = cohortSide.traits.map(t => t.trait_name);
  const storeKey = 'personae.analysis.' + s.id;
  const added = new Set(JSON.parse(sessionStorage.getItem(storeKey) || '[]').filter(n => allTraits.includes(n) && !clustering.has(n)));

  const personaSelect = h('select', { id: 'analysis-persona', 'aria-label': 'Persona to compare with the cohort' },
    personas.map(p => h('option', { value: p.id }, p.name)));
  const addSelect = h('select', { id: 'add-trait', 'aria-label': 'Add a trait to the view' });
  const size = h('div', { class: 'card' }, h('h2', {}, 'Size'), h('div', { class: 'chart chart-size', id: 'chart-size' }));
  const traitsBox = h('div', { class: 'trait-charts' });
  panel.append(h('div', { class: 'toolbar' }, h('label', { for: 'analysis-persona' }, 'Persona'), personaSelect,
    h('span', { class: 'muted small' }, `against the cohort (${cohortSide.how})`)), size,
    h('h2', { class: 'section' }, 'Clustering traits'), traitsBox,
    h('div', { class: 'toolbar' }, h('label', { for: 'add-trait' }, 'Add a trait to the view'), addSelect));

  // size: every persona's population
  const total = personas.reduce((t, p) => t + (p.individuals_count || 0), 0);
  chart(lib, size.querySelector('.chart')).setOption({
    animation: false, grid: { left: 160, right: 60, top: 10, bottom: 20 },
    xAxis: { type: 'value' }, yAxis: { type: 'category', data: personas.map(p => p.name), inverse: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    series: [{ type: 'bar', data: personas.map((p, i) => ({ value: p.individuals_count, itemStyle: { color: personaColor(i) } })),
      label: { show: true, position: 'right', formatter: d => `${fmtInt(d.value)} (${fmtPct(total ? d.value / total : 0)})` } }],
  });
  size.append(table(['Persona', 'People', 'Share'], personas.map(p => [p.name, fmtInt(p.individuals_count), fmtPct(total ? p.individuals_count / total : 0, 1)]), 'size-table'));

  function draw() {
    const pid = personaSelect.value;
    const pIndex = personas.findIndex(p => p.id === pid);
    const mine = (dims.find(d => d.persona_id === pid)?.traits) || [];
    traitsBox.replaceChildren();
    const names = [...allTraits.filter(n => clustering.has(n)), ...[...added]];
    for (const name of names) {
      const cohortBins = cohortSide.traits.find(t => t.trait_name === name)?.bins || [];
      const personaBins = mine.find(t => t.trait_name === name)?.bins || [];
      const byKey = new Map(personaBins.map(b => [binKey(b), b]));
      const labels = cohortBins.map(binLabel);
      const pv = cohortBins.map(b => asShare(byKey.get(binKey(b))?.percent ?? 0));
      const cv = cohortBins.map(b => asShare(b.percent));
      const node = h('div', { class: 'chart chart-trait' });
      const card = h('div', { class: 'card trait-card', 'data-trait': name }, h('div', { class: 'trait-head' }, h('h3', { title: name }, label(name)),
        clustering.has(name) ? h('span', { class: 'tag' }, 'clustering') : h('button', { type: 'button', class: 'link small', onclick: () => { added.delete(name); save(); draw(); } }, 'Remove')),
        node, table(['Bin', personas[pIndex]?.name || 'Persona', 'Cohort'], cohortBins.map((b, i) => [labels[i], fmtPct(pv[i], 1), fmtPct(cv[i], 1)]), 'trait-table'));
      traitsBox.append(card);
      chart(lib, node).setOption({
        animation: false, legend: { top: 0 }, grid: { left: 50, right: 10, top: 30, bottom: 40 },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: v => fmtPct(v, 1) },
        xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: labels.length > 6 ? 30 : 0, fontSize: 11 } },
        yAxis: { type: 'value', axisLabel: { formatter: v => fmtPct(v) } },
        series: [{ name: personas[pIndex]?.name || 'Persona', type: 'bar', data: pv, itemStyle: { color: personaColor(pIndex) } },
          { name: 'Cohort', type: 'bar', data: cv, itemStyle: { color: '#adb5bd' } }],
      });
    }
    if (!names.length) traitsBox.append(h('p', { class: 'muted' }, 'The analysis has no bins for this set’s traits.'));
    const others = allTraits.filter(n => !clustering.has(n) && !added.has(n));
    addSelect.replaceChildren(h('option', { value: '' }, others.length ? 'Choose a trait…' : 'No other traits'), ...others.map(n => h('option', { value: n }, label(n))));
    addSelect.disabled = !others.length;
  }
  const save = () => sessionStorage.setItem(storeKey, JSON.stringify([...added]));
  personaSelect.addEventListener('change', draw);
  addSelect.addEventListener('change', () => { if (addSelect.value) { added.add(addSelect.value); save(); draw(); } });
  draw();
}

function table(head, rows, cls) {
  return h('details', { class: 'data-table ' + cls }, h('summary', {}, 'Show as a table'),
    h('table', {}, h('thead', {}, h('tr', {}, head.map(x => h('th', {}, x)))), h('tbody', {}, rows.map(r => h('tr', {}, r.map(c => h('td', {}, c)))))));
}

export async function flowTab(s, panel) {
  const flow = await fetchOr404(`/persona_sets/${encodeURIComponent(s.id)}/analysis/flow`, panel, 'Flow');
  if (!flow) return;
  const lib = await echarts();
  const personas = s.personas || [];
  const nameOf = Object.fromEntries(personas.map(p => [p.id, p.name]));
  const node = h('div', { class: 'chart chart-flow', id: 'chart-flow' });
  const days = flow.reduce((n, f) => Math.max(n, (f.days || []).length), 0);
  panel.append(h('div', { class: 'card' }, h('h2', {}, 'Membership over time'),
    h('p', { class: 'muted small' }, days ? `How many cohort members were in each persona on each day (${days} days). Hover to read a date.` : 'No days to show.'), node));
  const c = chart(lib, node);
  c.setOption({
    animation: false, legend: { top: 0, type: 'scroll' }, grid: { left: 60, right: 20, top: 40, bottom: 60 },
    tooltip: { trigger: 'axis', className: 'flow-tooltip', formatter: params => {
      const date = params[0]?.value?.[0];
      return `<div class="tt-date">${date}</div>` + params.map(p => `<div class="tt-row" data-persona="${p.seriesId}">${p.marker}` +
        `<span class="tt-name">${escapeHtml(p.seriesName)}</span> <b class="tt-count">${fmtInt(p.value[1])}</b></div>`).join('');
    } },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
    xAxis: { type: 'time' }, yAxis: { type: 'value', name: 'people' },
    series: flow.map(f => ({ id: f.persona_id, name: nameOf[f.persona_id] || f.persona_id, type: 'line', showSymbol: false,
      color: personaColor(Math.max(0, personas.findIndex(p => p.id === f.persona_id))),
      data: (f.days || []).map(d => [d.date, d.count]) })),
  });
}

const escapeHtml = s => String(s).replace(/[&<>"']/g, ch => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[ch]));
