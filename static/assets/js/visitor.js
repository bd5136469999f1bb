// Palabre — visitor page (e/{id}): event, pseudonym, questions, live thread.
//
// A question the visitor sends is never dropped silently: it goes to an
// "outbox" (kept in localStorage until the server acknowledges it) and is
// shown in "My questions" as sending… → received, or failed with a retry
// button.
//
// Each question gets an Idempotency-Key when it is written, kept with it in
// the outbox (and in localStorage) and sent with every attempt, automatic or
// not: the server creates it once however many times it arrives. So a
// transient failure (network, 502/503/504, 409 idempotency_in_progress) is
// retried by itself, a few times with full-jitter back-off, while the badge
// still says "sending…"; then it shows "failed" and the retry button sends
// the same key again. A question refused for rate limiting is retried by
// itself after Retry-After; one that was still sending when the page closed
// is sent again (same key) once the page knows the visitor; other failures
// wait for the visitor.
//
// The audience's signals (supports of published questions, live polls) are
// drawn in the thread by audience.js; "my questions" says why a question was
// set aside (the reason's code, translated), that it was grouped with a
// similar one, or that the moderators edited it.

import * as api from './api.js';
import { h, $, clear, announce, applyBranding, renderBrand, focusElement, codePoints, safeLang } from './dom.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';
import * as contentLangs from './visitor_lang.js';
import { LiveStream } from './stream.js';
import { showConnection } from './connection.js';
import { Thread } from './thread.js';
import { Audience } from './audience.js';
import { pauseFor } from './thread_pause.js';
import { renderArchive, loadArchive, bindPrint } from './archive.js';
import { renderReminder } from './visitor_reminder.js';
import { renderCountdown } from './visitor_countdown.js';

const MAX_CHARS = 2000;
const MAX_NAME = 40;
const OPEN_PHASES = ['pre_questions', 'live', 'late_questions'];
const MINE_REFRESH_MS = 10000;
const EVENT_REFRESH_SPREAD_MS = 5000;
const EVENT_RETRY_MS = 30000;
const SKEW_RETRY_MS = 10000;
const MAX_SKEW_RETRIES = 30;
const MAX_TIMER_MS = 86400000;
// One send and four automatic retries (full jitter, ceilings 0.5, 1, 2, 4 s):
// at most about 8 s of "sending…" before the visitor is asked.
const AUTO_ATTEMPTS = 5;
// After a stream reset, "my questions" is fetched again within this spread,
// so that a whole audience reset at once does not ask at the same instant.
const RESET_REFRESH_SPREAD_MS = 5000;

const state = {
  eventId: api.eventIdFromPath(),
  event: null,
  joined: false,
  name: '',
  banned: false,
  mine: [], // server view: [{id, text, lang, status, created_at}]
  outbox: [], // not yet acknowledged: [{localId, key, text, lang, state, error, createdAt, autoResend}]
  mineTimer: null,
  stream: null,
  thread: null,
  pause: null,
  audience: null,
};

// ---- Persistence (per event) ---------------------------------------------

function storeKey(what) {
  return `palabre.${what}.${state.eventId}`;
}

function load(what, fallback) {
  try {
    const raw = window.localStorage.getItem(storeKey(what));
    return raw ? JSON.parse(raw) : fallback;
  } catch (_) {
    return fallback;
  }
}

function save(what, value) {
  try {
    if (value === null || value === undefined) window.localStorage.removeItem(storeKey(what));
    else window.localStorage.setItem(storeKey(what), JSON.stringify(value));
  } catch (_) {
    // Private browsing or quota: the page still works, only without memory.
  }
}

function saveOutbox() {
  save('outbox', state.outbox.map(({ localId, key, text, lang, state: s, error, createdAt, autoResend }) => ({
    localId, key, text, lang, state: s, error, createdAt, autoResend,
  })));
}

// ---- Errors --------------------------------------------------------------

/** A sentence for an ApiError, in the page's language. */
export function errorMessage(err) {
  if (!err) return t('error.unknown');
  switch (err.code) {
    case 'network': return t('error.network');
    case 'rate_limited':
      if (slowModeSeconds() > 0) return t('error.slow_mode', { n: slowModeSeconds() });
      return err.retryAfter ? t('error.rate_limited_in', { n: err.retryAfter }) : t('error.rate_limited');
    case 'banned': return t('error.banned');
    case 'timed_out':
      return err.retryAfter ? t('error.timed_out_in', { n: err.retryAfter }) : t('error.timed_out');
    case 'event_closed': return t('error.event_closed');
    case 'unsupported_language': return t('error.unsupported_language');
    case 'not_joined': return t('error.not_joined');
    case 'text_empty': return t('error.text_empty');
    case 'text_too_long': return t('error.text_too_long', { n: MAX_CHARS });
    case 'not_found': return t('error.event_not_found');
    case 'csrf_failed': return t('error.csrf_failed');
    case 'store_unavailable': return t('error.unavailable');
    case 'payload_too_large': return t('error.text_too_long', { n: MAX_CHARS });
    case 'invalid_field': return t('error.invalid_field', { detail: err.message || '' });
    case 'idempotency_in_progress': return t('error.in_progress');
    default:
      return err.status >= 500 ? t('error.server') : (err.message || t('error.unknown'));
  }
}

