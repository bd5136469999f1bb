// Palabre — moderator console (e/{id}/moderate): the wiring.
//
// Several moderators share one queue in a busy room. What the console knows
// is one map of questions (mod_store.js), filled from GET queue and kept
// current by the staff stream, which sends the whole question on every
// change (`question` frames; `version` grows, older frames are ignored),
// and the moderators' other news: `ban`, `erased`, `queue` (the guest's
// order), `timeout` and `controls` (slow mode, the shield). The stream is
// opened after the snapshot's cursor, so nothing falls between the two;
// when it is reset (the server lost its history), the queue is fetched
// again and everything redrawn from it.
//
// The page is a set of tabs (ARIA tabs, arrow keys between them):
//   Questions      the shared compact queue with its filters, bulk rejection
//                  and shortcuts (mod_queue.js, mod_rows.js, mod_detail.js,
//                  mod_forms.js, mod_keys.js), the announcement box, the
//                  guest's order (mod_guest_order.js), the published and
//                  rejected questions;
//   Polls          mod_polls.js (opens the public stream for live results);
//   Prepared answers  mod_library.js;
//   Abuse controls mod_controls.js (slow mode, shield, blocked words);
//   Audit log      mod_audit.js.
// The counters and the shield's banner stay at the top of the screen.

import * as api from './api.js';
import { $, h, clear, announce, applyBranding, renderBrand, safeLang } from './dom.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';
import { LiveStream } from './stream.js';
import { showConnection } from './connection.js';
import { openSession, closeSession, snapshotReloader } from './staff.js';
import { state, upsert, forget, onChange, isPending, renderNow, requestRender } from './mod_store.js';
import * as queue from './mod_queue.js';
import * as detail from './mod_detail.js';
import * as keys from './mod_keys.js';
import * as guestOrder from './mod_guest_order.js';
import * as library from './mod_library.js';
import * as polls from './mod_polls.js';
import * as controls from './mod_controls.js';
import * as audit from './mod_audit.js';

const EXTEND_MINUTES = 15;
const TABS = ['queue', 'polls', 'library', 'controls', 'audit'];
const SHOWN = { polls: polls.shown, library: library.shown, controls: controls.shown, audit: audit.shown };

state.eventId = api.eventIdFromPath();
let stream = null;

// ---- Tabs ----------------------------------------------------------------------

function selectTab(name, { focus = false } = {}) {
  for (const n of TABS) {
    const tab = $(`#tab-${n}`);
    const on = n === name;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`#panel-${n}`).hidden = !on;
  }
  if (focus) $(`#tab-${name}`).focus();
  if (SHOWN[name]) SHOWN[name]();
}

function initTabs() {
  const list = $('#tabs');
  list.addEventListener('click', (e) => {
    const tab = e.target.closest('[role="tab"]');
    if (tab) selectTab(tab.id.replace('tab-', ''));
  });
  list.addEventListener('keydown', (e) => {
    const i = TABS.indexOf(document.activeElement.id.replace('tab-', ''));
    if (i < 0) return;
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: TABS.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    selectTab(TABS[(next + TABS.length) % TABS.length], { focus: true });
  });
}

// ---- The event ---------------------------------------------------------------------

function renderEvent() {
  const ev = state.event;
  if (!ev) return;
  const title = $('#page-title');
  title.removeAttribute('data-i18n');
  clear(title);
  title.append(t('mod.title_event'), ' ', h('span', { lang: safeLang((ev.languages || [])[0]), text: ev.title }));
  const phase = $('#phase');
  phase.dataset.phase = ev.phase;
  phase.textContent = t(`phase.${ev.phase}`);
  $('#ends').textContent = t('mod.ends_at', { when: i18n.formatDateTime(ev.ends_at) });
  $('#public-link').href = api.pageUrl(`e/${encodeURIComponent(ev.id)}`);
  renderBrand($('#brand'), ev.brand || ev.branding, 'Palabre', ev.logo);
  applyBranding(ev.brand || ev.branding);
  queue.setLanguages(ev.languages);
  library.setLanguages();
}

