// Personae console: one page, hash routes, only the public /v1 API (api.js). No build step.
import { api, get, apiKey, setApiKey, ApiError } from '/console/api.js';
import { avatar, personaColor } from '/console/avatar.js';
import { analysisTab, flowTab } from '/console/charts.js';

const view = document.getElementById('view');
const $ = (sel, root = document) => root.querySelector(sel);

// ------------------------------------------------------------------ small helpers
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}
export const fmtInt = n => n === null || n === undefined ? '–' : Math.round(n).toLocaleString('en-US');
export const fmtPct = (x, d = 0) => x === null || x === undefined ? '–' : (100 * x).toFixed(d) + '%';
export const fmtNum = (x, d = 2) => x === null || x === undefined ? '–' : Number(x).toLocaleString('en-US', { maximumFractionDigits: d });
const fmtMoney = x => x === null || x === undefined ? '–' : Number(x).toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 });

function status(s, error) {
  const words = { new: 'Queued', starting: 'Starting', running: 'Building', ready: 'Ready', error: 'Error' };
  return h('span', { class: 'status status-' + s, title: error || null }, words[s] || s);
}

export function showError(e) {
  const box = document.getElementById('error');
  box.replaceChildren();
  if (!e) { box.hidden = true; return; }
  const err = e instanceof ApiError ? e : null;
  box.append(h('strong', {}, err ? `The API answered ${err.status} ${err.code}` : 'Something went wrong'),
    h('div', { class: 'error-note' }, err ? (err.note || err.message) : String(e.message || e)),
    ...(err ? err.details.map(d => h('div', { class: 'error-detail' }, d)) : []),
    h('button', { type: 'button', class: 'link', onclick: () => showError(null) }, 'Dismiss'));
  box.hidden = false;
  if (err && err.status === 401) { setApiKey(null); route(); }
}

export function notice(text, kind = 'info', link) {
  const n = h('div', { class: 'notice notice-' + kind }, h('span', {}, text),
    link ? h('a', { href: link.href }, link.text) : null,
    h('button', { type: 'button', class: 'link', 'aria-label': 'Close notice', onclick: () => n.remove() }, '×'));
  document.getElementById('notices').append(n);
  if (kind !== 'bad') setTimeout(() => n.remove(), 10000); // failures stay until closed
  return n;
}

async function guard(fn) {
  try { return await fn(); } catch (e) { showError(e); return undefined; }
}

function page(title, actions, ...body) {
  view.replaceChildren(h('header', { class: 'page-head' }, h('h1', {}, title), h('div', { class: 'actions' }, actions || [])), ...body);
}

const byId = list => Object.fromEntries(list.map(x => [x.id, x]));
const link = (section, r) => r ? h('a', { href: `#/${section}/${encodeURIComponent(r.id)}` }, r.name) : '–';
const SECTION = { dataset: 'datasets', cohort: 'cohorts', 'persona set': 'persona_sets', scope: 'scopes', target: 'targets', stream: 'datasets' };

// ------------------------------------------------------------------ build watcher: notices when a set is done
const watched = new Map(); // persona set id -> last status seen
let watching = null;
export function watch(id, statusNow) {
  watched.set(id, statusNow);
  if (!watching) watching = setInterval(pollWatched, 1500);
}
async function pollWatched() {
  if (!apiKey()) return;
  for (const [id] of watched) {
    let s;
    try { s = await get('/persona_sets/' + encodeURIComponent(id)); } catch { continue; }
    if (s.status === 'ready') {
      watched.delete(id);
      notice(`Persona set “${s.name}” is ready: ${(s.personas || []).length} personas.`, 'ok',
        { href: '#/persona_sets/' + id, text: 'Open it' });
    } else if (s.status === 'error') {
      watched.delete(id);
      notice(`Persona set “${s.name}” failed: ${s.status_error || 'no reason given'}`, 'bad',
        { href: '#/persona_sets/' + id, text: 'Details' });
    }
  }
  if (!watched.size) { clearInterval(watching); watching = null; }
}