// ---- Slow mode ------------------------------------------------------------

// One question every N seconds while the moderators' slow mode (or their
// shield, which makes it a minute at least) is on: GET event's `controls`,
// then `controls` frames.
function slowModeSeconds() {
  const c = state.event && state.event.controls;
  if (!c) return 0;
  return c.shield ? Math.max(c.slow_mode_s || 0, 60) : (c.slow_mode_s || 0);
}

function renderSlowMode() {
  const n = slowModeSeconds();
  const p = $('#ask-slow');
  p.hidden = n === 0;
  p.textContent = n ? t('visitor.slow_mode', { n }) : '';
}

// ---- Event header --------------------------------------------------------

function eventLang() {
  return i18n.contentLang(state.event ? state.event.languages : null);
}

function setLangAttr(el, tag) {
  const lang = safeLang(tag);
  if (lang) el.setAttribute('lang', lang);
  else el.removeAttribute('lang');
}

function renderEvent() {
  const ev = state.event;
  document.title = t('visitor.doc_title_event', { title: ev.title });
  const title = $('#event-title');
  title.removeAttribute('data-i18n');
  title.textContent = ev.title;
  setLangAttr(title, (ev.languages || [])[0]);
  const desc = $('#description');
  desc.textContent = ev.description || '';
  setLangAttr(desc, (ev.languages || [])[0]);

  const phase = $('#phase');
  phase.hidden = false;
  phase.dataset.phase = ev.phase;
  phase.textContent = t(`phase.${ev.phase}`);

  const when = $('#when');
  when.setAttribute('datetime', ev.starts_at);
  when.textContent = i18n.formatRange(ev.starts_at, ev.ends_at);
  $('#when-item').hidden = false;

  const cal = $('#calendar');
  cal.href = api.apiUrl(api.eventPath(ev.id, 'calendar.ics'));
  cal.setAttribute('download', `${ev.id}.ics`);
  $('#calendar-item').hidden = false;

  const transcript = $('#transcript');
  transcript.href = api.apiUrl(api.eventPath(ev.id, 'transcript.html'));
  transcript.hidden = false;

  const brand = ev.brand || ev.branding;
  const organiser = brand && typeof brand.organiser === 'string' ? brand.organiser : '';
  $('#organiser-item').textContent = organiser ? t('archive.organiser', { name: organiser }) : '';
  $('#organiser-item').hidden = !organiser;
  renderArchive(ev);

  const guests = $('#guests');
  clear(guests);
  for (const g of ev.guests || []) {
    const li = h('li', { class: g.photo ? 'guest with-photo' : 'guest' });
    // The name is next to it: the photo is decoration for a screen reader.
    if (g.photo) li.append(h('img', { src: g.photo, alt: '', width: 48, height: 48, loading: 'lazy' }));
    li.append(h('strong', { text: g.name || '' }));
    if (g.role) li.append(`, ${g.role}`);
    guests.append(li);
  }
  $('#guests-block').hidden = !(ev.guests && ev.guests.length);
  renderReminder(ev);
  renderCountdown(ev);
  renderBrand($('#brand'), ev.brand || ev.branding, 'Palabre', ev.logo);
  applyBranding(ev.brand || ev.branding);
  renderSlowMode();
  renderParticipation();
  renderConnection();
}

// The live connection's line, which depends on the phase too (connection.js).
function renderConnection() {
  if (!state.stream) return;
  showConnection($('#connection'), state.stream.state, state.stream.stateInfo,
    { plainViewUrl: plainViewUrl(), phase: state.event ? state.event.phase : null });
}

function questionsOpen() {
  return state.event && OPEN_PHASES.includes(state.event.phase);
}

function closedExplanation() {
  const ev = state.event;
  if (state.banned) return t('error.banned');
  if (!ev) return '';
  if (ev.phase === 'scheduled') return t('visitor.closed_scheduled', { when: i18n.formatDateTime(ev.starts_at) });
  if (ev.phase === 'closed') return t('visitor.closed_closed');
  return '';
}

