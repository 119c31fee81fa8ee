// The status page of `sluice serve`: polls the daemon's REST API (the same endpoints anyone can call)
// and draws what it answers. No framework, no build step; every value goes in as text, never as HTML.
'use strict';

const state = {
  token: sessionStorage.getItem('sluice-token') || '',
  selected: null,          // name of the pipeline shown in detail
  pipelines: [],
  tableSeen: new Map(),    // "pipeline/table" -> [{t, rows}] for ETAs
  configShown: null,       // pipeline whose file is on screen
  refused: false,
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else if (k.startsWith('data-')) e.setAttribute(k, v); else e[k] = v;
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
  return e;
}

async function api(method, path) {
  const headers = {};
  if (state.token) headers.Authorization = 'Bearer ' + state.token;
  const res = await fetch(path, { method, headers, cache: 'no-store' });
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (res.status === 401) {
    state.refused = true;
    $('connection').textContent = 'token refused';
    $('connection').className = 'error';
    notice('The API refused the request: ' + (body && body.error || 'unauthorized')
      + '. Enter the API token (SLUICE_API_TOKEN of the daemon) above.', 'bad', 'refused');
  }
  if (!res.ok) {
    const err = new Error(body && body.error ? body.error : 'HTTP ' + res.status);
    err.status = res.status;
    throw err;
  }
  if (state.refused) {
    state.refused = false;
    hideNotice('refused');
  }
  $('connection').textContent = 'live · updated ' + new Date().toLocaleTimeString();
  $('connection').className = 'muted';
  return body;
}

function notice(text, kind, tag) {
  const n = $('notice');
  n.textContent = text;
  n.className = kind || '';
  n.dataset.tag = tag || '';
  n.hidden = false;
}

function hideNotice(tag) {
  const n = $('notice');
  if (!tag || n.dataset.tag === tag) n.hidden = true;
}

// --- formatting ---------------------------------------------------------------------------------

function duration(ms) {
  if (ms == null || ms < 0) return '—';
  if (ms < 1000) return Math.round(ms) + ' ms';
  const s = ms / 1000;
  if (s < 60) return s.toFixed(s < 10 ? 1 : 0) + ' s';
  const m = Math.floor(s / 60);
  if (m < 60) return m + ' min ' + Math.round(s - m * 60) + ' s';
  const h = Math.floor(m / 60);
  return h + ' h ' + (m - h * 60) + ' min';
}

function count(n) {
  return n == null || n < 0 ? '—' : Number(n).toLocaleString('en-US');
}

function rate(n) {
  if (n == null) return '—';
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : Number(n).toFixed(1);
}

function ago(iso) {
  if (!iso) return '—';
  return duration(Date.now() - Date.parse(iso)) + ' ago';
}

// --- overview -----------------------------------------------------------------------------------

// Rows are kept and updated in place, so a click is never lost to a refresh.
function syncRows(body, items, keyOf, make, update) {
  const keep = new Map([...body.rows].map((r) => [r.dataset.key, r]));
  items.forEach((item, i) => {
    const key = keyOf(item);
    let row = keep.get(key);
    if (!row) {
      row = make(item);
      row.dataset.key = key;
    }
    keep.delete(key);
    update(row, item);
    if (body.rows[i] !== row) body.insertBefore(row, body.rows[i] || null);
  });
  keep.forEach((r) => r.remove());
}

function setPhase(span, phase) {
  span.textContent = phase;
  span.className = 'phase ' + phase;
}

function renderOverview(list) {
  syncRows($('pipelines').tBodies[0], list, (p) => p.name, (p) => {
    const tr = el('tr', {}, el('td', {}, el('a', { href: '#/pipelines/' + encodeURIComponent(p.name) }, p.name)),
      el('td', {}, el('span', { class: 'phase' })), el('td'), el('td', { class: 'num' }), el('td', { class: 'num' }),
      el('td'), el('td', { class: 'error' }));
    tr.dataset.pipeline = p.name;
    return tr;
  }, (tr, p) => {
    tr.className = p.name === state.selected ? 'selected' : '';
    setPhase(tr.cells[1].firstChild, p.state);
    tr.cells[2].textContent = (p.source || '?') + ' → ' + (p.sink || '?');
    tr.cells[3].textContent = rate(p.rowsPerSecond);
    tr.cells[4].textContent = duration(p.lagMillis);
    tr.cells[5].textContent = ago(p.lastCheckpoint);
    tr.cells[5].title = p.lastCheckpoint || '';
    tr.cells[6].textContent = p.error || '';
  });
  $('empty').hidden = list.length > 0;
}

