// Palabre — public index of debates (the mount point itself): live first,
// then upcoming (soonest first), then past (most recent first).

import * as api from './api.js';
import { h, $, clear, announce, safeLang } from './dom.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';

const GROUP = {
  live: 'live',
  scheduled: 'upcoming',
  pre_questions: 'upcoming',
  late_questions: 'past',
  closed: 'past',
};

let events = [];

function excerpt(text, max = 240) {
  const s = (text || '').replace(/\s+/g, ' ').trim();
  const chars = Array.from(s);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s;
}

function item(ev) {
  const lang = safeLang((ev.languages || [])[0]);
  const li = h('li', {},
    h('h3', {}, h('a', { href: api.pageUrl(`e/${encodeURIComponent(ev.id)}`), lang, text: ev.title })),
    h('p', { class: 'msg-meta' },
      h('span', { class: 'phase', dataset: { phase: ev.phase }, text: t(`phase.${ev.phase}`) }),
      h('time', { datetime: ev.starts_at, text: i18n.formatRange(ev.starts_at, ev.ends_at, ev.time_zone || null) })));
  if (ev.description) li.append(h('p', { lang, text: excerpt(ev.description) }));
  if (ev.phase === 'late_questions') li.append(h('p', { class: 'hint', text: t('index.late_open') }));
  return li;
}

function render() {
  const groups = { live: [], upcoming: [], past: [] };
  for (const ev of events) (groups[GROUP[ev.phase]] || groups.past).push(ev);
  groups.upcoming.sort((a, b) => String(a.starts_at).localeCompare(String(b.starts_at)));
  groups.past.sort((a, b) => String(b.starts_at).localeCompare(String(a.starts_at)));
  for (const [name, list] of Object.entries(groups)) {
    const ul = $(`#${name}`);
    clear(ul);
    for (const ev of list) ul.append(item(ev));
    $(`#${name}-section`).hidden = list.length === 0;
  }
  $('#none').hidden = events.length > 0;
}

async function load() {
  const status = $('#status');
  try {
    const res = await api.get('events');
    events = res.events || [];
    status.removeAttribute('data-i18n');
    status.textContent = '';
    render();
  } catch (err) {
    status.removeAttribute('data-i18n');
    announce(err.code === 'network' ? t('error.network') : t('index.load_failed'), 'error');
    setTimeout(load, 10000);
  }
}

function main() {
  i18n.init();
  i18n.setup(null, $('#lang-switch'));
  i18n.onChange(render);
  load();
  // Phases change with the clock: refresh now and then.
  setInterval(() => {
    if (document.visibilityState === 'visible') load();
  }, 60000);
}

main();