/** When a debate stops taking late questions (ISO), or '' when it takes none. */
function lateUntil(ev) {
  const end = Date.parse(ev.ends_at) + (ev.late_questions_days || 0) * 86400000;
  return Number.isFinite(end) && ev.late_questions_days > 0 ? new Date(end).toISOString() : '';
}

function renderParticipation() {
  if (!state.event) return;
  const open = questionsOpen() && !state.banned;
  const closedNote = closedExplanation();
  $('#debate').hidden = false;
  // After the debate, while questions are still taken: say until when.
  const late = state.event.phase === 'late_questions' && !state.banned ? lateUntil(state.event) : '';
  $('#late-note').hidden = !late;
  $('#late-note').textContent = late ? t('visitor.late_until', { when: i18n.formatDateTime(late) }) : '';

  const joinForm = $('#join-form');
  const joinedBox = $('#joined');
  const askForm = $('#ask-form');
  const participateClosed = $('#participate-closed');

  if (!state.joined) {
    joinForm.hidden = state.banned || state.event.phase === 'closed';
    joinedBox.hidden = true;
    askForm.hidden = true;
    participateClosed.hidden = !closedNote;
    participateClosed.textContent = closedNote;
  } else {
    // While the visitor changes their pseudonym the join form replaces both.
    const renaming = !joinForm.hidden;
    participateClosed.hidden = true;
    joinedBox.hidden = renaming;
    $('#joined-name').textContent = state.name || t('visitor.anonymous');
    askForm.hidden = renaming;
    const textarea = $('#question');
    textarea.disabled = !open;
    $('#ask-submit').disabled = !open;
    $('#ask-closed').textContent = open ? '' : closedNote;
  }
  $('#mine').hidden = !state.joined && state.outbox.length === 0;
  renderMyData();
  if (state.audience) state.audience.refresh();
}

// ---- My data: export and erasure (docs/PRIVACY.md) --------------------------

function renderMyData() {
  $('#my-data').hidden = !state.joined;
  $('#export-link').href = api.apiUrl(api.eventPath(state.eventId, 'me/export'));
}

function onEraseStart() {
  $('#erase-error').textContent = '';
  $('#erase-start').hidden = true;
  $('#erase-confirm').hidden = false;
  $('#erase-no').focus();
}

function onEraseCancel() {
  $('#erase-confirm').hidden = true;
  $('#erase-start').hidden = false;
  $('#erase-start').focus();
}

async function onEraseConfirm() {
  const yes = $('#erase-yes');
  yes.disabled = true;
  try {
    await api.del(api.eventPath(state.eventId, 'me'));
  } catch (err) {
    if (err.code !== 'not_joined') {
      $('#erase-error').textContent = errorMessage(err);
      yes.disabled = false;
      yes.focus();
      return;
    }
  }
  yes.disabled = false;
  state.joined = false;
  state.name = '';
  state.mine = [];
  state.outbox = [];
  saveOutbox();
  save('name', null);
  save('csrf', null);
  api.setCsrfToken(null);
  stopMineTimer();
  if (state.audience) state.audience.forget();
  $('#erase-confirm').hidden = true;
  $('#erase-start').hidden = false;
  renderParticipation();
  renderMine();
  announce(t('visitor.erased'), 'ok');
  focusElement($('#participate-title'));
}

async function loadEvent() {
  const ev = await api.get(api.eventPath(state.eventId));
  const before = state.event ? state.event.phase : null;
  state.event = ev;
  renderEvent();
  // While the thread replays its history (or before its first replay is
  // over) the phase shown may be a replayed one: the end of the replay
  // (makeThread's onQuiet) says what changed, once.
  const replaying = state.thread && (!state.thread.live || toldPhase === null);
  if (before && before !== ev.phase && !replaying) {
    toldPhase = ev.phase;
    announce(t('visitor.phase_now', { phase: t(`phase.${ev.phase}`) }));
  }
  scheduleEventRefresh();
}

/** The phase docs/API.md computes, from this browser's clock. */
function expectedPhase(ev, now) {
  if (ev.closed) return 'closed';
  const start = Date.parse(ev.starts_at);
  const end = Date.parse(ev.ends_at);
  if (now < start) return ev.questions_before ? 'pre_questions' : 'scheduled';
  if (now < end) return 'live';
  if (now < end + (ev.late_questions_days || 0) * 86400000) return 'late_questions';
  return 'closed';
}