// ------------------------------------------------------------------ sign in
function signIn() {
  document.getElementById('nav').hidden = true;
  const input = h('input', { id: 'api-key', type: 'password', name: 'api-key', autocomplete: 'current-password', required: true });
  const message = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', { class: 'card sign-in', onsubmit: async ev => {
    ev.preventDefault();
    message.textContent = '';
    try {
      const account = await api('GET', '/accounts/current', undefined, input.value.trim());
      setApiKey(input.value.trim());
      notice(`Signed in to account “${account.name || account.id}”.`, 'ok');
      location.hash = '#/persona_sets';
      route();
    } catch (e) {
      message.textContent = e instanceof ApiError ? `The API answered ${e.status} ${e.code}: ${e.note}` : String(e);
    }
  } },
    h('img', { src: '/console/icon.svg', alt: '', width: 40, height: 40 }),
    h('h1', {}, 'Personae'),
    h('p', { class: 'muted' }, 'Sign in with an API key. It is kept for this browser session only.'),
    h('label', { for: 'api-key' }, 'API key'), input, message,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  view.replaceChildren(form);
  input.focus();
}

// ------------------------------------------------------------------ persona sets list
async function personaSets() {
  const [sets, cohorts] = await Promise.all([get('/persona_sets'), get('/cohorts')]);
  const cohortOf = byId(cohorts);
  const table = h('table', { class: 'list', id: 'persona-sets' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', { class: 'num' }, 'Personas in set'), h('th', {}, 'Cohort'),
      h('th', {}, 'Status'), h('th', {}, 'Show in Explore'), h('th', { class: 'menu-col' }, h('span', { class: 'sr-only' }, 'Options')))),
    h('tbody', {}, sets.length ? sets.map(s => h('tr', { 'data-id': s.id },
      h('td', {}, h('a', { href: '#/persona_sets/' + s.id }, s.name)),
      h('td', { class: 'num' }, s.status === 'ready' ? String((s.personas || []).length) : '–'),
      h('td', {}, link('cohorts', cohortOf[s.cohort_id])),
      h('td', {}, status(s.status, s.status_error)),
      h('td', {}, exploreToggle(s)),
      h('td', { class: 'menu-col' }, optionsMenu(s, () => route()))))
      : h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No persona sets yet. Create one from a cohort.'))));
  page('Persona sets', [h('a', { class: 'button primary', href: '#/persona_sets/new' }, 'New persona set')],
    h('p', { class: 'muted intro' }, 'Persona sets split a cohort into groups of people who behave alike.'), table);
}

function exploreToggle(s) {
  const box = h('input', { type: 'checkbox', role: 'switch', 'aria-label': `Show “${s.name}” in Explore`, checked: !!s.explore,
    title: 'Saves explore on the persona set (the API rebuilds it)', onchange: () => guard(async () => {
      await api('PATCH', '/persona_sets/' + s.id, { explore: box.checked });
      notice(`“${s.name}” ${box.checked ? 'shows' : 'no longer shows'} in Explore.`);
    }) });
  return h('label', { class: 'switch' }, box, h('span', { class: 'slider' }));
}

function optionsMenu(s, afterDelete) {
  const menu = h('div', { class: 'menu', role: 'menu', hidden: true },
    h('button', { type: 'button', role: 'menuitem', class: 'danger', onclick: () => { menu.hidden = true; confirmDelete(s, afterDelete); } }, 'Delete'));
  const button = h('button', { type: 'button', class: 'dots', 'aria-haspopup': 'menu', 'aria-label': `Options for “${s.name}”`,
    onclick: ev => { ev.stopPropagation(); document.querySelectorAll('.menu').forEach(m => { if (m !== menu) m.hidden = true; }); menu.hidden = !menu.hidden; } }, '⋯');
  return h('div', { class: 'menu-wrap' }, button, menu);
}
document.addEventListener('click', () => document.querySelectorAll('.menu').forEach(m => { m.hidden = true; }));

function dialog(title, ...body) {
  const d = document.getElementById('dialog');
  $('#dialog-body').replaceChildren(h('h2', {}, title), ...body);
  if (!d.open) d.showModal();
  return d;
}
const closeDialog = () => document.getElementById('dialog').close();

function confirmDelete(s, afterDelete) {
  dialog('Delete persona set', h('p', {}, `Delete “${s.name}”? Its personas and their assignments go with it.`),
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', onclick: closeDialog }, 'Cancel'),
      h('button', { type: 'button', class: 'danger primary', onclick: async () => {
        try {
          await api('DELETE', '/persona_sets/' + s.id);
          closeDialog();
          notice(`Persona set “${s.name}” was deleted.`, 'ok');
          afterDelete();
        } catch (e) {
          if (e instanceof ApiError && e.status === 409) blockedDelete(s, e);
          else { closeDialog(); showError(e); }
        }
      } }, 'Delete')));
}

