// Palabre — back-office (admin/): sign in; list debates (drafts included)
// and, for each, edit, preview, publish, duplicate, delete, invite staff,
// extend or close early, put it on the city's site; create debates
// (admin_editor.js); the site's settings (admin_site.js) and blocked words.
//
// Two ways in: a login and password (staff cookie), or an admin API token.
// A pasted token is first offered to auth/exchange (which trades it for the
// same cookie); if the server does not take it there, it is kept as a Bearer
// token in sessionStorage, so it lives only as long as this tab.

import { loadSiteWords, wireSiteWords } from './admin_words.js';
import { editEvent, redraw as redrawEditor, setSiteDefaults, wireEditor } from './admin_editor.js';
import { openEmbed } from './admin_embed.js';
import { loadSite, wireSite } from './admin_site.js';
import * as api from './api.js';
import { h, $, clear, announce, focusElement, copyText } from './dom.js';
import { fromZonedInput, toZonedInput } from './admin_time.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';

const BEARER_KEY = 'palabre.admin.bearer';

const state = {
  session: null,
  events: [],
};

function errorText(err) {
  if (!err) return t('error.unknown');
  switch (err.code) {
    case 'network': return t('error.network');
    case 'unauthorized':
    case 'session_expired': return t('error.session_expired');
    case 'unknown_guest': return t('admin.error_unknown_guest');
    case 'login_throttled': return t('admin.login_throttled', { seconds: err.retryAfter || 1 });
    case 'busy': return t('admin.login_busy');
    case 'forbidden': return t('error.forbidden');
    case 'conflict': return t('admin.error_conflict');
    case 'invalid_field': return t('error.invalid_field', { detail: err.message || '' });
    case 'contrast_too_low': return t('admin.contrast_refused');
    case 'logo_unavailable': return t('admin.logo_unavailable');
    case 'csrf_failed': return t('error.csrf_failed');
    default: return err.status >= 500 ? t('error.server') : (err.message || t('error.unknown'));
  }
}

// ---- Session ---------------------------------------------------------------

function storedBearer() {
  try {
    return window.sessionStorage.getItem(BEARER_KEY);
  } catch (_) {
    return null;
  }
}

function storeBearer(token) {
  try {
    if (token) window.sessionStorage.setItem(BEARER_KEY, token);
    else window.sessionStorage.removeItem(BEARER_KEY);
  } catch (_) {
    // Without storage the token lasts until the page is reloaded.
  }
}

// Whether this browser signed in with a login (a staff cookie, HttpOnly, so
// unreadable here) and has not signed out since: only then does the page ask
// GET auth/me at load. A first visit asks nothing, so it logs no 401 in the
// browser's console.
const SIGNED_IN_KEY = 'palabre.admin_signed_in';

function rememberSignedIn(yes) {
  try {
    if (yes) window.localStorage.setItem(SIGNED_IN_KEY, '1');
    else window.localStorage.removeItem(SIGNED_IN_KEY);
  } catch (_) {
    // Without storage the page asks at every load, as it did.
  }
}

function maybeSignedIn() {
  try {
    return window.localStorage.getItem(SIGNED_IN_KEY) !== null;
  } catch (_) {
    return true;
  }
}

function showSignin() {
  rememberSignedIn(false);
  $('#console').hidden = true;
  $('#signin').hidden = false;
  $('#logout').hidden = true;
  $('#logout-all').hidden = true;
}

async function showConsole(session) {
  state.session = session;
  if (!api.getBearerToken()) rememberSignedIn(true);
  if (session.csrf_token) api.setCsrfToken(session.csrf_token);
  $('#signin').hidden = true;
  $('#console').hidden = false;
  $('#logout').hidden = false;
  // Only a signed-in admin has sessions to end; an API token is not one.
  $('#logout-all').hidden = !session.login || Boolean(api.getBearerToken());
  $('#whoami').textContent = session.login
    ? t('admin.signed_in_as', { login: session.login })
    : t('admin.signed_in_token');
  await Promise.all([loadEvents(), loadSiteWords(), loadSite()]);
}