// --- one pipeline -------------------------------------------------------------------------------

function percent(t) {
  if (t.phase === 'streaming') return 100;
  const total = t.chunksDone + t.chunksInHand;
  if (t.planComplete && total > 0) return Math.min(99, Math.floor(100 * t.chunksDone / total));
  if (t.estimatedRows > 0) return Math.min(99, Math.floor(100 * t.rowsRead / t.estimatedRows));
  return 0;
}

function eta(p, t) {
  if (t.phase === 'streaming') return 'lag ' + duration(t.lagMillis != null ? t.lagMillis : p.lagMillis);
  const key = p.name + '/' + t.table;
  const now = Date.now();
  const seen = (state.tableSeen.get(key) || []).filter((s) => now - s.t < 30000 && s.rows <= t.rowsRead);
  seen.push({ t: now, rows: t.rowsRead });
  state.tableSeen.set(key, seen);
  const first = seen[0];
  const speed = (t.rowsRead - first.rows) / Math.max(1, (now - first.t) / 1000);
  const total = t.chunksDone + t.chunksInHand;
  let left = -1;
  if (t.planComplete && t.chunksDone > 0 && total > 0) {
    left = (total - t.chunksDone) * (t.rowsRead / t.chunksDone);
  } else if (t.estimatedRows > 0) {
    left = Math.max(0, t.estimatedRows - t.rowsRead);
  }
  if (left < 0 || speed <= 0) return 'ETA —';
  return 'ETA ' + duration(1000 * left / speed);
}

function renderTables(p) {
  syncRows($('tables').tBodies[0], p.tables || [], (t) => p.name + '/' + t.table, (t) => {
    const again = el('button', { type: 'button', class: 'small' }, 'Re-snapshot');
    again.dataset.table = t.table;
    again.addEventListener('click', () => act(p.name, 'tables/' + encodeURIComponent(t.table) + '/resnapshot',
      'Re-snapshot table ' + t.table + ' of pipeline ' + p.name + '? It is read again from the start while '
      + 'the other tables keep streaming; rows deleted meanwhile are deleted in the sink too.'));
    const bar = el('div', { class: 'bar' }, el('span', { class: 'fill' }), el('span', { class: 'label' }));
    const tr = el('tr', {}, el('td', {}, t.table), el('td', {}, el('span', { class: 'phase' })), el('td', {}, bar),
      el('td', { class: 'num' }), el('td', { class: 'num' }), el('td'), el('td', {}, again));
    tr.dataset.table = t.table;
    return tr;
  }, (tr, t) => {
    const pct = percent(t);
    setPhase(tr.cells[1].firstChild, t.phase === 'snapshot' ? 'snapshotting' : t.phase);
    const bar = tr.cells[2].firstChild;
    bar.className = 'bar' + (pct === 100 ? ' done' : '');
    bar.dataset.percent = String(pct);
    bar.firstChild.style.width = pct + '%';
    bar.lastChild.textContent = pct + ' %';
    // The total is exact once planning is complete; before, the engine's estimate (~), or unknown.
    tr.cells[3].textContent = count(t.chunksDone) + ' / '
      + (t.chunksTotal < 0 ? '?' : (t.chunksTotalEstimated ? '~' : '') + count(t.chunksTotal));
    tr.cells[4].textContent = count(t.rowsRead) + (t.estimatedRows > 0 ? ' of ~' + count(t.estimatedRows) : '');
    tr.cells[5].textContent = eta(p, t);
    // A table the sink stopped writing (a schema change the target could not take): say why.
    tr.cells[5].className = t.sinkError ? 'error' : '';
    if (t.sinkError) {
      setPhase(tr.cells[1].firstChild, 'failed');
      tr.cells[1].firstChild.textContent = 'sink stopped';
      tr.cells[5].textContent = t.sinkError;
    }
  });
}