/** The API's 409 note names each dependent as: <noun> '<name>' (<id>). */
export function dependentsOf(note) {
  const used = note.indexOf('used by');
  const rest = used >= 0 ? note.slice(used + 7) : note;
  return [...rest.matchAll(/([a-z][a-z ]*?) '([^']*)' \(([^)]+)\)/g)].map(m => ({ noun: m[1].trim(), name: m[2], id: m[3] }));
}

function blockedDelete(s, e) {
  const deps = dependentsOf(e.note || '');
  dialog('This persona set is in use',
    h('p', {}, `“${s.name}” cannot be deleted while other resources use it. Change or delete these first:`),
    h('ul', { class: 'dependents' }, deps.map(d => h('li', {}, h('span', { class: 'muted' }, d.noun + ' '),
      h('a', { href: `#/${SECTION[d.noun] || 'persona_sets'}/${encodeURIComponent(d.id)}`, onclick: closeDialog }, d.name)))),
    h('p', { class: 'muted small' }, 'The API said: ' + e.note),
    h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'primary', onclick: closeDialog }, 'OK')));
}

// ------------------------------------------------------------------ new persona set
/** The traits a cohort's people have: GET /v1/traits when the server has it, else derived from its stream. */
async function traitChoices(cohort, datasets) {
  try {
    const traits = await get('/traits');
    const names = traits.filter(t => !String(t.name).startsWith('fig/')).map(t => ({ name: t.name, label: t.literate || t.name }));
    if (names.length) return names;
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
  }
  const stream = cohort.stream_name;
  const feeding = datasets.filter(d => d.output_to_streams && d.output_to_streams[stream]);
  const props = new Set(feeding.flatMap(d => Object.keys(d.output_to_streams[stream].data_map || {})));
  const out = [];
  if (props.has('datetime')) out.push({ name: stream + '_recency_days', label: 'days since last ' + stream });
  out.push({ name: stream + '_frequency', label: stream + ' per person' });
  if (props.has('datetime')) out.push({ name: stream + '_tenure_days', label: 'days between first and last ' + stream });
  if (props.has('value')) {
    out.push({ name: stream + '_total_value', label: 'total value of ' + stream });
    out.push({ name: stream + '_average_value', label: 'average value of ' + stream });
  }
  for (const d of datasets) for (const t of Object.keys(d.output_to_traits || {})) out.push({ name: t, label: t });
  return out;
}