async function onLogin(e) {
  e.preventDefault();
  const error = $('#login-error');
  error.textContent = '';
  const login = $('#login').value.trim();
  const password = $('#password').value;
  if (!login || !password) {
    error.textContent = t('admin.login_missing');
    (login ? $('#password') : $('#login')).focus();
    return;
  }
  try {
    const res = await api.post('auth/login', { login, password }, { noCsrf: true });
    $('#password').value = '';
    await showConsole(res);
    announce(t('admin.welcome'), 'ok');
    focusElement($('#events-title'));
  } catch (err) {
    error.textContent = err.code === 'unauthorized' ? t('admin.login_failed') : errorText(err);
    $('#password').focus();
  }
}

async function onToken(e) {
  e.preventDefault();
  const error = $('#token-error');
  error.textContent = '';
  const token = $('#token').value.trim();
  if (!token) {
    error.textContent = t('admin.token_missing');
    $('#token').focus();
    return;
  }
  let session = null;
  try {
    const res = await api.post('auth/exchange', { token }, { noCsrf: true });
    if (res.role === 'admin') session = res;
  } catch (err) {
    if (err.code === 'network') {
      error.textContent = errorText(err);
      return;
    }
  }
  if (!session) {
    try {
      const me = await api.get('auth/me', { bearer: token });
      if (me.role === 'admin') {
        session = me;
        api.setBearerToken(token);
        storeBearer(token);
      }
    } catch (err) {
      if (err.code === 'network') {
        error.textContent = errorText(err);
        return;
      }
    }
  }
  if (!session) {
    error.textContent = t('admin.token_failed');
    $('#token').focus();
    return;
  }
  $('#token').value = '';
  await showConsole(session);
  announce(t('admin.welcome'), 'ok');
  focusElement($('#events-title'));
}

async function onLogout() {
  if (api.getBearerToken()) {
    api.setBearerToken(null);
    storeBearer(null);
  }
  try {
    await api.post('auth/logout', {});
  } catch (_) {
    // No cookie session: nothing to end.
  }
  api.setCsrfToken(null);
  state.session = null;
  showSignin();
  announce(t('admin.signed_out'));
  $('#login').focus();
}

// "Log out everywhere": every session of this login, on every device, and
// their open consoles' streams.
async function onLogoutAll() {
  try {
    await api.post('auth/logout-all', {});
  } catch (err) {
    announce(errorText(err), 'error');
    return;
  }
  api.setCsrfToken(null);
  state.session = null;
  showSignin();
  announce(t('admin.signed_out_everywhere'));
  $('#login').focus();
}

// ---- Events ------------------------------------------------------------------

async function loadEvents() {
  try {
    const res = await api.get('events');
    state.events = res.events || [];
  } catch (err) {
    announce(errorText(err), 'error');
    return;
  }
  renderEvents();
}

function renderEvents() {
  const list = $('#events');
  clear(list);
  for (const ev of state.events) list.append(renderEventItem(ev));
  $('#events-empty').hidden = state.events.length > 0;
}

