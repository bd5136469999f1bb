// Palabre — a debate's dashboard (e/{id}/stats), for its organisers and
// moderators: the figures of GET /api/events/{id}/stats as big numbers, a
// chart of watchers and questions over time, bars by language and by reason
// of rejection, each chart followed by the same figures in a table. Opened
// with a staff session (a moderator invite or an admin's sign-in, as the
// moderator console). Refreshed every few seconds while the debate takes
// questions, every minute otherwise, and not while the tab is hidden.

import * as api from './api.js';
import { $, h, clear, applyBranding, renderBrand, safeLang } from './dom.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';
import { openSession } from './staff.js';
import { lineChart, barChart } from './charts.js';

const OPEN_PHASES = ['pre_questions', 'live', 'late_questions'];
const REFRESH_OPEN_MS = 5000;
const REFRESH_CLOSED_MS = 60000;
const EVENT_REFRESH_MS = 30000;
const FIGURES = ['watchers_now', 'watchers_peak', 'received', 'pending', 'published', 'answered', 'rejected'];
const REASONS = ['off_topic', 'duplicate', 'already_answered', 'abusive', 'personal_data', 'other', 'merged'];

const eventId = api.eventIdFromPath();
let event = null;
let stats = null;
let updatedAt = null;
let timer = null;
let failures = 0;

function number(n) {
  return new Intl.NumberFormat(i18n.lang()).format(Number(n) || 0);
}

function timeOf(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const zone = event && event.time_zone ? { timeZone: event.time_zone } : {};
  try {
    return new Intl.DateTimeFormat(i18n.lang(), { dateStyle: 'short', timeStyle: 'short', ...zone }).format(d);
  } catch (_) {
    return i18n.formatTime(iso);
  }
}

function langName(code) {
  try {
    const name = new Intl.DisplayNames([i18n.lang()], { type: 'language' }).of(code);
    if (name && name !== code) return name;
  } catch (_) {
    // An unknown tag: its code.
  }
  return code === 'und' ? t('stats.lang_unknown') : code;
}

function reasonName(code) {
  return code === 'merged' ? t('stats.reason_merged') : t(`mod.reason_${code}`);
}

function fillTable(table, rows) {
  const body = table.tBodies[0];
  clear(body);
  for (const cells of rows) {
    body.append(h('tr', {}, h('th', { scope: 'row', text: cells[0] }), ...cells.slice(1).map((c) => h('td', { text: c }))));
  }
}

// ---- Drawing ------------------------------------------------------------------

function renderEvent() {
  if (!event) return;
  const title = $('#page-title');
  title.removeAttribute('data-i18n');
  clear(title);
  title.append(t('stats.title_event'), ' ', h('span', { lang: safeLang((event.languages || [])[0]), text: event.title }));
  document.title = t('stats.doc_title_event', { title: event.title });
  const phase = $('#phase');
  phase.dataset.phase = event.phase;
  phase.textContent = t(`phase.${event.phase}`);
  $('#public-link').href = api.pageUrl(`e/${encodeURIComponent(event.id)}`);
  $('#console-link').href = api.pageUrl(`e/${encodeURIComponent(event.id)}/moderate`);
  renderBrand($('#brand'), event.brand || event.branding, 'Palabre', event.logo);
  applyBranding(event.brand || event.branding);
}