async function newPersonaSet() {
  const [cohorts, sets, datasets] = await Promise.all([get('/cohorts'), get('/persona_sets'), get('/datasets')]);
  const cohortSelect = h('select', { id: 'cohort', required: true },
    h('option', { value: '' }, 'Choose a cohort…'),
    cohorts.map(c => h('option', { value: c.id, disabled: c.status === 'error' },
      `${c.name}${c.status === 'ready' ? ` (${fmtInt(c.population_count)} people)` : ` (${c.status})`}`)));
  const nameInput = h('input', { id: 'set-name', required: true, maxlength: 200, autocomplete: 'off' });
  const traitsBox = h('div', { class: 'traits' }, h('p', { class: 'muted' }, 'Choose a cohort to see its traits.'));
  const advanced = h('details', { id: 'advanced' }, h('summary', {}, 'Advanced: clustering traits'), traitsBox);
  const message = h('p', { class: 'form-error', role: 'alert' });
  let defaults = true;
  let named = false;
  nameInput.addEventListener('input', () => { named = true; });

  cohortSelect.addEventListener('change', () => guard(async () => {
    const cohort = cohorts.find(c => c.id === cohortSelect.value);
    if (!cohort) return;
    if (!named) nameInput.value = uniqueName(cohort.name + ' personas', sets);
    const choices = await traitChoices(cohort, datasets);
    const boxes = choices.map(t => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'trait', value: t.name, checked: true, onchange: () => { defaults = false; reset.disabled = false; } }),
      h('span', {}, t.label), t.label !== t.name ? h('code', {}, t.name) : null));
    const reset = h('button', { type: 'button', class: 'link', disabled: true, onclick: () => {
      boxes.forEach(b => { $('input', b).checked = true; });
      defaults = true; reset.disabled = true;
    } }, 'Reset to defaults');
    traitsBox.replaceChildren(h('p', { class: 'muted' }, 'By default Personae clusters on every trait the cohort’s people have. Untick traits to cluster on fewer.'),
      h('div', { class: 'checks' }, boxes), reset);
  }));

  const form = h('form', { class: 'card form', onsubmit: ev => {
    ev.preventDefault();
    message.textContent = '';
    const name = nameInput.value.trim();
    if (!cohortSelect.value) { message.textContent = 'Choose a cohort.'; return; }
    if (sets.some(s => s.name.toLowerCase() === name.toLowerCase())) { message.textContent = `A persona set named “${name}” already exists: choose another name.`; return; }
    const body = { name, cohort_id: cohortSelect.value };
    if (!defaults) {
      body.modeling_fields = [...form.querySelectorAll('input[name=trait]:checked')].map(b => b.value);
      if (!body.modeling_fields.length) { message.textContent = 'Choose at least one trait, or reset to defaults.'; return; }
    }
    guard(async () => {
      const created = await api('POST', '/persona_sets', body);
      watch(created.id, created.status);
      location.hash = '#/persona_sets/' + created.id;
    });
  } },
    h('label', { for: 'cohort' }, 'Choose a cohort'), cohortSelect, advanced,
    h('label', { for: 'set-name' }, 'Persona set name'), nameInput, message,
    h('div', { class: 'form-actions' }, h('a', { href: '#/persona_sets', class: 'button' }, 'Cancel'),
      h('button', { type: 'submit', class: 'primary' }, 'Save persona set')));
  page('New persona set', null, form);
}

function uniqueName(base, sets) {
  const taken = new Set(sets.map(s => s.name.toLowerCase()));
  if (!taken.has(base.toLowerCase())) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base} ${i}`.toLowerCase())) return `${base} ${i}`;
}

// ------------------------------------------------------------------ one persona set
let refresh = null; // the polling of the page on screen
function stopRefresh() { if (refresh) { clearTimeout(refresh); refresh = null; } }

async function personaSet(id, tab) {
  const s = await get('/persona_sets/' + encodeURIComponent(id));
  const cohort = await get('/cohorts/' + encodeURIComponent(s.cohort_id)).catch(() => null);
  const head = [h('a', { href: '#/persona_sets', class: 'button' }, 'All persona sets'), optionsMenu(s, () => { location.hash = '#/persona_sets'; })];
  const sub = h('p', { class: 'muted intro' }, 'Cohort: ', cohort ? link('cohorts', cohort) : s.cohort_id, ' · ', status(s.status, s.status_error),
    s.cluster_count ? ` · ${clusterWords(s.cluster_count)}` : '');
  if (s.status !== 'ready') {
    page(s.name, head, sub, await progress(s, cohort));
    if (s.status === 'error') return;
    watch(s.id, s.status);
    const here = location.hash;
    refresh = setTimeout(() => { if (location.hash === here) route(); }, 1000);
    return;
  }
  const tabs = ['definition', 'analysis', 'flow'];
  tab = tabs.includes(tab) ? tab : 'definition';
  const nav = h('div', { class: 'tabs', role: 'tablist' }, tabs.map(t => h('a', { role: 'tab', href: `#/persona_sets/${s.id}/${t}`,
    'aria-selected': String(t === tab), class: t === tab ? 'active' : '' }, t[0].toUpperCase() + t.slice(1))));
  const panel = h('section', { class: 'tab-panel', role: 'tabpanel', id: 'tab-' + tab });
  page(s.name, head, sub, nav, panel);
  if (tab === 'definition') definition(s, panel);
  else if (tab === 'analysis') await analysisTab(s, cohort, panel);
  else await flowTab(s, panel);
}

function clusterWords(c) {
  const n = c.number_of_personas;
  if (c.method === 'given') return `${n} personas, as asked`;
  if (c.method === 'silhouette') return `${n} personas, chosen by silhouette on ${fmtInt(c.sample_size)} people`;
  return `${n} persona${n === 1 ? '' : 's'} (too few distinct people to split further)`;
}

