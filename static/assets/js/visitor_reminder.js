// Palabre — the visitor page's "remind me by e-mail" form (docs/API.md
// "Reminders"), shown while the debate has not started (phases scheduled
// and pre_questions) and hidden once it is live or closed.
//
// It posts {"email","lang"} (the interface's language: the mails are
// written in it) to POST /api/events/{id}/reminders, which answers 202
// whatever the address; the page then says to look for the confirmation
// mail. Neither the event nor /api/site says whether the site sends mail,
// so the form is shown and a 503 mail_unavailable replaces it with a note
// for the rest of the visit.
//
// visitor.js calls renderReminder(event) each time it draws the debate
// (load, phase frames, language change); this module keeps its own state.

import * as api from './api.js';
import { $, focusElement } from './dom.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';

const BEFORE_START = ['scheduled', 'pre_questions'];
// A rough check before the server's (domain/mail_address.hpp): something@something.tld.
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const state = {
  eventId: null,
  phase: null,
  // The note that replaced the form: null, or the i18n key of
  // 'reminder.check_inbox', 'reminder.unavailable', 'reminder.started'.
  doneKey: null,
  errorKey: null,
  sending: false,
  bound: false,
};

function bind() {
  if (state.bound) return;
  state.bound = true;
  $('#reminder-form').addEventListener('submit', onSubmit);
}

function errorKeyOf(err) {
  switch (err && err.code) {
    case 'invalid_email':
    case 'invalid_field': return 'reminder.invalid_email';
    case 'rate_limited': return 'reminder.rate_limited';
    case 'network': return 'error.network';
    default: return err && err.status >= 500 ? 'error.unavailable' : 'error.unknown';
  }
}

function setError(key) {
  state.errorKey = key;
  const input = $('#reminder-email');
  $('#reminder-error').textContent = key ? t(key) : '';
  if (key) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

async function onSubmit(e) {
  e.preventDefault();
  if (state.sending || !state.eventId) return;
  const input = $('#reminder-email');
  const email = input.value.trim();
  if (!email) {
    setError('reminder.email_empty');
    focusElement(input);
    return;
  }
  if (!EMAIL_RE.test(email)) {
    setError('reminder.invalid_email');
    focusElement(input);
    return;
  }
  setError(null);
  state.sending = true;
  const button = $('#reminder-submit');
  button.setAttribute('aria-disabled', 'true');
  try {
    await api.post(api.eventPath(state.eventId, 'reminders'), { email, lang: i18n.lang() });
    input.value = '';
    state.doneKey = 'reminder.check_inbox';
  } catch (err) {
    if (err && err.code === 'mail_unavailable') state.doneKey = 'reminder.unavailable';
    else if (err && err.code === 'event_closed') state.doneKey = 'reminder.started';
    else {
      setError(errorKeyOf(err));
      focusElement(input);
    }
  } finally {
    state.sending = false;
    button.removeAttribute('aria-disabled');
  }
  draw();
}

function draw() {
  const open = BEFORE_START.includes(state.phase);
  const form = $('#reminder-form');
  const note = $('#reminder-note');
  form.hidden = !open || state.doneKey !== null;
  // The note stays while the debate has not started: it answers what the
  // visitor just did. A live or closed debate shows neither.
  note.textContent = open && state.doneKey ? t(state.doneKey) : '';
  note.className = `notice ${state.doneKey === 'reminder.check_inbox' ? 'ok' : ''}`.trim();
  if (state.errorKey) $('#reminder-error').textContent = t(state.errorKey);
}

/** Show or hide the form for the debate as it is now (GET /api/events/{id}). */
export function renderReminder(ev) {
  if (!ev || !$('#reminder-form')) return;
  bind();
  state.eventId = ev.id;
  state.phase = ev.closed ? 'closed' : ev.phase;
  draw();
}
