// Palabre — a closed debate's page as its archive (visitor page, e/{id}).
//
// Once a debate is closed its page no longer follows a live stream: the
// whole thread is read once from transcript.json (every published message
// in order, answers under their questions, polls with their last results),
// so that the page shows all of it however long the debate was. The page
// then offers the open-data downloads (transcript.csv, transcript.json, and
// the plain transcript page) with the licence they are published under:
// the site's (GET /api/site, "licence": {"name","url"}), else Licence
// Ouverte / Etalab 2.0. A print style sheet (palabre.css, @media print)
// makes the same page a clean paper or PDF copy.

import * as api from './api.js';
import { $ } from './dom.js';

export const DEFAULT_LICENCE = {
  name: 'Licence Ouverte / Etalab 2.0',
  url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
};

let licence = null;

async function siteLicence() {
  if (licence) return licence;
  try {
    const site = await api.get('site');
    const l = site && site.licence;
    if (l && typeof l.name === 'string' && l.name && typeof l.url === 'string' && /^https?:\/\//.test(l.url)) {
      licence = { name: l.name, url: l.url };
    }
  } catch (_) {
    // No site settings (yet): the default.
  }
  licence = licence || DEFAULT_LICENCE;
  return licence;
}

/** Shows or hides the archive block, with its links, for the event `ev`. */
export async function renderArchive(ev) {
  const block = $('#archive');
  if (!block) return;
  block.hidden = ev.phase !== 'closed';
  if (block.hidden) return;
  const file = (ext) => api.apiUrl(api.eventPath(ev.id, `transcript.${ext}`));
  $('#archive-csv').href = file('csv');
  $('#archive-csv').setAttribute('download', `${ev.id}.csv`);
  $('#archive-json').href = file('json');
  $('#archive-json').setAttribute('download', `${ev.id}.json`);
  $('#archive-html').href = file('html');
  const l = await siteLicence();
  const a = $('#archive-licence');
  a.href = l.url;
  a.textContent = l.name;
}

/**
 * Fills `thread` (a Thread) with the whole published thread of the debate.
 * Throws the API error when the transcript cannot be read.
 */
export async function loadArchive(thread, eventId) {
  const res = await api.get(api.eventPath(eventId, 'transcript.json'));
  thread.reset();
  for (const m of (res && res.messages) || []) {
    if (m.kind === 'poll') {
      if (m.poll) thread.frame('poll', m.poll);
      continue;
    }
    const { answers, ...message } = m;
    thread.frame('message', message);
    for (const a of answers || []) thread.frame('message', a);
  }
  thread.settle();
}

export function bindPrint() {
  const button = $('#archive-print');
  if (button) button.addEventListener('click', () => window.print());
}