let eventTimer = null;
let skewRetries = 0;
function scheduleEventRefresh() {
  clearTimeout(eventTimer);
  const ev = state.event;
  // The phase changes with the clock; the stream only says so when staff
  // change the times or close the debate. So fetch the event again just after
  // the next boundary (start, end, end of late questions), spread over a few
  // seconds so that a full audience does not ask at the same instant.
  const now = Date.now();
  if (expectedPhase(ev, now) !== ev.phase && skewRetries < MAX_SKEW_RETRIES) {
    // The server's clock is behind ours (or ahead): ask again shortly, for
    // a few minutes at most.
    skewRetries += 1;
    eventTimer = setTimeout(reloadEvent, SKEW_RETRY_MS + Math.random() * EVENT_REFRESH_SPREAD_MS);
    return;
  }
  const bounds = [Date.parse(ev.starts_at), Date.parse(ev.ends_at),
    Date.parse(ev.ends_at) + (ev.late_questions_days || 0) * 86400000]
    .filter((x) => Number.isFinite(x) && x > now);
  if (!bounds.length) return;
  const delay = Math.min(...bounds) - now + 1000 + Math.random() * EVENT_REFRESH_SPREAD_MS;
  eventTimer = setTimeout(reloadEvent, Math.min(delay, MAX_TIMER_MS));
}

function reloadEvent() {
  // loadEvent() schedules the next boundary itself when it succeeds.
  loadEvent().catch(() => {
    eventTimer = setTimeout(reloadEvent, EVENT_RETRY_MS);
  });
}

// ---- Joining -------------------------------------------------------------

async function onJoin(e) {
  e.preventDefault();
  const input = $('#join-name');
  const errorBox = $('#join-error');
  const name = input.value.trim();
  errorBox.textContent = '';
  input.removeAttribute('aria-invalid');
  const n = codePoints(name);
  if (n < 1 || n > MAX_NAME) {
    input.setAttribute('aria-invalid', 'true');
    errorBox.textContent = n < 1 ? t('visitor.name_required') : t('visitor.name_too_long', { n: MAX_NAME });
    input.focus();
    return;
  }
  const button = $('#join-submit');
  button.disabled = true;
  try {
    const res = await api.post(api.eventPath(state.eventId, 'join'), { name, lang: eventLang() }, { noCsrf: true });
    state.joined = true;
    state.name = res.name || name;
    save('name', state.name);
    if (res.csrf_token) {
      api.setCsrfToken(res.csrf_token);
      save('csrf', res.csrf_token);
    }
    $('#join-form').hidden = true;
    renderParticipation();
    renderMine();
    announce(t('visitor.welcome', { name: state.name }), 'ok');
    focusElement($('#ask-title'));
    refreshMine();
    startMineTimer();
    flushOutbox();
  } catch (err) {
    if (err.code === 'banned') {
      state.banned = true;
      renderParticipation();
    }
    input.setAttribute('aria-invalid', 'true');
    errorBox.textContent = errorMessage(err);
    input.focus();
  } finally {
    button.disabled = false;
  }
}

function onChangeName() {
  const form = $('#join-form');
  form.hidden = false;
  $('#joined').hidden = true;
  $('#ask-form').hidden = true;
  $('#join-cancel').hidden = false;
  const input = $('#join-name');
  input.value = state.name || '';
  input.focus();
}

function onCancelChangeName() {
  $('#join-form').hidden = true;
  $('#join-cancel').hidden = true;
  renderParticipation();
  $('#change-name').focus();
}

// ---- Asking --------------------------------------------------------------

let lastCounterBand = null;
function updateCounter() {
  const textarea = $('#question');
  const n = codePoints(textarea.value);
  const counter = $('#question-counter');
  counter.textContent = t('visitor.counter', { n, max: MAX_CHARS });
  const over = n > MAX_CHARS;
  counter.classList.toggle('over', over);
  if (over) textarea.setAttribute('aria-invalid', 'true');
  else textarea.removeAttribute('aria-invalid');
  // Screen readers hear the count only when it crosses a threshold, not at
  // every keystroke.
  const left = MAX_CHARS - n;
  const band = left < 0 ? 'over' : left <= 50 ? '50' : left <= 200 ? '200' : 'ok';
  if (band !== lastCounterBand) {
    const live = $('#counter-live');
    if (band === 'over') live.textContent = t('visitor.counter_over', { n: -left });
    else if (band !== 'ok') live.textContent = t('visitor.counter_left', { n: left });
    else live.textContent = '';
    lastCounterBand = band;
  }
}

