// Palabre — back-office (admin/): sign in, list and create debates, create,
// list and revoke labelled invites, extend a debate.
//
// Two ways in: a login and password (staff cookie), or an admin API token.
// A pasted token is first offered to auth/exchange (which trades it for the
// same cookie); if the server does not take it there, it is kept as a Bearer
// token in sessionStorage, so it lives only as long as this tab.

import { loadSiteWords, wireSiteWords } from './admin_words.js';
import * as api from './api.js';
import { h, $, clear, announce, focusElement, copyText, codePoints } from './dom.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';

const BEARER_KEY = 'palabre.admin.bearer';

const state = {
  session: null,
  events: [],
  guestRows: 0,
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
    case 'csrf_failed': return t('error.csrf_failed');
    default: return err.status >= 500 ? t('error.server') : (err.message || t('error.unknown'));
  }
}

// ---- Dates: <input type="datetime-local"> is local time without a zone ---------

function pad(n) {
  return String(n).padStart(2, '0');
}

export function toLocalInput(date) {
  const d = date instanceof Date ? date : new Date(date);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "2026-11-23T19:00" (local) → "2026-11-23T18:00:00Z" (RFC 3339, UTC). */
export function fromLocalInput(value) {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value || '')) return null;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
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

function showSignin() {
  $('#console').hidden = true;
  $('#signin').hidden = false;
  $('#logout').hidden = true;
  $('#logout-all').hidden = true;
}