async function loadEvent() {
  state.event = await api.get(api.eventPath(state.eventId));
  renderEvent();
  if (state.event.controls) controls.apply(state.event.controls);
}

// ---- The queue and the staff stream ----------------------------------------------------

let arrivals = 0;
let arrivalTimer = null;

// New questions are announced, grouped (not while a snapshot is drawn).
onChange((before, q) => {
  if (before || !state.ready || !isPending(q)) return;
  arrivals++;
  clearTimeout(arrivalTimer);
  arrivalTimer = setTimeout(() => {
    announce(arrivals === 1 ? t('mod.new_question', { name: q.author || '' }) : t('mod.new_questions', { n: arrivals }));
    arrivals = 0;
  }, 800);
});

function applyQueue(res) {
  const wasReady = state.ready;
  state.ready = false;
  state.forwardOrder = (res.forwarded || []).map((q) => q.id);
  state.guestNow = res.guest_now || null;
  for (const q of [...(res.pending || []), ...(res.forwarded || []), ...(res.recent || []), ...(res.hidden || [])]) upsert(q);
  if (res.controls) controls.apply(res.controls);
  state.ready = wasReady;
  queue.invalidate();
  renderNow();
  return res.cursor;
}

async function refreshQueue() {
  return applyQueue(await api.get(api.eventPath(state.eventId, 'queue')));
}

async function loadBans() {
  try {
    const res = await api.get(api.eventPath(state.eventId, 'bans'));
    for (const b of (res && res.bans) || []) {
      state.banned.add(b.visitor_id);
      if (b.silent) state.silent.add(b.visitor_id);
    }
  } catch (_) {
    // Only used for badges.
  }
}

const onStaffReset = snapshotReloader({
  forget() {
    state.ready = false;
    detail.closeRow({ release: false });
    state.questions.clear();
    state.forwardOrder = [];
    state.guestNow = null;
    state.banned.clear();
    state.silent.clear();
  },
  async load() {
    const res = await api.get(api.eventPath(state.eventId, 'queue'));
    await loadBans();
    return res;
  },
  apply(res) {
    applyQueue(res);
    state.ready = true;
    renderNow();
  },
  onFirstError(err) {
    state.ready = true;
    renderNow();
    announce(detail.errorText(err), 'error');
  },
});

function onFrame(type, data) {
  if (!data || typeof data !== 'object') return;
  if (type === 'question') {
    if (upsert(data)) requestRender();
  } else if (type === 'erased' && Array.isArray(data.ids)) {
    // A visitor erased their participation: their unpublished questions are gone.
    forget(data.ids);
    requestRender();
  } else if (type === 'ban' && data.visitor_id) {
    state.banned.add(data.visitor_id);
    if (data.silent) state.silent.add(data.visitor_id);
    queue.invalidate();
    requestRender();
  } else if (type === 'queue') {
    guestOrder.applyQueue(data);
    queue.invalidate();
    requestRender();
  } else if (type === 'timeout' && data.visitor_id) {
    if (data.until) state.timeouts.set(data.visitor_id, data.until);
    else state.timeouts.delete(data.visitor_id);
    queue.invalidate();
    requestRender();
  } else if (type === 'controls') {
    controls.apply(data, { announceChange: true });
  }
}

function startStream(cursor) {
  const conn = $('#connection');
  stream = new LiveStream(api.apiUrl(api.eventPath(state.eventId, 'staff/stream')), {
    pollUrl: api.apiUrl(api.eventPath(state.eventId, 'staff/poll')),
    types: ['question', 'ban', 'erased', 'queue', 'timeout', 'controls'],
    lastEventId: cursor || null,
    onReset: () => {
      onStaffReset();
    },
    onState: (s, info) => showConnection(conn, s, info),
    onFrame,
  });
  stream.start();
}

// ---- Announcements and the end of the debate ---------------------------------------------