function newLocalId() {
  return `l${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

function onAsk(e) {
  e.preventDefault();
  const textarea = $('#question');
  const errorBox = $('#ask-error');
  errorBox.textContent = '';
  const text = textarea.value.trim();
  const n = codePoints(text);
  if (n === 0) {
    errorBox.textContent = t('error.text_empty');
    textarea.setAttribute('aria-invalid', 'true');
    textarea.focus();
    return;
  }
  if (n > MAX_CHARS) {
    errorBox.textContent = t('visitor.counter_over', { n: n - MAX_CHARS });
    textarea.focus();
    return;
  }
  const item = {
    localId: newLocalId(),
    key: api.newIdempotencyKey(),
    text,
    lang: contentLangs.questionLang(),
    state: 'sending',
    createdAt: new Date().toISOString(),
  };
  state.outbox.push(item);
  saveOutbox();
  textarea.value = '';
  updateCounter();
  renderMine();
  send(item);
}

function postQuestion(item) {
  // The same body and the same key on every attempt: the server answers a
  // repeat with the first answer (Idempotent-Replayed) instead of a new question.
  return api.post(api.eventPath(state.eventId, 'questions'), { text: item.text, lang: item.lang },
    { idempotencyKey: item.key });
}

async function send(item) {
  if (item.inFlight) return;
  item.inFlight = true;
  item.state = 'sending';
  item.error = '';
  clearTimeout(item.retryTimer);
  item.retryTimer = null;
  saveOutbox();
  renderMine();
  try {
    let res;
    try {
      res = await postQuestion(item);
    } catch (err) {
      if (err.code !== 'csrf_failed' || !api.getCsrfToken()) throw err;
      // A stale token from an older session: drop it; the Origin check remains.
      api.setCsrfToken(null);
      save('csrf', null);
      res = await postQuestion(item);
    }
    item.inFlight = false;
    item.tries = 0;
    state.outbox = state.outbox.filter((x) => x !== item);
    saveOutbox();
    if (res && res.id && !state.mine.some((q) => q.id === res.id)) {
      state.mine.push({ id: res.id, text: item.text, lang: item.lang, status: res.status || 'pending', created_at: item.createdAt, fresh: true });
    }
    renderMine();
    announce(t('visitor.question_received'), 'ok');
  } catch (err) {
    item.inFlight = false;
    const tries = item.tries || 0;
    if (api.isTransient(err) && tries + 1 < AUTO_ATTEMPTS && state.outbox.includes(item)) {
      // Still "sending…" for the visitor: the next attempt carries the same key.
      item.tries = tries + 1;
      item.retryTimer = setTimeout(() => send(item), api.retryDelay(err, tries));
      return;
    }
    item.tries = 0;
    item.state = 'failed';
    item.error = errorMessage(err);
    if (err.code === 'rate_limited') {
      const wait = Math.max(1, err.retryAfter || 10);
      item.retryTimer = setTimeout(() => send(item), wait * 1000);
    } else if (err.code === 'not_joined') {
      // Sent again by itself once the visitor has joined (again).
      item.autoResend = true;
      state.joined = false;
      $('#join-form').hidden = false;
      stopMineTimer();
      renderParticipation();
    } else if (err.code === 'banned') {
      state.banned = true;
      renderParticipation();
    } else if (err.code === 'event_closed') {
      loadEvent().catch(() => {});
    }
    saveOutbox();
    renderMine();
    $('#ask-error').textContent = item.error;
  }
}

/** Send what a previous visit could not, now that the visitor has (re)joined. */
function flushOutbox() {
  for (const item of state.outbox) {
    if (item.state === 'failed' && item.autoResend) send(item);
  }
}

function retry(item) {
  // A click starts a new round of automatic attempts, with the same key.
  item.tries = 0;
  send(item);
}

function editFailed(item) {
  state.outbox = state.outbox.filter((x) => x !== item);
  saveOutbox();
  const textarea = $('#question');
  textarea.value = item.text;
  updateCounter();
  renderMine();
  if (!$('#ask-form').hidden) textarea.focus();
}

function discard(item) {
  state.outbox = state.outbox.filter((x) => x !== item);
  saveOutbox();
  renderMine();
  $('#mine-title').focus();
}

// ---- My questions ----------------------------------------------------------

function statusLabel(status) {
  return t(`status.${status}`);
}

const REJECT_REASONS = ['off_topic', 'duplicate', 'already_answered', 'abusive', 'personal_data', 'other'];

// What "my questions" adds under a question's status: why it was not
// selected (the reason's code from the moderators' list, never their note),
// the question it was grouped with (linked when it is in the thread), or
// that the moderators edited it.
function mineNote(q) {
  if (q.status === 'rejected') {
    const code = REJECT_REASONS.includes(q.reject_reason) ? q.reject_reason : 'other';
    return h('p', { class: 'mine-note', dataset: { reason: code },
      text: t('audience.reason', { reason: t(`audience.reason_${code}`) }) });
  }
  if (q.status === 'merged') {
    const note = h('p', { class: 'mine-note', dataset: { merged: q.merged_into || '' }, text: t('audience.merged') });
    const text = q.merged_into && state.thread ? state.thread.messageText(q.merged_into) : null;
    const target = text !== null ? document.getElementById(`msg-${q.merged_into}`) : null;
    if (target) {
      const short = codePoints(text) > 80 ? `${Array.from(text).slice(0, 80).join('')}…` : text;
      note.append(' ', h('a', {
        href: `#${target.id}`,
        class: 'merged-link',
        text: t('audience.merged_link', { text: short }),
        on: {
          click: (e) => {
            const el = document.getElementById(target.id);
            if (!el) return;
            e.preventDefault();
            focusElement(el);
          },
        },
      }));
    }
    return note;
  }
  if (q.edited && (q.status === 'published' || q.status === 'pending')) {
    return h('p', { class: 'mine-note', dataset: { edited: 'true' }, text: t('audience.mine_edited') });
  }
  return null;
}

