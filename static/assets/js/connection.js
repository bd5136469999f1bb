// Palabre — the live connection's status line (#connection), shared by the
// visitor page and the consoles: the LiveStream's state in words, and
// data-state / data-transport for the stylesheet and the tests.
//
// On long-poll (a network that holds Server-Sent Events back, stream.js)
// the line says the page is connected in a slow mode; the visitor page adds
// a link to the plain read-only view of the thread when it has one.

import { h, clear } from './dom.js';
import { t } from './i18n.js';

/** The words for a LiveStream state and its info ({transport, delay}). */
export function connectionText(state, info = {}) {
  if (state === 'open') return t(info.transport === 'poll' ? 'stream.open_poll' : 'stream.open');
  if (state === 'reconnecting' && info.delay) return t('stream.retry_in', { n: Math.max(1, Math.round(info.delay / 1000)) });
  if (state === 'reconnecting') return t('stream.reconnecting');
  if (state === 'connecting') return t('stream.connecting');
  return '';
}

/**
 * Shows a LiveStream's state in `el`. plainViewUrl: where the plain view of
 * the thread is, offered while on long-poll (visitor page), or null.
 */
export function showConnection(el, state, info = {}, { plainViewUrl = null } = {}) {
  el.dataset.state = state;
  el.dataset.transport = info.transport || '';
  clear(el);
  el.append(connectionText(state, info));
  if (plainViewUrl && state === 'open' && info.transport === 'poll') {
    el.append(' ', h('a', { href: plainViewUrl, text: t('visitor.plain_view') }));
  }
}
