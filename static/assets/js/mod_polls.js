// Palabre — moderator console: the debate's polls.
//
// Create one (a question, 2 to 8 options added and removed with buttons,
// single or multiple choice) → POST polls, open at once. The list (GET
// polls) shows each poll's results, kept live by the `poll` frames of the
// PUBLIC stream (at most one a second per poll), which the console opens
// when the tab is first shown, as the guest console does for its thread;
// "Close the poll" → POST polls/{pid}/close. Results change in place, so the
// focus stays put; they are not read out (every vote would be), only a poll
// opening or closing is (#status).

import * as api from './api.js';
import { $, h, clear, announce, codePoints, focusElement } from './dom.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';
import { LiveStream } from './stream.js';
import { state, compareText } from './mod_store.js';
import { plural } from './mod_rows.js';
import { errorText } from './mod_detail.js';

const MIN_OPTIONS = 2;
const MAX_OPTIONS = 8;
const MAX_QUESTION = 500;
const MAX_OPTION = 200;

const polls = new Map(); // id → poll (P)
const items = new Map(); // id → <li>
let started = false;
let stream = null;
let optionSeq = 0;
const openKey = new api.FormKey();

function percent(part, whole) {
  const x = whole > 0 ? part / whole : 0;
  try {
    return new Intl.NumberFormat(i18n.lang(), { style: 'percent', maximumFractionDigits: 0 }).format(x);
  } catch (_) {
    return `${Math.round(x * 100)} %`;
  }
}

// ---- The list -----------------------------------------------------------------

function build(p) {
  const headingId = `poll-h-${p.id}`;
  const li = h('li', { class: 'mod-poll', dataset: { id: p.id } },
    h('h4', { id: headingId, class: 'poll-q' }),
    h('p', { class: 'hint poll-meta' }),
    h('ul', { class: 'mod-poll-results' }),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'danger', 'aria-describedby': headingId, dataset: { do: 'close' }, text: t('mod.poll_close') })));
  return li;
}

function fill(li, p) {
  li.dataset.state = p.state;
  li.querySelector('.poll-q').textContent = p.question || '';
  const total = Number(p.votes) || 0;
  li.querySelector('.poll-meta').textContent = [
    t(p.state === 'closed' ? 'mod.poll_state_closed' : 'mod.poll_state_open'),
    t(p.multiple ? 'mod.poll_kind_multiple' : 'mod.poll_kind_single'),
    plural('mod.poll_voters', total),
  ].join(' · ');
  const results = li.querySelector('.mod-poll-results');
  const options = Array.isArray(p.options) ? p.options : [];
  while (results.children.length > options.length) results.lastElementChild.remove();
  options.forEach((option, i) => {
    let row = results.children[i];
    if (!row) {
      row = h('li', {}, h('span', { class: 'poll-opt' }), ' ', h('span', { class: 'poll-fig' }),
        h('progress', { max: '100', value: '0', 'aria-hidden': 'true' }));
      results.append(row);
    }
    const votes = Number((p.results || [])[i]) || 0;
    row.querySelector('.poll-opt').textContent = option;
    row.querySelector('.poll-fig').textContent = `${plural('mod.votes', votes)} (${percent(votes, total)})`;
    row.querySelector('progress').value = total ? Math.round((votes / total) * 100) : 0;
  });
  const close = li.querySelector('[data-do="close"]');
  if (p.state === 'closed' && close) {
    const hadFocus = document.activeElement === close;
    close.remove();
    if (hadFocus) focusElement(li.querySelector('.poll-q'));
  }
}

function draw() {
  const list = $('#polls-list');
  const all = Array.from(polls.values()).sort((a, b) => compareText(a.opened_at, b.opened_at));
  for (const p of all) {
    let li = items.get(p.id);
    if (!li) {
      li = build(p);
      items.set(p.id, li);
    }
    fill(li, p);
  }
  // Newest first.
  all.reverse().forEach((p, i) => {
    const li = items.get(p.id);
    if (list.children[i] !== li) list.insertBefore(li, list.children[i] || null);
  });
  $('#polls-empty').hidden = polls.size > 0;
}

function take(p) {
  if (!p || typeof p.id !== 'string') return;
  const before = polls.get(p.id);
  // A closed poll stays closed (a late frame of its open life changes nothing).
  if (before && before.state === 'closed' && p.state !== 'closed') return;
  polls.set(p.id, p);
  draw();
}

async function closePoll(li, button) {
  if (button.getAttribute('aria-disabled')) return;
  button.setAttribute('aria-disabled', 'true');
  const p = polls.get(li.dataset.id);
  try {
    const res = await api.idempotent('POST', api.eventPath(state.eventId, `polls/${encodeURIComponent(li.dataset.id)}/close`), {});
    take(res);
    announce(t('mod.poll_closed_done', { question: p ? p.question : '' }), 'ok');
  } catch (err) {
    button.removeAttribute('aria-disabled');
    announce(errorText(err), 'error');
  }
}