function renderMine() {
  const list = $('#my-questions');
  const focused = document.activeElement && list.contains(document.activeElement)
    ? document.activeElement.dataset.focusKey : null;
  clear(list);
  const entries = [];
  for (const q of state.mine) {
    entries.push(h('li', { dataset: { id: q.id } },
      h('p', { class: 'msg-text', dir: 'auto', lang: safeLang(q.lang), text: q.text }),
      h('p', { class: 'msg-meta' },
        h('span', { class: 'badge', dataset: { status: q.status }, text: statusLabel(q.status) }),
        q.created_at ? h('time', { datetime: q.created_at, text: i18n.formatTime(q.created_at) }) : null),
      mineNote(q)));
  }
  for (const item of state.outbox) {
    const li = h('li', { dataset: { local: item.localId } },
      h('p', { class: 'msg-text', dir: 'auto', lang: safeLang(item.lang), text: item.text }),
      h('p', { class: 'msg-meta' },
        h('span', { class: 'badge', dataset: { status: item.state }, text: statusLabel(item.state) })));
    if (item.state === 'failed') {
      if (item.error) li.append(h('p', { class: 'notice error', text: item.error }));
      li.append(h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', text: t('visitor.retry'), dataset: { focusKey: `retry-${item.localId}` }, on: { click: () => retry(item) } }),
        h('button', { type: 'button', text: t('visitor.edit_failed'), dataset: { focusKey: `edit-${item.localId}` }, on: { click: () => editFailed(item) } }),
        h('button', { type: 'button', text: t('visitor.discard'), dataset: { focusKey: `discard-${item.localId}` }, on: { click: () => discard(item) } })));
    }
    entries.push(li);
  }
  // Newest first: what the visitor just sent is at the top.
  for (const li of entries.reverse()) list.append(li);
  $('#mine-empty').hidden = entries.length > 0;
  $('#mine').hidden = !state.joined && state.outbox.length === 0;
  if (focused) {
    const again = list.querySelector(`[data-focus-key="${CSS.escape(focused)}"]`);
    if (again) again.focus();
    else $('#mine-title').setAttribute('tabindex', '-1');
  }
}

async function refreshMine() {
  if (!state.joined) return;
  try {
    const res = await api.get(api.eventPath(state.eventId, 'my-questions'));
    if (res.banned && !state.banned) {
      state.banned = true;
      renderParticipation();
    }
    if (state.audience) state.audience.setVoted(res.polls_voted);
    applyMine(res.questions || []);
  } catch (err) {
    if (err.code === 'not_joined') {
      state.joined = false;
      stopMineTimer();
      renderParticipation();
    }
  }
}

function applyMine(questions) {
  const before = new Map(state.mine.map((q) => [q.id, q.status]));
  state.mine = questions;
  // A question whose POST answer was lost (page closed while sending) is on
  // the server after all: drop its outbox copy.
  const texts = new Set(questions.map((q) => q.text));
  const n = state.outbox.length;
  state.outbox = state.outbox.filter((item) => item.state === 'sending' || !texts.has(item.text));
  if (state.outbox.length !== n) saveOutbox();
  for (const q of questions) {
    const was = before.get(q.id);
    if (was && was !== q.status) announce(t('visitor.status_changed', { status: statusLabel(q.status) }));
  }
  renderMine();
}

function startMineTimer() {
  stopMineTimer();
  // Only a pending question can still change without a public frame saying
  // so (rejection): poll while there is one, and only while the page is seen,
  // so that thousands of idle visitors cost nothing.
  state.mineTimer = setInterval(() => {
    if (document.visibilityState === 'visible' && state.mine.some((q) => q.status === 'pending')) refreshMine();
  }, MINE_REFRESH_MS);
}

function stopMineTimer() {
  clearInterval(state.mineTimer);
  state.mineTimer = null;
}

let mineSoon = null;
function refreshMineSoon() {
  clearTimeout(mineSoon);
  mineSoon = setTimeout(refreshMine, 300);
}