function renderDetail(p) {
  $('detail').hidden = false;
  $('detail-name').textContent = p.name;
  const phase = $('detail-phase');
  phase.textContent = p.state;
  phase.className = 'phase ' + p.state;
  const error = $('detail-error');
  error.textContent = p.error ? 'Last error: ' + p.error : '';
  error.hidden = !p.error;
  $('action-pause').disabled = p.state === 'paused';
  $('action-resume').disabled = !['paused', 'failed', 'stopped'].includes(p.state);
  renderTables(p);
  renderAdded(p);
}

// The tables added through the API, each with a button to take it out again; redrawn only when the
// list changes, so a click is never lost to a refresh.
function renderAdded(p) {
  const box = $('added-tables');
  const added = p.addedTables || [];
  const key = p.name + ':' + added.join(',');
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  box.replaceChildren(...(added.length ? [el('span', { class: 'muted' }, 'added: ')] : []), ...added.map((t) => {
    const remove = el('button', { type: 'button', class: 'small', title: 'Stop capturing ' + t }, '×');
    remove.dataset.table = t;
    remove.addEventListener('click', () => act(p.name, 'tables/' + encodeURIComponent(t), 'Stop capturing table ' + t
      + ' of pipeline ' + p.name + '? The pipeline restarts without it; its rows stay in the sink.',
    { method: 'DELETE', what: 'remove table ' + t + ' from ' + p.name }));
    return el('span', { class: 'added' }, t, ' ', remove);
  }));
}

const NS = 'http://www.w3.org/2000/svg';

// A line chart in SVG: the series over a fixed window, y from 0 to the series' maximum.
function chart(svg, values, format) {
  const w = 600, h = 160, top = 16, bottom = 6;
  const known = values.filter((v) => v != null);
  const max = Math.max(1, ...known);
  // One point a second; the x axis spans the last minute at least, the history's 5 minutes at most.
  const span = Math.max(60, values.length);
  const step = w / (span - 1);
  const offset = w - (values.length - 1) * step;
  const pts = [];
  values.forEach((v, i) => {
    if (v != null) pts.push((offset + i * step).toFixed(1) + ',' + (h - bottom - (h - top - bottom) * v / max).toFixed(1));
  });
  const grid = [0, 0.5, 1].map((f) => {
    const l = document.createElementNS(NS, 'line');
    const y = h - bottom - (h - top - bottom) * f;
    l.setAttribute('x1', 0); l.setAttribute('x2', w); l.setAttribute('y1', y); l.setAttribute('y2', y);
    return l;
  });
  const line = document.createElementNS(NS, 'polyline');
  line.setAttribute('points', pts.join(' '));
  const label = document.createElementNS(NS, 'text');
  label.setAttribute('x', 4); label.setAttribute('y', 12);
  label.textContent = 'max ' + format(max) + ' · last ' + (span < 120 ? span + ' s' : Math.round(span / 60) + ' min');
  svg.replaceChildren(...grid, line, label);
  svg.dataset.points = String(known.length);
  svg.dataset.last = known.length ? String(known[known.length - 1]) : '';
}

async function refreshHistory(name) {
  const h = await api('GET', '/pipelines/' + encodeURIComponent(name) + '/history');
  if (state.selected !== name) return;
  const rates = h.points.map((p) => p.rowsPerSecond);
  const lags = h.points.map((p) => p.lagMillis);
  chart($('chart-rate'), rates, (v) => rate(v) + ' rows/s');
  chart($('chart-lag'), lags, duration);
  const lastRate = rates.filter((v) => v != null).pop();
  const lastLag = lags.filter((v) => v != null).pop();
  $('rate-now').textContent = lastRate == null ? '' : rate(lastRate) + ' rows/s';
  $('lag-now').textContent = lastLag == null ? '' : duration(lastLag);
}