async function showConsole(session) {
  state.session = session;
  if (session.csrf_token) api.setCsrfToken(session.csrf_token);
  $('#signin').hidden = true;
  $('#console').hidden = false;
  $('#logout').hidden = false;
  // Only a signed-in admin has sessions to end; an API token is not one.
  $('#logout-all').hidden = !session.login || Boolean(api.getBearerToken());
  $('#whoami').textContent = session.login
    ? t('admin.signed_in_as', { login: session.login })
    : t('admin.signed_in_token');
  await Promise.all([loadEvents(), loadSiteWords()]);
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
  const li = h('li', { dataset: { id: ev.id } },
    h('h3', { id: headingId, tabindex: '-1' }, h('a', { href: api.pageUrl(`e/${encodeURIComponent(ev.id)}`), text: ev.title })),
    h('p', { class: 'msg-meta' },
      h('span', { class: 'phase', dataset: { phase: ev.phase }, text: t(`phase.${ev.phase}`) }),
      h('span', { text: i18n.formatRange(ev.starts_at, ev.ends_at) }),
      h('span', { text: `(${ev.id})` })),
    h('div', { class: 'actions' },
      h('button', { type: 'button', 'aria-describedby': headingId, text: t('admin.invites'), on: { click: () => openInvites(ev, out) } }),
      h('button', { type: 'button', 'aria-describedby': headingId, text: t('admin.extend'), on: { click: () => openExtend(ev, out) } }),
      h('a', { class: 'button', href: api.pageUrl(`e/${encodeURIComponent(ev.id)}/moderate`), 'aria-describedby': headingId, text: t('admin.moderate') }),
      h('a', { class: 'button', href: api.pageUrl(`e/${encodeURIComponent(ev.id)}/stats`), 'aria-describedby': headingId, text: t('stats.link') })),
    out);
  return li;
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
  const input = h('input', { id, type: 'datetime-local', value: toLocalInput(ev.ends_at), required: true });
  const error = h('p', { class: 'notice error', role: 'alert' });
  const cancel = h('button', { type: 'button', text: t('common.cancel') });
  const plus = h('button', { type: 'button', text: t('admin.plus15') });
  const form = h('form', { class: 'inline-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: id, text: t('admin.new_end') }), input),
    error,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: t('admin.save_end') }), plus, cancel));
  const save = async (endsAt) => {
    error.textContent = '';
    try {
      const updated = await api.idempotent('PATCH', api.eventPath(ev.id), { ends_at: endsAt });
      state.events = state.events.map((x) => (x.id === updated.id ? updated : x));
      renderEvents();
      announce(t('admin.extended', { title: updated.title, when: i18n.formatDateTime(updated.ends_at) }), 'ok');
      focusElement(document.getElementById(`ev-${updated.id}`));
    } catch (err) {
      error.textContent = errorText(err);
      input.focus();
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const endsAt = fromLocalInput(input.value);
    if (!endsAt) {
      error.textContent = t('admin.bad_date');
      input.focus();
      return;
    }
    save(endsAt);
  });
  plus.addEventListener('click', () => {
    const base = Math.max(Date.now(), Date.parse(ev.ends_at) || 0);
    save(new Date(base + 15 * 60000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  });
  cancel.addEventListener('click', () => {
    clear(out);
    focusElement(document.getElementById(`ev-${ev.id}`));
  });
  out.append(form);
  input.focus();
}

// ---- Create ------------------------------------------------------------------

function addGuestRow(focus) {
  const n = ++state.guestRows;
  const nameId = `guest-name-${n}`;
  const roleId = `guest-role-${n}`;
  const remove = h('button', { type: 'button', class: 'danger', text: t('admin.remove_guest') });
  const li = h('li', { class: 'card guest-row' },
    h('div', { class: 'field' }, h('label', { for: nameId, text: t('admin.guest_name', { n }) }), h('input', { id: nameId, type: 'text', maxlength: 200 })),
    h('div', { class: 'field' }, h('label', { for: roleId, text: t('admin.guest_role', { n }) }), h('input', { id: roleId, type: 'text', maxlength: 200 })),
    remove);
  remove.addEventListener('click', () => {
    li.remove();
    $('#add-guest').focus();
  });
  $('#guest-rows').append(li);
  if (focus) li.querySelector('input').focus();
}

function formBody() {
  const problems = [];
  const title = $('#ev-title').value.trim();
  if (!title) problems.push([$('#ev-title'), t('admin.need_title')]);
  else if (codePoints(title) > 200) problems.push([$('#ev-title'), t('admin.title_too_long')]);
  const startsAt = fromLocalInput($('#ev-start').value);
  const endsAt = fromLocalInput($('#ev-end').value);
  if (!startsAt) problems.push([$('#ev-start'), t('admin.bad_date')]);
  if (!endsAt) problems.push([$('#ev-end'), t('admin.bad_date')]);
  if (startsAt && endsAt && endsAt <= startsAt) problems.push([$('#ev-end'), t('admin.end_before_start')]);
  const languages = $('#ev-languages').value.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);
  if (!languages.length || languages.some((l) => !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(l))) {
    problems.push([$('#ev-languages'), t('admin.bad_languages')]);
  }
  const id = $('#ev-id').value.trim();
  if (id && !/^[a-z0-9-]{3,64}$/.test(id)) problems.push([$('#ev-id'), t('admin.bad_id')]);
  const late = Number($('#ev-late').value || 0);
  if (!Number.isInteger(late) || late < 0 || late > 30) problems.push([$('#ev-late'), t('admin.bad_late')]);
  const guests = [];
  for (const row of document.querySelectorAll('#guest-rows li')) {
    const [name, role] = Array.from(row.querySelectorAll('input')).map((i) => i.value.trim());
    if (name) guests.push({ name, role: role || '' });
  }
  const branding = {};
  if ($('#ev-use-color').checked) branding.color = $('#ev-color').value.toLowerCase();
  const organiser = $('#ev-organiser').value.trim();
  if (organiser) branding.organiser = organiser;
  const logo = $('#ev-logo').value.trim();
  if (logo) {
    if (!/^https:\/\//.test(logo)) problems.push([$('#ev-logo'), t('admin.bad_logo')]);
    else branding.logo_url = logo;
  }
  const body = {
    title,
    description: $('#ev-description').value.trim(),
    starts_at: startsAt,
    ends_at: endsAt,
    languages,
    guests,
    questions_before: $('#ev-before').checked,
    late_questions_days: late,
    moderation: 'pre',
  };
  if (Object.keys(branding).length) body.branding = branding;
  if (id) body.id = id;
  return { body, problems };
}

const createKey = new api.FormKey();

async function onCreate(e) {
  e.preventDefault();
  const error = $('#create-error');
  error.textContent = '';
  for (const el of document.querySelectorAll('#create-form [aria-invalid]')) el.removeAttribute('aria-invalid');
  const { body, problems } = formBody();
  if (problems.length) {
    for (const [el] of problems) el.setAttribute('aria-invalid', 'true');
    error.textContent = problems.map(([, msg]) => msg).join(' ');
    problems[0][0].focus();
    return;
  }
  const button = e.target.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    // Retried by itself after a transient failure, with the same key, and
    // the same form sent again after one reuses it: one debate, not two.
    const ev = await api.idempotent('POST', 'events', body, { idempotencyKey: createKey.for(body) });
    createKey.settled(null);
    announce(t('admin.created', { title: ev.title }), 'ok');
    e.target.reset();
    clear($('#guest-rows'));
    setDefaultDates();
    await loadEvents();
    focusElement(document.getElementById(`ev-${ev.id}`));
  } catch (err) {
    createKey.settled(err);
    error.textContent = errorText(err);
  } finally {
    button.disabled = false;
  }
}

function setDefaultDates() {
  const start = new Date(Date.now() + 86400000);
  start.setMinutes(0, 0, 0);
  $('#ev-start').value = toLocalInput(start);
  $('#ev-end').value = toLocalInput(new Date(start.getTime() + 3600000));
}

function renderTzHint() {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
  $('#tz-hint').textContent = t('admin.tz_hint', { zone });
}

async function main() {
  i18n.init();
  await i18n.setup(null, $('#lang-switch'));
  i18n.onChange(() => {
    renderTzHint();
    renderEvents();
    if (state.session) $('#whoami').textContent = state.session.login
      ? t('admin.signed_in_as', { login: state.session.login }) : t('admin.signed_in_token');
  });
  renderTzHint();
  setDefaultDates();
  $('#login-form').addEventListener('submit', onLogin);
  $('#token-form').addEventListener('submit', onToken);
  $('#logout').addEventListener('click', onLogout);
  $('#logout-all').addEventListener('click', onLogoutAll);
  $('#create-form').addEventListener('submit', onCreate);
  $('#add-guest').addEventListener('click', () => addGuestRow(true));
  wireSiteWords();

  const bearer = storedBearer();
  if (bearer) api.setBearerToken(bearer);
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