function renderEventItem(ev) {
  const headingId = `ev-${ev.id}`;
  const out = h('div', { class: 'invites', 'aria-live': 'polite' });
  const page = api.pageUrl(`e/${encodeURIComponent(ev.id)}`);
  const draft = ev.status === 'draft';
  const button = (key, fn, extra = {}) => h('button', { type: 'button', 'aria-describedby': headingId, text: t(key), on: { click: fn }, ...extra });
  const li = h('li', { dataset: { id: ev.id, status: ev.status || 'published' } },
    h('h3', { id: headingId, tabindex: '-1' }, h('a', { href: page, text: ev.title })),
    h('p', { class: 'msg-meta' },
      draft ? h('span', { class: 'status-draft', text: t('admin.status_draft') }) : null,
      h('span', { class: 'phase', dataset: { phase: ev.phase }, text: t(`phase.${ev.phase}`) }),
      h('span', { text: i18n.formatRange(ev.starts_at, ev.ends_at) }),
      h('span', { text: `(${ev.id})` })),
    h('div', { class: 'actions' },
      button('admin.edit', () => editEvent(ev)),
      h('a', { class: 'button', href: page, target: '_blank', rel: 'noopener', 'aria-describedby': headingId, text: t(draft ? 'admin.preview_page' : 'admin.open_page') }),
      draft ? button('admin.publish', () => publishEvent(ev), { class: 'primary' }) : null,
      button('admin.duplicate', () => duplicateEvent(ev)),
      button('admin.invites', () => openInvites(ev, out)),
      button('admin.extend', () => openExtend(ev, out)),
      draft ? null : button('admin.embed', () => openEmbed(ev, out)),
      h('a', { class: 'button', href: api.pageUrl(`e/${encodeURIComponent(ev.id)}/moderate`), 'aria-describedby': headingId, text: t('admin.moderate') }),
      h('a', { class: 'button', href: api.pageUrl(`e/${encodeURIComponent(ev.id)}/stats`), 'aria-describedby': headingId, text: t('stats.link') }),
      button('admin.delete', () => confirmDelete(ev, out), { class: 'danger' })),
    out);
  return li;
}

function replaceEvent(updated) {
  state.events = state.events.map((x) => (x.id === updated.id ? updated : x));
  renderEvents();
}

async function publishEvent(ev) {
  try {
    const updated = await api.idempotent('PATCH', api.eventPath(ev.id), { status: 'published' });
    replaceEvent(updated);
    announce(t('admin.published', { title: updated.title }), 'ok');
    focusElement(document.getElementById(`ev-${updated.id}`));
  } catch (err) {
    announce(errorText(err), 'error');
  }
}

async function duplicateEvent(ev) {
  try {
    const copy = await api.idempotent('POST', api.eventPath(ev.id, 'duplicate'), {});
    await loadEvents();
    announce(t('admin.duplicated', { title: ev.title }), 'ok');
    editEvent(copy);
  } catch (err) {
    announce(errorText(err), 'error');
  }
}

// Deleting is final: the panel asks to type nothing, but names what goes
// (questions, answers, archive, invites) and needs a second click.
function confirmDelete(ev, out) {
  clear(out);
  const heading = h('h4', { tabindex: '-1', text: t('admin.delete_confirm_title', { title: ev.title }) });
  const yes = h('button', { type: 'button', class: 'danger', text: t('admin.delete_confirm') });
  const no = h('button', { type: 'button', text: t('common.cancel') });
  const error = h('p', { class: 'notice error', role: 'alert' });
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    try {
      await api.del(api.eventPath(ev.id));
      state.events = state.events.filter((x) => x.id !== ev.id);
      renderEvents();
      announce(t('admin.deleted', { title: ev.title }), 'ok');
      focusElement($('#events-title'));
    } catch (err) {
      yes.disabled = false;
      error.textContent = errorText(err);
    }
  });
  no.addEventListener('click', () => {
    clear(out);
    focusElement(document.getElementById(`ev-${ev.id}`));
  });
  out.append(heading, h('p', { text: t('admin.delete_warning') }), error, h('div', { class: 'actions' }, yes, no));
  focusElement(heading);
}

function copyField(id, label, value) {
  const input = h('input', { id, type: 'text', class: 'invite-url', readonly: true, value, spellcheck: 'false' });
  const button = h('button', { type: 'button', text: t('admin.copy'), 'aria-describedby': id });
  button.addEventListener('click', async () => {
    const ok = await copyText(value, input);
    announce(ok ? t('admin.copied', { what: label }) : t('admin.copy_failed'), ok ? 'ok' : 'error');
  });
  return h('div', { class: 'field' },
    h('label', { for: id, text: label }),
    h('div', { class: 'field-inline' }, input, button));
}

// ---- Invites: one per person, labelled with their name; listed, revocable ---