function renderStats() {
  if (!stats) return;
  const q = stats.questions || {};
  const values = { watchers_now: stats.watchers_now, watchers_peak: stats.watchers_peak, ...q };
  for (const key of FIGURES) $(`#n-${key}`).textContent = number(values[key]);
  $('#updated').textContent = updatedAt ? t('stats.updated', { time: updatedAt.toLocaleTimeString(i18n.lang()) }) : '';

  const timeline = stats.timeline || [];
  const chart = $('#timeline-chart');
  $('#timeline-empty').hidden = timeline.length > 0;
  chart.closest('figure').hidden = timeline.length === 0;
  $('#timeline-details').hidden = timeline.length === 0;
  if (timeline.length) {
    const last = timeline[timeline.length - 1];
    const watchers = h('div', { class: 'chart-part' }, h('h3', { text: t('stats.col_watchers') }));
    const questions = h('div', { class: 'chart-part' }, h('h3', { text: t('stats.col_questions') }));
    const wArea = h('div');
    const qArea = h('div');
    watchers.append(wArea);
    questions.append(qArea);
    chart.replaceChildren(watchers, questions);
    const points = (key) => timeline.map((p) => ({ t: new Date(p.t), v: Number(p[key]) || 0 }));
    lineChart(wArea, points('watchers'), {
      label: t('stats.timeline_label_watchers', { n: timeline.length, last: number(last.watchers), peak: number(stats.watchers_peak) }),
      className: 'series-watchers',
      formatTime: (d) => timeOf(d.toISOString()),
    });
    lineChart(qArea, points('questions'), {
      label: t('stats.timeline_label_questions', { n: timeline.length, last: number(last.questions) }),
      className: 'series-questions',
      formatTime: (d) => timeOf(d.toISOString()),
    });
    fillTable($('#timeline-table'), timeline.map((p) => [timeOf(p.t), number(p.watchers), number(p.questions)]));
  }

  const langs = Object.entries(q.by_lang || {}).sort((a, b) => b[1] - a[1]);
  const langItems = langs.map(([code, n]) => ({ label: langName(code), value: n }));
  barChart($('#lang-chart'), langItems, {
    label: langItems.length
      ? t('stats.by_lang_label', { list: langItems.map((i) => `${i.label} ${number(i.value)}`).join(', ') })
      : t('stats.none'),
  });
  fillTable($('#lang-table'), langItems.map((i) => [i.label, number(i.value)]));

  const reasons = REASONS.map((code) => ({ label: reasonName(code), value: Number((q.by_reason || {})[code]) || 0 }));
  barChart($('#reason-chart'), reasons, {
    label: t('stats.by_reason_label', { list: reasons.map((i) => `${i.label} ${number(i.value)}`).join(', ') }),
  });
  fillTable($('#reason-table'), reasons.map((i) => [i.label, number(i.value)]));
}

// ---- Loading ------------------------------------------------------------------

function problem(text) {
  $('#auth-problem').textContent = text;
}

async function refresh() {
  clearTimeout(timer);
  try {
    stats = await api.get(api.eventPath(eventId, 'stats'));
    updatedAt = new Date();
    failures = 0;
    problem('');
    renderStats();
  } catch (err) {
    failures++;
    if (err.status === 401 || err.status === 403) {
      problem(t('error.session_expired'));
      return;
    }
    // Said once; the figures on screen stay, with their time.
    if (failures === 1) problem(t('stats.refresh_failed'));
  }
  schedule();
}

function schedule() {
  clearTimeout(timer);
  if (document.visibilityState === 'hidden') return;
  const open = event && OPEN_PHASES.includes(event.phase);
  timer = setTimeout(refresh, open ? REFRESH_OPEN_MS : REFRESH_CLOSED_MS);
}

async function loadEvent() {
  event = await api.get(api.eventPath(eventId));
  renderEvent();
}

async function main() {
  i18n.init();
  if (!eventId) {
    problem(t('staff.no_session'));
    return;
  }
  try {
    await openSession(eventId, ['moderator', 'admin']);
  } catch (err) {
    problem(t(`staff.${err.reason || 'network'}`));
    return;
  }
  try {
    await loadEvent();
  } catch (err) {
    problem(err.code === 'not_found' ? t('error.event_not_found') : t('staff.network'));
    return;
  }
  await i18n.setup(event.languages, $('#lang-switch'));
  i18n.onChange(() => {
    renderEvent();
    renderStats();
  });
  renderEvent();
  $('#dashboard').hidden = false;
  await refresh();
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') refresh();
    else clearTimeout(timer);
  });
  setInterval(() => {
    if (document.visibilityState === 'visible') loadEvent().catch(() => {});
  }, EVENT_REFRESH_MS);
}

main();