// ---- The form ------------------------------------------------------------------

function optionInputs() {
  return Array.from($('#poll-options').querySelectorAll('input'));
}

function addOption(value = '', focus = false) {
  const box = $('#poll-options');
  if (box.children.length >= MAX_OPTIONS) return;
  const id = `poll-option-${++optionSeq}`;
  const input = h('input', { type: 'text', id, maxlength: MAX_OPTION });
  input.value = value;
  const remove = h('button', { type: 'button', class: 'poll-remove' });
  const li = h('li', { class: 'poll-option-row' },
    h('div', { class: 'field' }, h('label', { for: id }), input), remove);
  remove.addEventListener('click', () => {
    const rows = Array.from(box.children);
    const i = rows.indexOf(li);
    li.remove();
    numberOptions();
    const inputs = optionInputs();
    focusElement(inputs[Math.min(i, inputs.length - 1)] || $('#poll-add-option'));
  });
  box.append(li);
  numberOptions();
  if (focus) input.focus();
}

function numberOptions() {
  const rows = Array.from($('#poll-options').children);
  rows.forEach((row, i) => {
    row.querySelector('label').textContent = t('mod.poll_option', { n: i + 1 });
    const remove = row.querySelector('.poll-remove');
    remove.textContent = t('mod.poll_remove_option', { n: i + 1 });
    remove.disabled = rows.length <= MIN_OPTIONS;
  });
  $('#poll-add-option').disabled = rows.length >= MAX_OPTIONS;
}

function resetForm() {
  $('#poll-question').value = '';
  $('#poll-multiple').checked = false;
  clear($('#poll-options'));
  for (let i = 0; i < MIN_OPTIONS; i++) addOption();
}

async function submit(e) {
  e.preventDefault();
  const error = $('#poll-error');
  const question = $('#poll-question');
  error.textContent = '';
  const text = question.value.trim();
  const inputs = optionInputs();
  const options = inputs.map((i) => i.value.trim()).filter(Boolean);
  const fail = (field, message) => {
    error.textContent = message;
    field.focus();
  };
  if (!text) return fail(question, t('mod.poll_need_question'));
  if (codePoints(text) > MAX_QUESTION) return fail(question, t('error.text_too_long', { n: MAX_QUESTION }));
  if (options.length < MIN_OPTIONS || new Set(options).size !== options.length) {
    return fail(inputs.find((i) => !i.value.trim()) || inputs[0], t('mod.poll_need_options'));
  }
  const button = $('#poll-submit');
  if (button.getAttribute('aria-disabled')) return undefined;
  button.setAttribute('aria-disabled', 'true');
  const body = { question: text, options, multiple: $('#poll-multiple').checked };
  try {
    const p = await api.idempotent('POST', api.eventPath(state.eventId, 'polls'), body, { idempotencyKey: openKey.for(body) });
    openKey.settled(null);
    take(p);
    resetForm();
    announce(t('mod.poll_opened', { question: text }), 'ok');
  } catch (err) {
    openKey.settled(err);
    error.textContent = errorText(err);
  } finally {
    button.removeAttribute('aria-disabled');
  }
  return undefined;
}

// ---- Loading -------------------------------------------------------------------

export async function load() {
  try {
    const res = await api.get(api.eventPath(state.eventId, 'polls'));
    for (const p of (res && res.items) || []) take(p);
    $('#polls-load-error').textContent = '';
  } catch (err) {
    $('#polls-load-error').textContent = errorText(err);
  }
  draw();
}

/** The tab is shown: the first time, load the polls and follow the public stream. */
export function shown() {
  if (started) return;
  started = true;
  load();
  stream = new LiveStream(api.apiUrl(api.eventPath(state.eventId, 'stream')), {
    pollUrl: api.apiUrl(api.eventPath(state.eventId, 'poll')),
    types: ['poll'],
    onFrame: (type, data) => {
      if (type === 'poll') take(data);
    },
    onReset: () => load(),
  });
  stream.start();
}

export function stop() {
  if (stream) stream.stop();
}

export function relabel() {
  numberOptions();
  for (const [id, li] of items) fill(li, polls.get(id));
  for (const b of $('#polls-list').querySelectorAll('[data-do="close"]')) b.textContent = t('mod.poll_close');
}

export function init() {
  $('#poll-form').addEventListener('submit', submit);
  $('#poll-add-option').addEventListener('click', () => addOption('', true));
  $('#polls-list').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-do="close"]');
    if (b) closePoll(b.closest('li.mod-poll'), b);
  });
  resetForm();
}