function guestNames(ev) {
  return (ev.guests || []).map((g) => g.name).filter(Boolean);
}

// The panel of one debate's invites: a form for a new one (role and the
// person's name; a guest invite names one of the debate's guests), the link
// of the one just created, and the list with a revoke button per invite.
async function openInvites(ev, out) {
  clear(out);
  const n = Date.now().toString(36);
  const roleId = `inv-role-${n}`;
  const labelId = `inv-label-${n}`;
  const role = h('select', { id: roleId },
    h('option', { value: 'moderator', text: t('admin.role_moderator') }),
    h('option', { value: 'guest', text: t('admin.role_guest') }));
  const labelField = h('div', { class: 'field' });
  const error = h('p', { class: 'notice error', role: 'alert' });
  const created = h('div', { class: 'invite-created' });
  const list = h('ul', { class: 'invite-list', 'aria-label': t('admin.invites_list') });
  const renderLabel = () => {
    clear(labelField);
    let input;
    if (role.value === 'guest') {
      input = h('select', { id: labelId, required: true },
        ...guestNames(ev).map((name) => h('option', { value: name, text: name })));
    } else {
      input = h('input', { id: labelId, type: 'text', required: true, maxlength: '100', autocomplete: 'off' });
    }
    labelField.append(h('label', { for: labelId, text: t('admin.invite_label') }), input);
    if (role.value === 'moderator') labelField.append(h('p', { class: 'hint', text: t('admin.invite_label_hint') }));
  };
  role.addEventListener('change', renderLabel);
  renderLabel();
  const form = h('form', { class: 'inline-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: roleId, text: t('admin.invite_role') }), role),
    labelField,
    error,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: t('admin.invite_create') })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const label = (document.getElementById(labelId).value || '').trim();
    if (!label) {
      error.textContent = t('admin.invite_label_missing');
      focusElement(document.getElementById(labelId));
      return;
    }
    try {
      const res = await api.idempotent('POST', api.eventPath(ev.id, 'invites'), { role: role.value, label });
      clear(created);
      created.append(
        h('p', { class: 'notice warn', text: t('admin.invites_warning') }),
        copyField(`inv-url-${res.id}`, t(res.role === 'guest' ? 'admin.guest_url_for' : 'admin.moderator_url_for', { label: res.label }), res.url));
      announce(t('admin.invite_created', { label: res.label }), 'ok');
      await refreshInvites(ev, list);
      focusElement(created.querySelector('input'));
    } catch (err) {
      error.textContent = errorText(err);
    }
  });
  out.append(form, created, h('h4', { text: t('admin.invites_list') }), list);
  await refreshInvites(ev, list);
  focusElement(role);
}

async function refreshInvites(ev, list) {
  clear(list);
  try {
    const res = await api.get(api.eventPath(ev.id, 'invites'));
    if (!res.items.length) list.append(h('li', { text: t('admin.invites_none') }));
    for (const inv of res.items) list.append(renderInvite(ev, inv, list));
  } catch (err) {
    list.append(h('li', { class: 'notice error', role: 'alert', text: errorText(err) }));
  }
}

function renderInvite(ev, inv, list) {
  const labelId = `inv-${inv.id}`;
  const used = inv.last_used_at ? t('admin.invite_used', { when: i18n.formatDateTime(inv.last_used_at) }) : t('admin.invite_unused');
  const li = h('li', { dataset: { id: inv.id } },
    h('span', { id: labelId, class: 'invite-label', text: inv.label || t('admin.invite_unlabelled') }),
    ' ',
    h('span', { class: 'msg-meta', text: `${t(inv.role === 'guest' ? 'admin.role_guest' : 'admin.role_moderator')} · ${used}` }),
    ' ',
    inv.revoked
      ? h('span', { class: 'invite-status', text: t('admin.invite_revoked') })
      : h('button', { type: 'button', 'aria-describedby': labelId, text: t('admin.invite_revoke'), on: { click: () => revokeInvite(ev, inv, list) } }));
  return li;
}