// Sending the same announcement again after a failure whose outcome is
// unknown reuses its key: it cannot be published twice.
const announceKey = new api.FormKey();

async function onAnnounce(e) {
  e.preventDefault();
  const area = $('#announce-text');
  const err = $('#announce-error');
  const text = area.value.trim();
  err.textContent = '';
  if (!text) {
    err.textContent = t('error.text_empty');
    area.focus();
    return;
  }
  const button = e.target.querySelector('button[type=submit]');
  button.disabled = true;
  const body = { text, lang: i18n.contentLang(state.event.languages) };
  try {
    await api.idempotent('POST', api.eventPath(state.eventId, 'announcements'), body,
      { idempotencyKey: announceKey.for(body) });
    announceKey.settled(null);
    area.value = '';
    announce(t('mod.done_announce'), 'ok');
  } catch (error) {
    announceKey.settled(error);
    err.textContent = detail.errorText(error);
    area.focus();
  } finally {
    button.disabled = false;
  }
}

async function onExtend() {
  const ev = state.event;
  const base = Math.max(Date.now(), Date.parse(ev.ends_at) || Date.now());
  const endsAt = new Date(base + EXTEND_MINUTES * 60000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const button = $('#extend');
  button.disabled = true;
  try {
    state.event = await api.idempotent('PATCH', api.eventPath(state.eventId), { ends_at: endsAt });
    renderEvent();
    announce(t('mod.done_extend', { when: i18n.formatDateTime(state.event.ends_at) }), 'ok');
  } catch (err) {
    announce(detail.errorText(err), 'error');
  } finally {
    button.disabled = false;
  }
}

// ---- Start -----------------------------------------------------------------------------------

function showProblem(reason) {
  $('#auth-problem').textContent = t(`staff.${reason}`);
}

function relabel() {
  renderEvent();
  queue.invalidate();
  renderNow();
  detail.refresh(detail.openLi());
  keys.drawDialog();
  library.relabel();
  polls.relabel();
  controls.relabel();
  audit.relabel();
  if (stream) showConnection($('#connection'), stream.state, stream.stateInfo);
}

async function main() {
  i18n.init();
  $('#announce-form').addEventListener('submit', onAnnounce);
  $('#extend').addEventListener('click', onExtend);
  $('#logout').addEventListener('click', async () => {
    detail.closeRow();
    if (stream) stream.stop();
    polls.stop();
    await closeSession();
    window.location.href = api.pageUrl(state.eventId ? `e/${state.eventId}` : '');
  });
  if (!state.eventId) {
    showProblem('no_session');
    return;
  }
  try {
    state.session = await openSession(state.eventId, ['moderator', 'admin']);
  } catch (err) {
    showProblem(err.reason || 'network');
    try {
      state.event = await api.get(api.eventPath(state.eventId));
      await i18n.setup(state.event.languages, $('#lang-switch'), state.event.time_zone || null);
      i18n.onChange(() => showProblem(err.reason || 'network'));
    } catch (_) {
      // The explanation is enough.
    }
    return;
  }
  state.me = state.session.label || state.session.login || 'moderator';
  $('#logout').hidden = false;
  for (const m of [queue, keys, guestOrder, library, polls, controls, audit]) m.init();
  detail.setConflictHandler(() => refreshQueue().catch(() => {}));
  initTabs();
  try {
    await loadEvent();
  } catch (err) {
    $('#auth-problem').textContent = detail.errorText(err);
    return;
  }
  await i18n.setup(state.event.languages, $('#lang-switch'), state.event.time_zone || null);
  i18n.onChange(relabel);
  renderEvent();
  controls.relabel();
  $('#console').hidden = false;
  await loadBans();
  let cursor = null;
  try {
    cursor = await refreshQueue();
  } catch (err) {
    announce(detail.errorText(err), 'error');
  }
  state.ready = true;
  renderNow();
  startStream(cursor);
  setInterval(() => loadEvent().catch(() => {}), 30000);
}

main();