// ---- Live stream -----------------------------------------------------------

// The plain read-only view of the thread (a server-rendered page), offered
// in the status line while the page is on long-poll, when the page links it.
function plainViewUrl() {
  const a = document.getElementById('plain-view-link');
  return a && a.href ? a.href : null;
}

function refreshMineLater(spreadMs) {
  clearTimeout(mineSoon);
  mineSoon = setTimeout(refreshMine, 300 + Math.random() * spreadMs);
}

// Announcing a phase: only a change seen while the page is open is news.
// The phase frames replayed from the history when the stream (re)connects
// or restarts (reset) are state: the page shows them without a word, and
// once the replay is over it says the phase only if it is not the one the
// visitor was last told of (e.g. the debate ended while the connection was
// lost). At the end of the first replay, the reference is the phase the
// page loaded with: the replay itself is not news, but a change that came
// while it ran (the debate started a moment after the page opened) is.
// null: nothing told yet.
let toldPhase = null;
let shownAtLoad = null;

function makeThread() {
  const thread = new Thread($('#thread'), $('#thread-empty'), {
    region: $('#thread-log'),
    onQuiet: () => {
      if (!state.event) return;
      const reference = toldPhase !== null ? toldPhase : shownAtLoad;
      if (reference !== null && state.event.phase !== reference) {
        announce(t('visitor.phase_now', { phase: t(`phase.${state.event.phase}`) }));
      }
      toldPhase = state.event.phase;
    },
    onMessage: (msg) => {
      contentLangs.onMessage(msg);
      const mine = state.mine.find((q) => q.id === msg.id);
      if (mine && mine.status !== 'published') {
        mine.status = 'published';
        renderMine();
        refreshMineSoon();
      } else if (msg.kind === 'question' && state.mine.some((q) => q.status === 'merged' && q.merged_into === msg.id)) {
        // The question one of theirs was grouped with is in the thread now: link it.
        renderMine();
      }
    },
    audience: state.audience,
  });
  state.thread = thread;
  state.pause = pauseFor(thread, (text) => announce(text));
  thread.settle();
  return thread;
}

// A closed debate: its whole thread from the transcript, no live stream
// (archive.js). Should the transcript not load, the live stream replays the
// thread instead.
async function showArchive() {
  try {
    await loadArchive(makeThread(), state.eventId);
    $('#connection').hidden = true;
  } catch (err) {
    $('#archive-error').textContent = t('archive.load_failed');
    startStream();
  }
}

function startStream() {
  const thread = makeThread();
  state.stream = new LiveStream(api.apiUrl(api.eventPath(state.eventId, 'stream')), {
    pollUrl: api.apiUrl(api.eventPath(state.eventId, 'poll')),
    types: ['message', 'retract', 'author', 'phase', 'poll', 'support', 'controls'],
    onReset: () => {
      // The server restarts the history (its cursor was lost): drop the
      // thread and rebuild it from the frames that follow. Statuses in "my
      // questions" that came from the thread are checked again with the server.
      state.pause.reset();
      thread.reset();
      refreshMineLater(RESET_REFRESH_SPREAD_MS);
    },
    onState: (s) => {
      renderConnection();
      if (s === 'open') thread.settle();
    },
    onFrame: (type, data) => {
      if (type === 'phase') {
        if (state.event && data.phase) {
          const changed = data.phase !== state.event.phase;
          state.event.phase = data.phase;
          if (data.ends_at) state.event.ends_at = data.ends_at;
          renderEvent();
          if (changed && thread.live && toldPhase !== null) {
            toldPhase = data.phase;
            announce(t('visitor.phase_now', { phase: t(`phase.${data.phase}`) }));
          }
          scheduleEventRefresh();
        }
        return;
      }
      if (type === 'controls') {
        if (state.event) {
          const before = slowModeSeconds();
          state.event.controls = data;
          renderSlowMode();
          // Replayed controls are state, like replayed phases.
          if (slowModeSeconds() !== before && thread.live) {
            announce(slowModeSeconds() ? t('visitor.slow_mode', { n: slowModeSeconds() }) : t('visitor.slow_mode_off'));
          }
        }
        return;
      }
      state.pause.frame(type, data);
      if (type === 'retract') {
        const mine = state.mine.find((q) => q.id === data.id);
        if (mine) {
          mine.status = 'retracted';
          renderMine();
        }
      }
    },
  });
  state.stream.start();
}

// ---- Start -----------------------------------------------------------------

