// Palabre — the page of a reminder mail's link, r/{token} (docs/API.md
// "Reminders"). It reads GET /api/reminders/{token} (which debate, whether
// the address is confirmed) and the debate, and changes something only when
// a button is pressed: mail scanners open every link of a mail, and opening
// this page must not confirm anything. "Confirm" posts …/confirm;
// "Cancel" posts …/unsubscribe, which deletes the address. A token that
// names nothing (sent, cancelled, expired, mistyped) says so.

import * as api from './api.js';
import { $, applyBranding, renderBrand, safeLang, focusElement } from './dom.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';

const TOKEN_RE = /^[A-Za-z0-9_-]{1,128}$/;

// What the page shows: 'pending', 'confirmed', 'cancelled', or null before
// the reminder is known; redrawn in the new language when it changes.
let shown = null;
let event = null;
let busy = false;

function tokenFromPath() {
  const parts = api.routeParts();
  const i = parts.lastIndexOf('r');
  const token = i >= 0 ? parts[i + 1] : null;
  return token && TOKEN_RE.test(token) ? token : null;
}

function problem(text) {
  const status = $('#status');
  status.removeAttribute('data-i18n');
  status.textContent = '';
  $('#page-error').textContent = text;
}

function errorText(err) {
  if (err && err.code === 'not_found') return t('reminder.unknown');
  if (err && err.code === 'network') return t('error.network');
  if (err && err.status >= 500) return t('error.unavailable');
  return t('error.unknown');
}

const STATE_KEYS = { pending: 'reminder.pending', confirmed: 'reminder.confirmed', cancelled: 'reminder.unsubscribed' };

function render() {
  if (!shown) return;
  if (event) {
    const title = $('#event-title');
    title.textContent = event.title;
    const lang = safeLang((event.languages || [])[0]);
    if (lang) title.setAttribute('lang', lang);
    const when = $('#when');
    when.setAttribute('datetime', event.starts_at);
    when.textContent = i18n.formatDateTime(event.starts_at);
    document.title = t('reminder.doc_title_event', { title: event.title });
  }
  const state = $('#state');
  state.textContent = t(STATE_KEYS[shown]);
  state.className = `notice ${shown === 'pending' ? 'warn' : 'ok'}`;
  $('#confirm').hidden = shown !== 'pending';
  $('#unsubscribe').hidden = shown === 'cancelled';
  $('#details').hidden = false;
}

async function act(button, path, next) {
  if (busy) return;
  busy = true;
  button.setAttribute('aria-disabled', 'true');
  $('#page-error').textContent = '';
  try {
    await api.post(path, {});
    shown = next;
    render();
    focusElement($('#state'));
  } catch (err) {
    if (err && err.code === 'not_found') {
      // Sent, cancelled or expired meanwhile: nothing left to act on.
      $('#confirm').hidden = true;
      $('#unsubscribe').hidden = true;
    }
    $('#page-error').textContent = errorText(err);
  } finally {
    busy = false;
    button.removeAttribute('aria-disabled');
  }
}

async function main() {
  i18n.init();
  const token = tokenFromPath();
  if (!token) {
    problem(t('reminder.unknown'));
    return;
  }
  const base = `reminders/${encodeURIComponent(token)}`;
  let reminder;
  try {
    reminder = await api.get(base);
    event = await api.get(api.eventPath(reminder.event_id));
  } catch (err) {
    problem(errorText(err));
    await i18n.setup(null, $('#lang-switch'));
    return;
  }
  // The language the visitor asked the mails in comes first, then the debate's.
  const languages = [reminder.lang, ...(event.languages || [])].filter((l) => typeof l === 'string' && l);
  await i18n.setup(languages, $('#lang-switch'), event.time_zone);
  renderBrand($('#brand'), event.brand || event.branding, 'Palabre', event.logo);
  applyBranding(event.brand || event.branding);
  $('#event-link').href = api.pageUrl(`e/${encodeURIComponent(event.id)}`);
  const status = $('#status');
  status.removeAttribute('data-i18n');
  status.textContent = '';
  shown = reminder.confirmed ? 'confirmed' : 'pending';
  render();
  $('#confirm').addEventListener('click', (e) => act(e.currentTarget, `${base}/confirm`, 'confirmed'));
  $('#unsubscribe').addEventListener('click', (e) => act(e.currentTarget, `${base}/unsubscribe`, 'cancelled'));
  i18n.onChange(render);
}

main();
