// Palabre — moderator console: abuse controls.
//
// Slow mode (off, 10 s … 5 min) and the shield are live controls of the
// debate: PATCH /api/events/{id} {"slow_mode_s"} / {"shield"}. Their state
// comes from GET queue's `controls` and from `controls` frames on the staff
// stream, so every moderator's console shows the shield's banner (#shield-
// banner, above the counters, sticky) within a second of its switching;
// a change is announced politely. The debate's blocked words (GET/PUT
// word-filters) are edited one pattern per line: one box for every language,
// one per language of the debate. Bans and timeouts act on a question's
// author, from the open question (mod_forms.js).

import * as api from './api.js';
import { $, h, clear, announce } from './dom.js';
import { t } from './i18n.js';
import { state } from './mod_store.js';
import { errorText } from './mod_detail.js';

const SLOW_STEPS = [0, 10, 30, 60, 120, 300];
const MAX_WORDS = 500;
let wordsLoaded = false;

function durationWords(s) {
  if (!s) return t('mod.slow_off');
  const key = `mod.slow_${s}`;
  const words = t(key);
  return words === key ? t('mod.seconds', { n: s }) : words;
}

/** GET queue's `controls`, a `controls` frame, or PATCH's answer. */
export function apply(controls, { announceChange = false } = {}) {
  if (!controls || typeof controls !== 'object') return;
  const before = { ...state.controls };
  state.controls = {
    slow_mode_s: Number(controls.slow_mode_s) || 0,
    shield: controls.shield === true,
  };
  draw();
  if (!announceChange) return;
  if (before.shield !== state.controls.shield) {
    announce(t(state.controls.shield ? 'mod.shield_now_on' : 'mod.shield_now_off'));
  } else if (before.slow_mode_s !== state.controls.slow_mode_s) {
    announce(t('mod.slow_now', { d: durationWords(state.controls.slow_mode_s) }));
  }
}

function draw() {
  const { shield, slow_mode_s: slow } = state.controls;
  $('#shield-banner').hidden = !shield;
  document.body.classList.toggle('shield-on', shield);
  const toggle = $('#shield-toggle');
  toggle.setAttribute('aria-pressed', String(shield));
  toggle.textContent = t(shield ? 'mod.shield_turn_off' : 'mod.shield_turn_on');
  $('#shield-state').textContent = t(shield ? 'mod.shield_state_on' : 'mod.shield_state_off');
  $('#slow-state').textContent = t('mod.slow_current', { d: durationWords(slow) });
  const select = $('#slow-mode');
  if (!Array.from(select.options).some((o) => o.value === String(slow))) fillSlowChoices();
  if (!select.dataset.touched) select.value = String(slow);
}

function fillSlowChoices() {
  const select = $('#slow-mode');
  const keep = select.value;
  clear(select);
  const steps = SLOW_STEPS.includes(state.controls.slow_mode_s) ? SLOW_STEPS : [...SLOW_STEPS, state.controls.slow_mode_s].sort((a, b) => a - b);
  for (const s of steps) select.add(new Option(durationWords(s), String(s)));
  select.value = keep || String(state.controls.slow_mode_s);
}

async function patch(body, button) {
  if (button.getAttribute('aria-disabled')) return;
  button.setAttribute('aria-disabled', 'true');
  try {
    const ev = await api.idempotent('PATCH', api.eventPath(state.eventId), body);
    if (ev && ev.controls) apply(ev.controls);
    announce(body.shield !== undefined
      ? t(state.controls.shield ? 'mod.shield_now_on' : 'mod.shield_now_off')
      : t('mod.slow_now', { d: durationWords(state.controls.slow_mode_s) }), 'ok');
  } catch (err) {
    announce(errorText(err), 'error');
  } finally {
    button.removeAttribute('aria-disabled');
  }
}

// ---- Blocked words --------------------------------------------------------------

function wordBoxes() {
  return Array.from($('#words-boxes').querySelectorAll('textarea'));
}

function drawWordBoxes() {
  const box = $('#words-boxes');
  const keep = new Map(wordBoxes().map((a) => [a.dataset.lang, a.value]));
  clear(box);
  const langs = ['', ...((state.event && state.event.languages) || [])];
  for (const lang of langs) {
    const id = `words-${lang || 'all'}`;
    const area = h('textarea', { id, rows: 4, dataset: { lang }, spellcheck: 'false', 'aria-describedby': 'words-hint words-error' });
    area.value = keep.get(lang) || '';
    box.append(h('div', { class: 'field' },
      h('label', { for: id, text: lang ? t('mod.words_lang', { lang }) : t('mod.words_all') }), area));
  }
}

async function loadWords() {
  try {
    const res = await api.get(api.eventPath(state.eventId, 'word-filters'));
    const byLang = new Map();
    for (const item of (res && res.items) || []) {
      const lang = item.lang || '';
      if (!byLang.has(lang)) byLang.set(lang, []);
      byLang.get(lang).push(item.pattern);
    }
    drawWordBoxes();
    for (const area of wordBoxes()) area.value = (byLang.get(area.dataset.lang) || []).join('\n');
    wordsLoaded = true;
    $('#words-error').textContent = '';
  } catch (err) {
    $('#words-error').textContent = errorText(err);
  }
}

async function saveWords(e) {
  e.preventDefault();
  const error = $('#words-error');
  error.textContent = '';
  const items = [];
  for (const area of wordBoxes()) {
    for (const line of area.value.split('\n')) {
      const pattern = line.trim();
      if (pattern) items.push({ pattern, lang: area.dataset.lang });
    }
  }
  if (items.length > MAX_WORDS) {
    error.textContent = t('mod.words_too_many', { n: MAX_WORDS });
    wordBoxes()[0].focus();
    return;
  }
  const button = $('#words-save');
  if (button.getAttribute('aria-disabled')) return;
  button.setAttribute('aria-disabled', 'true');
  try {
    await api.idempotent('PUT', api.eventPath(state.eventId, 'word-filters'), { items });
    announce(t('mod.words_saved', { n: items.length }), 'ok');
  } catch (err) {
    error.textContent = errorText(err);
  } finally {
    button.removeAttribute('aria-disabled');
  }
}

/** The tab is shown: load the blocked words once. */
export function shown() {
  if (!wordsLoaded) loadWords();
}

export function relabel() {
  fillSlowChoices();
  drawWordBoxes();
  draw();
}

export function init() {
  fillSlowChoices();
  drawWordBoxes();
  $('#slow-mode').addEventListener('change', (e) => {
    e.target.dataset.touched = '1';
  });
  $('#slow-form').addEventListener('submit', (e) => {
    e.preventDefault();
    delete $('#slow-mode').dataset.touched;
    patch({ slow_mode_s: Number($('#slow-mode').value) }, $('#slow-apply'));
  });
  $('#shield-toggle').addEventListener('click', (e) => {
    patch({ shield: !state.controls.shield }, e.currentTarget);
  });
  $('#words-form').addEventListener('submit', saveWords);
  draw();
}