function bindForms() {
  $('#join-form').addEventListener('submit', onJoin);
  $('#join-cancel').addEventListener('click', onCancelChangeName);
  $('#change-name').addEventListener('click', onChangeName);
  $('#ask-form').addEventListener('submit', onAsk);
  $('#question').addEventListener('input', updateCounter);
  $('#question').addEventListener('keydown', (e) => {
    // Ctrl/Cmd+Enter sends, as in most chat boxes; Enter alone adds a line.
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      $('#ask-form').requestSubmit();
    }
  });
  $('#erase-start').addEventListener('click', onEraseStart);
  $('#erase-no').addEventListener('click', onEraseCancel);
  $('#erase-yes').addEventListener('click', onEraseConfirm);
  $('#erase-confirm').addEventListener('keydown', (e) => {
    if (e.key === 'Escape') onEraseCancel();
  });
  bindPrint();
  $('#mine-refresh').addEventListener('click', () => {
    refreshMine().then(() => announce(t('visitor.status_refreshed')));
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') refreshMine();
  });
}

async function start() {
  try {
    state.event = await api.get(api.eventPath(state.eventId));
    shownAtLoad = state.event.phase;
  } catch (err) {
    $('#event-title').textContent = err.code === 'not_found' ? t('error.event_not_found') : t('visitor.load_failed');
    $('#page-error').textContent = errorMessage(err);
    if (err.code !== 'not_found') setTimeout(start, 5000);
    return;
  }
  $('#page-error').textContent = '';
  await i18n.setup(state.event.languages, $('#lang-switch'), state.event.time_zone || null);
  contentLangs.setup(state.event, { load, save });
  i18n.onChange(() => {
    contentLangs.relabel();
    renderEvent();
    renderMine();
    updateCounter();
    if (state.thread) state.thread.relabel();
    if (state.pause) state.pause.relabel();
    renderConnection();
  });
  renderEvent();
  scheduleEventRefresh();

  // A newcomer has nothing to ask for: GET my-questions would only answer
  // 401, an error in the browser's console on every first visit. A visitor
  // who joined from this browser has their pseudonym (or a question waiting)
  // stored; only then does the page ask.
  if (!hasJoinedHere()) {
    $('#join-form').hidden = false;
    renderParticipation();
    renderMine();
    showThread();
    return;
  }
  try {
    const res = await api.get(api.eventPath(state.eventId, 'my-questions'));
    state.joined = true;
    state.banned = Boolean(res.banned);
    state.audience.setVoted(res.polls_voted);
    applyMine(res.questions || []);
    startMineTimer();
    flushOutbox();
  } catch (err) {
    // The join form is already on screen (renderEvent above): a visitor who
    // joined while this first look was on its way keeps their join, whatever
    // order the two answers came back in.
    if (err.code === 'banned') state.banned = true;
  }
  $('#join-form').hidden = state.joined;
  renderParticipation();
  renderMine();
  showThread();
}

function showThread() {
  if (state.event.phase === 'closed') showArchive();
  else startStream();
}

/** Whether this browser joined this debate before (what start() asks the server about). */
function hasJoinedHere() {
  return Boolean(load('name', '') || load('csrf', null) || state.outbox.length);
}

function main() {
  i18n.init();
  bindForms();
  contentLangs.bind();
  updateCounter();
  if (!state.eventId) {
    $('#event-title').textContent = t('error.event_not_found');
    return;
  }
  // The plain view of this debate (server-written, no script); without
  // script the link's "?view=plain" gets there through nginx.
  $('#plain-view-link').href = api.apiUrl(api.eventPath(state.eventId, 'thread.html'));
  state.name = load('name', '');
  let rekeyed = false;
  state.outbox = load('outbox', []).map((stored) => {
    // Saved by an older version of this page: give it its key now.
    const item = stored.key ? stored : { ...stored, key: api.newIdempotencyKey() };
    if (!stored.key) rekeyed = true;
    // A question still "sending" when the page was closed may or may not have
    // arrived. It is sent again with its key once the page knows the visitor
    // (applyMine drops it first if it is in "my questions"); until then it
    // shows as failed, saying so.
    return item.state === 'sending'
      ? { ...item, state: 'failed', error: t('visitor.unsure_sent'), autoResend: true }
      : item;
  });
  if (rekeyed) saveOutbox();
  const csrf = load('csrf', null);
  if (csrf) api.setCsrfToken(csrf);
  state.audience = new Audience({
    eventId: state.eventId,
    canAct: () => state.joined && !state.banned,
    joined: () => state.joined,
    contentLang: () => (state.event && (state.event.languages || [])[0]) || null,
    load,
    save,
    errorText: errorMessage,
    onNotJoined: () => {
      if (!state.joined) return;
      state.joined = false;
      $('#join-form').hidden = false;
      stopMineTimer();
      renderParticipation();
    },
    onBanned: () => {
      if (state.banned) return;
      state.banned = true;
      renderParticipation();
    },
  });
  start();
}

main();