async function refreshConfig(name) {
  const c = await api('GET', '/pipelines/' + encodeURIComponent(name) + '/config');
  if (state.selected === name) {
    $('yaml').textContent = c.yaml;
    state.configShown = name;
  }
}

async function refreshLogs(name) {
  const l = await api('GET', '/pipelines/' + encodeURIComponent(name) + '/logs?lines=100');
  if (state.selected === name) {
    const pre = $('log');
    const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.textContent = l.lines.length ? l.lines.join('\n') : '(no log lines yet)';
    if (atEnd) pre.scrollTop = pre.scrollHeight;
  }
}

// --- actions ------------------------------------------------------------------------------------

function confirmAction(text) {
  const d = $('confirm');
  $('confirm-text').textContent = text;
  return new Promise((resolve) => {
    d.addEventListener('close', () => resolve(d.returnValue === 'ok'), { once: true });
    d.returnValue = '';
    d.showModal();
  });
}

// Confirms, calls the API, and shows the result; true when the action was done.
async function act(name, action, question, opts) {
  if (!(await confirmAction(question))) return false;
  const table = action.match(/^tables\/([^/]+)\/resnapshot$/);
  const what = (opts && opts.what)
    || (table ? 're-snapshot ' + decodeURIComponent(table[1]) + ' of ' + name : action + ' ' + name);
  notice(what + ': working…', '', 'action');
  try {
    const p = await api((opts && opts.method) || 'POST', '/pipelines/' + encodeURIComponent(name) + '/' + action);
    notice(what + ': done' + (p.added ? ', ' + p.added + ' is captured' : '') + '; phase now ' + p.state,
      'good', 'action');
    state.configShown = null;
    await tick();
    return true;
  } catch (e) {
    notice(what + ' failed: ' + e.message, 'bad', e.status === 401 ? 'refused' : 'action');
    return false;
  }
}

$('add-table-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const name = state.selected;
  const t = $('add-table-name').value.trim();
  if (!name || !t) return;
  const done = await act(name, 'tables/' + encodeURIComponent(t), 'Add table ' + t + ' to pipeline ' + name
    + '? The source is asked for it, then the pipeline restarts, snapshots it and keeps streaming the others.',
  { what: 'add table ' + t + ' to ' + name });
  if (done) $('add-table-name').value = '';
});

const ACTION_TEXT = {
  pause: 'It drains, flushes, saves a checkpoint and stays stopped until resumed.',
  resume: 'It starts again from its last checkpoint.',
  restart: 'It stops cleanly, reloads its file and starts again from its last checkpoint.',
};

for (const id of ['action-pause', 'action-resume', 'action-restart']) {
  $(id).addEventListener('click', (e) => {
    const action = e.currentTarget.dataset.action;
    act(state.selected, action, action[0].toUpperCase() + action.slice(1) + ' pipeline ' + state.selected + '? '
      + ACTION_TEXT[action]);
  });
}

// --- the loop -----------------------------------------------------------------------------------

function route() {
  const m = location.hash.match(/^#\/pipelines\/(.+)$/);
  state.selected = m ? decodeURIComponent(m[1]) : null;
  state.configShown = null;
  if (!state.selected) $('detail').hidden = true;
}

let ticks = 0;
async function tick() {
  try {
    const list = await api('GET', '/pipelines');
    state.pipelines = list;
    renderOverview(list);
    const p = list.find((x) => x.name === state.selected);
    if (p) {
      renderDetail(p);
      const jobs = [refreshHistory(p.name)];
      if (state.configShown !== p.name) jobs.push(refreshConfig(p.name));
      if (ticks % 2 === 0) jobs.push(refreshLogs(p.name));
      await Promise.all(jobs);
    } else if (state.selected) {
      $('detail').hidden = true;
    }
  } catch (e) {
    if (e.status !== 401) {
      $('connection').textContent = 'unreachable: ' + e.message;
      $('connection').className = 'error';
    }
  }
  ticks++;
}

$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  state.token = $('token').value;
  sessionStorage.setItem('sluice-token', state.token);
  $('token').value = '';
  state.configShown = null;
  tick();
});

window.addEventListener('hashchange', () => { route(); tick(); });
route();
tick();
setInterval(tick, 1000);