async function revokeInvite(ev, inv, list) {
  try {
    await api.del(api.eventPath(ev.id, `invites/${encodeURIComponent(inv.id)}`));
    announce(t('admin.invite_revoked_done', { label: inv.label || inv.id }), 'ok');
    await refreshInvites(ev, list);
    focusElement(list.querySelector(`li[data-id="${inv.id}"] .invite-label`) || list);
  } catch (err) {
    announce(errorText(err), 'error');
  }
}

function openExtend(ev, out) {
  clear(out);
  const n = Date.now().toString(36);
  const id = `ends-${n}`;
  const input = h('input', { id, type: 'datetime-local', value: toZonedInput(ev.ends_at, ev.time_zone || 'Europe/Paris'), required: true });
  const error = h('p', { class: 'notice error', role: 'alert' });
  const cancel = h('button', { type: 'button', text: t('common.cancel') });
  const plus = h('button', { type: 'button', text: t('admin.plus15') });
  const plus30 = h('button', { type: 'button', text: t('admin.plus30') });
  const closeNow = h('button', { type: 'button', class: 'danger', text: t('admin.close_now') });
  const form = h('form', { class: 'inline-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: id, text: t('admin.new_end') }), input),
    error,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: t('admin.save_end') }), plus, plus30, closeNow, cancel));
  const save = async (endsAt, close = false) => {
    error.textContent = '';
    try {
      const updated = await api.idempotent('PATCH', api.eventPath(ev.id), close ? { closed: true } : { ends_at: endsAt, closed: false });
      state.events = state.events.map((x) => (x.id === updated.id ? updated : x));
      renderEvents();
      announce(close ? t('admin.closed', { title: updated.title })
        : t('admin.extended', { title: updated.title, when: i18n.formatDateTime(updated.ends_at) }), 'ok');
      focusElement(document.getElementById(`ev-${updated.id}`));
    } catch (err) {
      error.textContent = errorText(err);
      input.focus();
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const endsAt = fromZonedInput(input.value, ev.time_zone || 'Europe/Paris');
    if (!endsAt) {
      error.textContent = t('admin.bad_date');
      input.focus();
      return;
    }
    save(endsAt);
  });
  const extendBy = (minutes) => {
    const base = Math.max(Date.now(), Date.parse(ev.ends_at) || 0);
    save(new Date(base + minutes * 60000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  };
  plus.addEventListener('click', () => extendBy(15));
  plus30.addEventListener('click', () => extendBy(30));
  closeNow.addEventListener('click', () => save(null, true));
  cancel.addEventListener('click', () => {
    clear(out);
    focusElement(document.getElementById(`ev-${ev.id}`));
  });
  out.append(form);
  input.focus();
}

async function main() {
  i18n.init();
  await i18n.setup(null, $('#lang-switch'));
  i18n.onChange(() => {
    redrawEditor();
    renderEvents();
    if (state.session) $('#whoami').textContent = state.session.login
      ? t('admin.signed_in_as', { login: state.session.login }) : t('admin.signed_in_token');
  });
  $('#login-form').addEventListener('submit', onLogin);
  $('#token-form').addEventListener('submit', onToken);
  $('#logout').addEventListener('click', onLogout);
  $('#logout-all').addEventListener('click', onLogoutAll);
  wireEditor({
    errorText,
    onSaved: async (ev) => {
      await loadEvents();
      focusElement(document.getElementById(`ev-${ev.id}`));
    },
  });
  wireSite({ errorText, onChanged: setSiteDefaults });
  wireSiteWords();

  const bearer = storedBearer();
  if (bearer) api.setBearerToken(bearer);
  if (!bearer && !maybeSignedIn()) {
    showSignin();
    return;
  }
  try {
    const me = await api.get('auth/me');
    if (me.role !== 'admin') throw new Error('not admin');
    await showConsole(me);
  } catch (_) {
    if (bearer) {
      api.setBearerToken(null);
      storeBearer(null);
    }
    showSignin();
  }
}

main();