/**
 * The build's real steps, as far as the API shows them: the inputs (datasets, then the cohort) ready, the set's build
 * started (starting), clustering then naming (running: one status for both steps), done.
 */
async function progress(s, cohort) {
  const datasets = cohort ? (await get('/datasets')).filter(d => d.output_to_streams && d.output_to_streams[cohort.stream_name]) : [];
  const datasetsReady = datasets.length > 0 && datasets.every(d => d.status === 'ready');
  const steps = [
    { label: `Dataset${datasets.length === 1 ? '' : 's'} ready` + (datasets.length ? ` (${datasets.map(d => d.name).join(', ')})` : ''), done: datasetsReady || (cohort && cohort.status === 'ready') },
    { label: `Cohort ready (${cohort ? cohort.name : '?'})`, done: !!cohort && cohort.status === 'ready' },
    { label: 'Build started', done: s.status === 'starting' || s.status === 'running' },
    { label: 'Clustering and naming personas', done: false, active: s.status === 'running' },
    { label: 'Ready', done: false },
  ];
  let done = 0;
  while (done < steps.length && steps[done].done) done++;
  const fraction = s.status === 'error' ? 1 : (done + (s.status === 'running' ? 0.5 : 0)) / steps.length;
  const wrap = h('div', { class: 'card progress-card', id: 'build-progress' },
    h('h2', {}, s.status === 'error' ? 'The build failed' : 'Building the persona set…'),
    h('div', { class: 'progress' + (s.status === 'error' ? ' failed' : ''), role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100,
      'aria-valuenow': Math.round(100 * fraction), 'aria-label': 'Build progress' }, h('div', { class: 'bar', style: `width:${(100 * fraction).toFixed(0)}%` })),
    h('ol', { class: 'steps' }, steps.map((st, i) => h('li', { class: i < done ? 'done' : i === done && s.status !== 'error' ? 'current' : '' }, st.label))),
    s.status === 'error' ? h('p', { class: 'form-error' }, s.status_error || 'No reason given') :
      h('p', { class: 'muted small' }, 'The bar follows the statuses of the datasets, the cohort and this set; it refreshes every second, and a notice tells when the set is ready.'));
  return wrap;
}

function definition(s, panel) {
  const personas = [...(s.personas || [])].sort((a, b) => (b.individuals_count || 0) - (a.individuals_count || 0));
  const total = personas.reduce((t, p) => t + (p.individuals_count || 0), 0);
  panel.append(h('div', { class: 'personas' }, personas.map(p => personaCard(s, p, s.personas.indexOf(p), total))));
}

