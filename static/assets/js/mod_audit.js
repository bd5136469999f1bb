// Palabre — moderator console: the audit log (GET audit), newest first, at
// most 500 entries; filters by actor, action and text (the API's ?actor=,
// ?action=, ?q=), and a link to audit.csv with the same filters (every
// entry). Each entry says who (the invite's label, e.g. "Anne
// (communication)", and the role), did what, to what (a question's text
// when the console knows it), why (a rejection's or a ban's reason) and,
// for an edit, the text before and after. Loaded each time the tab is shown
// and on "Refresh".

import * as api from './api.js';
import { $, h, clear, announce, safeLang } from './dom.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';
import { state, REASONS } from './mod_store.js';
import { plural, reasonText } from './mod_rows.js';
import { errorText } from './mod_detail.js';

const ACTIONS = ['publish', 'reject', 'forward', 'edit', 'retract', 'merge', 'answer', 'announce',
  'ban', 'silent_ban', 'unban', 'timeout', 'lift_timeout', 'controls', 'word_filters', 'arrange_guest_queue',
  'open_poll', 'close_poll', 'create_prepared_answer', 'update_prepared_answer', 'delete_prepared_answer',
  'create_event', 'update_event', 'create_invite', 'revoke_invite'];

const actors = new Set();
let entries = [];
let loading = 0;

function actionWords(action) {
  const key = `mod.audit_a_${action}`;
  const words = t(key);
  return words === key ? action : words;
}

/** "moderator:Anne (communication)" → {label: "Anne (communication)", role: "moderator"}. */
function parseActor(actor) {
  const s = String(actor || '');
  const i = s.indexOf(':');
  return i < 0 ? { role: s, label: '' } : { role: s.slice(0, i), label: s.slice(i + 1) };
}

function roleWords(role) {
  const key = `mod.role_${role}`;
  const words = t(key);
  return words === key ? role : words;
}

function actorWords(actor) {
  const { role, label } = parseActor(actor);
  return label ? `${label} (${roleWords(role)})` : roleWords(role);
}

let dateFormat = null;
let dateLang = null;
function when(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  if (dateLang !== i18n.lang()) {
    dateLang = i18n.lang();
    dateFormat = new Intl.DateTimeFormat(dateLang, { dateStyle: 'short', timeStyle: 'medium' });
  }
  return dateFormat.format(d);
}

function query() {
  const params = new URLSearchParams();
  const actor = $('#audit-actor').value;
  const action = $('#audit-action').value;
  const q = $('#audit-text').value.trim();
  if (actor) params.set('actor', actor);
  if (action) params.set('action', action);
  if (q) params.set('q', q);
  const s = params.toString();
  return s ? `?${s}` : '';
}

function targetWords(e) {
  const q = state.questions.get(e.target);
  if (q) return `« ${String(q.text || '').replace(/\s+/g, ' ').slice(0, 80)} » (${q.author || ''})`;
  return e.target || '';
}

function entry(e) {
  const lines = [];
  if (e.reason) {
    const words = e.action === 'reject' && REASONS.includes(e.reason) ? reasonText(e.reason) : e.reason;
    lines.push(h('p', { class: 'hint', text: t('mod.audit_reason', { reason: words }) }));
  }
  const details = e.details && typeof e.details === 'object' ? e.details : {};
  if (e.action === 'reject' && details.note) lines.push(h('p', { class: 'hint', text: t('mod.note_was', { note: details.note }) }));
  if (e.before !== undefined || e.after !== undefined) {
    lines.push(h('p', { class: 'hint' }, h('span', { text: t('mod.audit_before') }), ' ', h('span', { dir: 'auto', text: e.before || '' })));
    lines.push(h('p', { class: 'hint' }, h('span', { text: t('mod.audit_after') }), ' ', h('span', { dir: 'auto', text: e.after || '' })));
  }
  if (details.into) lines.push(h('p', { class: 'hint', text: t('mod.audit_into', { target: targetWords({ target: details.into }) }) }));
  if (e.action === 'controls') {
    lines.push(h('p', { class: 'hint', text: t('mod.audit_controls', { slow: details.slow_mode_s || '0', shield: details.shield || '' }) }));
  }
  return h('li', { class: 'audit-entry', dataset: { action: e.action || '' } },
    h('p', { class: 'audit-line' },
      h('time', { datetime: e.at, text: when(e.at) }), ' · ',
      h('strong', { class: 'audit-actor', text: actorWords(e.actor) }), ' · ',
      h('span', { class: 'audit-action', text: actionWords(e.action) }), ' · ',
      h('span', { class: 'audit-target', dir: 'auto', lang: safeLang((state.questions.get(e.target) || {}).lang), text: targetWords(e) })),
    ...lines);
}

function drawActors() {
  const select = $('#audit-actor');
  const keep = select.value;
  while (select.options.length > 1) select.remove(1);
  for (const a of Array.from(actors).sort()) select.add(new Option(actorWords(a), a));
  if (keep && !actors.has(keep)) select.add(new Option(actorWords(keep), keep));
  select.value = keep;
}

function drawActions() {
  const select = $('#audit-action');
  const keep = select.value;
  while (select.options.length > 1) select.remove(1);
  for (const a of ACTIONS) select.add(new Option(actionWords(a), a));
  select.value = keep;
}

function draw() {
  const list = $('#audit-list');
  list.replaceChildren(...entries.map(entry));
  $('#audit-empty').hidden = entries.length > 0;
  $('#audit-count').textContent = plural('mod.audit_count', entries.length);
}

export async function load({ say = false } = {}) {
  const q = query();
  $('#audit-csv').href = api.apiUrl(api.eventPath(state.eventId, `audit.csv${q}`));
  const mine = ++loading;
  $('#audit-list').setAttribute('aria-busy', 'true');
  try {
    const res = await api.get(api.eventPath(state.eventId, `audit${q}`));
    if (mine !== loading) return;
    entries = Array.isArray(res && res.entries) ? res.entries : [];
    for (const e of entries) if (e.actor) actors.add(e.actor);
    drawActors();
    draw();
    $('#audit-error').textContent = '';
    if (say) announce($('#audit-count').textContent);
  } catch (err) {
    if (mine === loading) $('#audit-error').textContent = errorText(err);
  } finally {
    if (mine === loading) $('#audit-list').setAttribute('aria-busy', 'false');
  }
}

export function shown() {
  load();
}

export function relabel() {
  drawActions();
  drawActors();
  draw();
}

export function init() {
  drawActions();
  $('#audit-csv').href = api.apiUrl(api.eventPath(state.eventId, 'audit.csv'));
  $('#audit-form').addEventListener('submit', (e) => {
    e.preventDefault();
    load({ say: true });
  });
  $('#audit-refresh').addEventListener('click', () => load({ say: true }));
  // The CSV link follows the filters as they are chosen.
  const follow = () => {
    $('#audit-csv').href = api.apiUrl(api.eventPath(state.eventId, `audit.csv${query()}`));
  };
  $('#audit-form').addEventListener('input', follow);
  $('#audit-form').addEventListener('change', follow);
  clear($('#audit-list'));
}
