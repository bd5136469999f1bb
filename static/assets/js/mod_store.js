// Palabre — moderator console: what the console knows, shared by its modules.
//
// One map of questions (the staff view, keyed by id), filled from GET queue
// and kept current by the staff stream, which sends the whole question on
// every change. Every change grows the question's `version`; a frame older
// than the copy shown is ignored. Claims and releases send the question
// again at the same version, so an equal version is taken.
//
// Drawing is batched: modules call requestRender() after a change and the
// console redraws once for a burst of frames (500 questions arriving after a
// reconnect draw a few times, not 500 times); renderNow() draws at once, for
// the answer to one's own action, so that focus moves predictably.
//
// Also here: the classification of a question (which list it belongs to),
// claims ("handled by"), and a search key per question (case and accents
// ignored), computed once per version.

export const state = {
  eventId: null,
  event: null,
  session: null,
  me: '',               // the label the server gives our claims (claimed_by)
  questions: new Map(),
  forwardOrder: [],     // the guest's queue, in order
  guestNow: null,       // the question the guest answers now
  banned: new Set(),
  silent: new Set(),    // silently banned visitors
  timeouts: new Map(),  // visitor id → until (ISO)
  controls: { slow_mode_s: 0, shield: false },
  ready: false,
  epoch: 0,             // grows when something every line shows changes (bans, "now", language)
};

const REASONS = ['off_topic', 'duplicate', 'already_answered', 'abusive', 'personal_data', 'other'];
export { REASONS };

// ---- Classification --------------------------------------------------------

/** Awaits a moderator's decision, in the shared queue. */
export function isPending(q) {
  return q.status === 'pending' && !q.forwarded && !q.hidden;
}

/** In the guest's queue: forwarded and not answered yet. */
export function inGuestQueue(q) {
  return !!q.forwarded && !q.answered && !q.hidden && (q.status === 'pending' || q.status === 'published');
}

/** Something a moderator may still claim and act on before it is public. */
export function claimable(q) {
  return (q.status === 'pending' && !q.hidden) || inGuestQueue(q);
}

export function isFlagged(q) {
  return Array.isArray(q.flags) && q.flags.length > 0;
}

/** The label of another moderator who holds the question now, or null. */
export function heldByOther(q) {
  if (!q || !q.claimed_by || q.claimed_by === state.me) return null;
  const until = Date.parse(q.claimed_until || '');
  if (Number.isFinite(until) && until <= Date.now()) return null;
  return q.claimed_by;
}

export function hasClaims() {
  for (const q of state.questions.values()) if (q.claimed_by) return true;
  return false;
}

/** Every author credited with a question, its own first. */
export function authorNames(q) {
  const list = Array.isArray(q.authors) ? q.authors.map((a) => (a && a.name) || '').filter(Boolean) : [];
  return list.length > 1 ? list : [q.author || ''];
}

// ---- Order ---------------------------------------------------------------------

// RFC 3339 times in UTC compare as strings; plain comparison, not
// localeCompare (collation is slow, and 500 questions are sorted often).
export function compareText(a, b) {
  const x = String(a || '');
  const y = String(b || '');
  return x < y ? -1 : x > y ? 1 : 0;
}

export const byCreated = (a, b) => compareText(a.created_at, b.created_at);
export const byUpdatedDesc = (a, b) => compareText(b.updated_at || b.created_at, a.updated_at || a.created_at);

// ---- Search ------------------------------------------------------------------

const searchKeys = new WeakMap();

export function normalize(text) {
  return String(text || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export function searchKey(q) {
  let key = searchKeys.get(q);
  if (key === undefined) {
    key = normalize(`${authorNames(q).join(' ')}\n${q.text || ''}\n${q.original_text || ''}`);
    searchKeys.set(q, key);
  }
  return key;
}

// ---- Changes ------------------------------------------------------------------

function older(q, than) {
  if (Number.isFinite(q.version) && Number.isFinite(than.version)) return q.version < than.version;
  return String(q.updated_at || '') < String(than.updated_at || '');
}

const changeListeners = [];

/** fn(before, after) after every accepted change of a question (before null for a new one). */
export function onChange(fn) {
  changeListeners.push(fn);
}

/**
 * Takes a question the server sent; returns false when it is older than the
 * copy held (and changes nothing).
 */
export function upsert(q) {
  if (!q || typeof q.id !== 'string') return false;
  const before = state.questions.get(q.id) || null;
  if (before && older(q, before)) return false;
  state.questions.set(q.id, q);
  if (inGuestQueue(q) && !state.forwardOrder.includes(q.id)) state.forwardOrder.push(q.id);
  for (const fn of changeListeners) fn(before, q);
  return true;
}

/** The same question with a few fields changed (a claim we took), same version. */
export function patchQuestion(id, fields) {
  const q = state.questions.get(id);
  if (!q) return;
  const next = { ...q, ...fields };
  for (const [k, v] of Object.entries(fields)) if (v === undefined) delete next[k];
  state.questions.set(id, next);
  for (const fn of changeListeners) fn(q, next);
}

export function forget(ids) {
  for (const id of ids) state.questions.delete(id);
  state.forwardOrder = state.forwardOrder.filter((id) => state.questions.has(id));
}

// ---- Drawing -------------------------------------------------------------------

/** Every line draws itself again at the next drawing. */
export function invalidate() {
  state.epoch++;
}

const renderers = [];
let renderTimer = null;

export function onRender(fn) {
  renderers.push(fn);
}

export function renderNow() {
  clearTimeout(renderTimer);
  renderTimer = null;
  if (!state.ready) return;
  for (const fn of renderers) fn();
}

export function requestRender() {
  if (renderTimer !== null) return;
  renderTimer = setTimeout(renderNow, 40);
}