function personaCard(s, p, index, total) {
  const prof = (p.details && p.details.center && p.details.center.profile) || {};
  const share = prof.share_of_cohort ?? (total ? p.individuals_count / total : null);
  const nameEl = h('h3', { class: 'persona-name' }, p.name);
  const renameButton = h('button', { type: 'button', class: 'link rename', 'aria-label': `Rename “${p.name}”`, onclick: () => rename() }, 'Rename');
  const title = h('div', { class: 'persona-title' }, nameEl, renameButton);
  function rename() {
    const input = h('input', { class: 'rename-input', value: p.name, 'aria-label': 'Persona name', maxlength: 200 });
    const save = async () => {
      const name = input.value.trim();
      if (!name || name === p.name) { title.replaceChildren(nameEl, renameButton); return; }
      try {
        const updated = await api('PATCH', `/persona_sets/${s.id}/personas/${p.id}`, { name });
        p.name = updated && updated.name ? updated.name : name;
        nameEl.textContent = p.name;
        renameButton.setAttribute('aria-label', `Rename “${p.name}”`);
        title.replaceChildren(nameEl, renameButton);
        notice(`Renamed to “${p.name}”.`, 'ok');
      } catch (e) { showError(e); input.focus(); }
    };
    input.addEventListener('keydown', ev => {
      if (ev.key === 'Enter') { ev.preventDefault(); save(); }
      if (ev.key === 'Escape') title.replaceChildren(nameEl, renameButton);
    });
    title.replaceChildren(input, h('button', { type: 'button', class: 'primary small', onclick: save }, 'Save'),
      h('button', { type: 'button', class: 'small', onclick: () => title.replaceChildren(nameEl, renameButton) }, 'Cancel'));
    input.focus(); input.select();
  }
  const traits = prof.distinctive_traits || [];
  const facts = [
    ['Population', h('span', { class: 'population' }, fmtInt(p.individuals_count))],
    ['Share of cohort', h('span', { class: 'share' }, fmtPct(share, 1))],
    prof.revenue_share != null ? ['Share of revenue', fmtPct(prof.revenue_share, 1)] : null,
    prof.orders_per_person != null ? ['Orders per person', fmtNum(prof.orders_per_person, 1)] : null,
    prof.average_order_value != null ? ['Average order', fmtMoney(prof.average_order_value)] : null,
    prof.returned_share_of_spend ? ['Returned', fmtPct(prof.returned_share_of_spend, 1) + ' of spend'] : null,
  ].filter(Boolean);
  return h('article', { class: 'card persona', 'data-persona-id': p.id },
    h('div', { class: 'persona-head' }, avatar(p, index), h('div', {}, title,
      h('div', { class: 'share-bar', title: fmtPct(share, 1) + ' of the cohort' }, h('div', { style: `width:${(100 * (share || 0)).toFixed(1)}%;background:${personaColor(index)}` })))),
    h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    h('h4', {}, 'Stands out from the cohort'),
    traits.length ? h('ul', { class: 'distinctive' }, traits.map(t => h('li', { 'data-trait': t.trait },
      h('span', { class: 'dir dir-' + t.direction, 'aria-hidden': 'true' }, t.direction === 'lower' ? '▼' : '▲'),
      h('span', { class: 'says' }, t.says || `${t.name}: ${fmtNum(t.persona)} vs ${fmtNum(t.cohort)}`))))
      : h('p', { class: 'muted small' }, 'Close to the cohort on every trait.'),
    (prof.top_products || []).length ? [h('h4', {}, 'Top products (share of spend)'),
      h('ul', { class: 'products' }, prof.top_products.map(tp => h('li', {}, h('span', {}, tp.product), h('span', { class: 'num' }, fmtPct(tp.share_of_spend, 1)))))] : null);
}

// ------------------------------------------------------------------ datasets, cohorts, scopes, targets
const NOUN = { datasets: 'dataset', cohorts: 'cohort', persona_sets: 'persona set', scopes: 'scope', targets: 'target' };
function usedBy(list) {
  return list.length ? list.map(([section, r], i) => [i ? ', ' : '', h('span', { class: 'muted small' }, NOUN[section] + ' '), link(section, r)])
    : h('span', { class: 'muted' }, 'nothing');
}

function listPage(title, intro, columns, rows, selected) {
  const table = h('table', { class: 'list' }, h('thead', {}, h('tr', {}, columns.map(c => h('th', { class: c.num ? 'num' : '' }, c.title)))),
    h('tbody', {}, rows.length ? rows.map(r => h('tr', { 'data-id': r.id, class: r.id === selected ? 'selected' : '' },
      columns.map(c => h('td', { class: c.num ? 'num' : '' }, c.cell(r)))))
      : h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, 'None yet.'))));
  page(title, null, h('p', { class: 'muted intro' }, intro), table);
  if (selected) { const row = view.querySelector(`tr[data-id="${CSS.escape(selected)}"]`); if (row) row.scrollIntoView({ block: 'center' }); }
}

const statusCell = r => [status(r.status, r.status_error), r.status === 'error' && r.status_error ? h('div', { class: 'small form-error' }, r.status_error) : null];

async function all() {
  const [datasets, cohorts, sets, scopes, targets] = await Promise.all(['/datasets', '/cohorts', '/persona_sets', '/scopes', '/targets'].map(get));
  return { datasets, cohorts, sets, scopes, targets };
}

async function datasetsPage(selected) {
  const a = await all();
  listPage('Datasets', 'Uploaded files, read into people and their events.', [
    { title: 'Name', cell: d => d.name },
    { title: 'Status', cell: statusCell },
    { title: 'Rows', num: true, cell: d => fmtInt(d.row_count) },
    { title: 'People', num: true, cell: d => fmtInt(d.identified_count) },
    { title: 'Streams', cell: d => Object.keys(d.output_to_streams || {}).join(', ') || '–' },
    { title: 'Used by', cell: d => usedBy(a.cohorts.filter(c => d.output_to_streams && d.output_to_streams[c.stream_name]).map(c => ['cohorts', c])) },
  ], a.datasets, selected);
}

