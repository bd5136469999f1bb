// Palabre — the embeddable view of a debate (/e/{id}/embed), in an iframe on
// the organiser's site: the debate's head, its live thread (pausable, as on
// the visitor page) and a button that opens the visitor page in a new
// window to join and ask.
//
// Why read-only: inside another site's iframe the visitor cookie (SameSite
// Lax) is a third-party cookie, which browsers do not send or keep. Joining
// here would seem to work and then forget the visitor at the next request;
// the visitor page, in its own window, keeps them.
//
// The page tells its parent its height ({"type":"palabre:height","height":N},
// on every change, ResizeObserver) so that /embed.js sizes the iframe to
// fit. The height is no secret: it goes to whichever page frames this one
// (nginx only lets the origins of PALABRE_EMBED_ORIGINS do so).

import * as api from './api.js';
import { $, announce } from './dom.js';
import * as i18n from './i18n.js';
import { t } from './i18n.js';
import { LiveStream } from './stream.js';
import { showConnection } from './connection.js';
import { Thread } from './thread.js';
import { pauseFor } from './thread_pause.js';

const eventId = api.eventIdFromPath();
let event = null;
let stream = null;
let thread = null;
let pause = null;

// ---- Height for the parent page ----------------------------------------------

let lastHeight = 0;
function postHeight() {
  if (window.parent === window) return;
  const style = getComputedStyle(document.body);
  const height = Math.ceil(document.body.getBoundingClientRect().height
    + parseFloat(style.marginTop) + parseFloat(style.marginBottom));
  if (height === lastHeight) return;
  lastHeight = height;
  window.parent.postMessage({ type: 'palabre:height', height }, '*');
}

function watchHeight() {
  if (typeof ResizeObserver === 'function') new ResizeObserver(postHeight).observe(document.body);
  window.addEventListener('load', postHeight);
  postHeight();
}

// ---- The debate ---------------------------------------------------------------

function render() {
  document.title = t('visitor.doc_title_event', { title: event.title });
  const title = $('#event-title');
  title.removeAttribute('data-i18n');
  title.textContent = event.title;
  const phase = $('#phase');
  phase.hidden = false;
  phase.dataset.phase = event.phase;
  phase.textContent = t(`phase.${event.phase}`);
  const when = $('#when');
  when.setAttribute('datetime', event.starts_at);
  when.textContent = i18n.formatRange(event.starts_at, event.ends_at);
  $('#when-item').hidden = false;
  const page = api.pageUrl(`e/${event.id}`);
  $('#ask-link').href = page;
  $('#open-link').href = page;
  // No question to ask on a closed debate: the link to the page stays.
  $('#ask-link').hidden = event.phase === 'closed';
  $('#embed-actions').hidden = false;
  $('#live').hidden = false;
  renderConnection();
}

function renderConnection() {
  if (stream) showConnection($('#connection'), stream.state, stream.stateInfo, { phase: event ? event.phase : null });
}

function startStream() {
  thread = new Thread($('#thread'), $('#thread-empty'), { region: $('#thread-log') });
  pause = pauseFor(thread, (text) => announce(text));
  thread.settle();
  stream = new LiveStream(api.apiUrl(api.eventPath(eventId, 'stream')), {
    pollUrl: api.apiUrl(api.eventPath(eventId, 'poll')),
    types: ['message', 'retract', 'author', 'phase'],
    onReset: () => {
      pause.reset();
      thread.reset();
    },
    onState: (s) => {
      renderConnection();
      if (s === 'open') thread.settle();
    },
    onFrame: (type, data) => {
      if (type === 'phase') {
        // Shown, never announced: the frame does not interrupt a screen
        // reader on the organiser's page (the visitor page announces it).
        if (data.phase) {
          event.phase = data.phase;
          if (data.ends_at) event.ends_at = data.ends_at;
          render();
        }
        return;
      }
      pause.frame(type, data);
    },
  });
  stream.start();
}

async function start() {
  try {
    event = await api.get(api.eventPath(eventId));
  } catch (err) {
    $('#event-title').textContent = err.code === 'not_found' ? t('error.event_not_found') : t('visitor.load_failed');
    if (err.code !== 'not_found') setTimeout(start, 5000);
    return;
  }
  await i18n.setup(event.languages, null, event.time_zone || null);
  const wanted = new URLSearchParams(window.location.search).get('lang');
  const wantedLang = wanted ? wanted.toLowerCase().split('-')[0] : null;
  if (wantedLang && wantedLang !== i18n.lang()) await i18n.switchTo(wantedLang);
  i18n.onChange(() => {
    render();
    if (thread) thread.relabel();
    if (pause) pause.relabel();
  });
  render();
  startStream();
}

function main() {
  i18n.init();
  watchHeight();
  if (!eventId) {
    $('#event-title').textContent = t('error.event_not_found');
    return;
  }
  start();
}

main();