async function cohortsPage(selected) {
  const a = await all();
  listPage('Cohorts', 'Groups of people defined by their events.', [
    { title: 'Name', cell: c => c.name },
    { title: 'Status', cell: statusCell },
    { title: 'People', num: true, cell: c => fmtInt(c.population_count) },
    { title: 'Stream', cell: c => c.stream_name || '–' },
    { title: 'Used by', cell: c => usedBy([...a.sets.filter(s => s.cohort_id === c.id).map(s => ['persona_sets', s]),
      ...a.scopes.filter(s => [...(s.population?.cohort_ids || []), ...(s.population?.exclusion_cohort_ids || [])].includes(c.id)).map(s => ['scopes', s])]) },
  ], a.cohorts, selected);
}

async function scopesPage(selected) {
  const a = await all();
  const sets = byId(a.sets), cohorts = byId(a.cohorts);
  listPage('Scopes', 'Who gets a persona, and from which persona sets.', [
    { title: 'Name', cell: s => s.name },
    { title: 'Status', cell: statusCell },
    { title: 'Rows', num: true, cell: s => fmtInt(s.population_count) },
    { title: 'Population', cell: s => usedBy((s.population?.cohort_ids || []).map(id => ['cohorts', cohorts[id] || { id, name: id }])) },
    { title: 'Persona sets', cell: s => usedBy((s.payload?.persona_set_ids || []).map(id => ['persona_sets', sets[id] || { id, name: id }])) },
    { title: 'Used by', cell: s => usedBy(a.targets.filter(t => t.scope_id === s.id).map(t => ['targets', t])) },
  ], a.scopes, selected);
}

async function targetsPage(selected) {
  const a = await all();
  const scopes = byId(a.scopes);
  listPage('Targets', 'Hosted CSV files of people with their personas.', [
    { title: 'Name', cell: t => t.name },
    { title: 'Status', cell: statusCell },
    { title: 'Scope', cell: t => link('scopes', scopes[t.scope_id]) },
    { title: 'Type', cell: t => t.options?.type || '–' },
    { title: 'CSV', cell: t => t.status === 'ready' ? h('button', { type: 'button', class: 'small download', onclick: () => guard(async () => {
      const fresh = await get('/targets/' + encodeURIComponent(t.id)); // a fresh presigned URL, valid for an hour
      const url = fresh.options && fresh.options.output_url;
      if (!url) throw new Error('The target has no output URL yet.');
      const a = h('a', { href: url, download: (t.name || 'target').replace(/[^A-Za-z0-9._-]+/g, '_') + '.csv' });
      document.body.append(a); a.click(); a.remove();
    }) }, 'Download CSV') : h('span', { class: 'muted' }, 'when ready') },
  ], a.targets, selected);
}

// ------------------------------------------------------------------ routing
async function route() {
  stopRefresh();
  if (!apiKey()) { signIn(); return; }
  document.getElementById('nav').hidden = false;
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const section = parts[0] || 'persona_sets';
  document.querySelectorAll('#nav a').forEach(a => a.classList.toggle('active', a.dataset.section === section));
  const pages = {
    persona_sets: () => parts[1] === 'new' ? newPersonaSet() : parts[1] ? personaSet(parts[1], parts[2]) : personaSets(),
    datasets: () => datasetsPage(parts[1]), cohorts: () => cohortsPage(parts[1]),
    scopes: () => scopesPage(parts[1]), targets: () => targetsPage(parts[1]),
  };
  try {
    await (pages[section] || pages.persona_sets)();
  } catch (e) {
    showError(e);
    if (!(e instanceof ApiError) || e.status !== 401) view.replaceChildren(h('p', { class: 'muted' }, 'This page could not be shown: see the message above.'));
  }
}

document.getElementById('sign-out').addEventListener('click', () => { setApiKey(null); location.hash = ''; route(); });
window.addEventListener('hashchange', () => { showError(null); route(); });
route();
