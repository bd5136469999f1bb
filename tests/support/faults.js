'use strict';
// Shared pieces of the fault tests (tests/integration/faults_*.test.js):
// how many clients, a fresh debate, publishing announcements in a loop while
// something breaks, and the published history as the server tells it.
//
// Only Node.js built-ins; works on Node 18 and 20.

const fs = require('node:fs');
const { expectOk, sleep } = require('./cluster');

// PALABRE_FAULT_CLIENTS (default 500): SSE clients / long-pollers per case.
function faultClients(defaultCount = 500) {
  const n = Number(process.env.PALABRE_FAULT_CLIENTS || defaultCount);
  if (!Number.isInteger(n) || n < 1) throw new Error(`PALABRE_FAULT_CLIENTS must be a positive integer, not ${process.env.PALABRE_FAULT_CLIENTS}`);
  return n;
}

// The file descriptors a run needs: each client costs this process one and
// the worker holding it one (nginx too, but its limit is set in its config).
function openFileLimit(pid = 'self') {
  const limits = fs.readFileSync(`/proc/${pid}/limits`, 'utf8');
  const m = limits.match(/^Max open files\s+(\d+|unlimited)/m);
  return m ? (m[1] === 'unlimited' ? Infinity : Number(m[1])) : 0;
}

// A fresh live debate; announcements are published with the admin token.
async function newDebate(c, title) {
  const ev = await c.createEvent({ title });
  return { id: ev.id, base: `/api/events/${ev.id}`, admin: c.asAdmin() };
}

let counter = 0;

// POST one announcement; resolves the raw response plus elapsedMs.
async function announce(d, { text, timeoutMs = 15000, headers } = {}) {
  const t0 = Date.now();
  let res;
  try {
    res = await d.admin.post(`${d.base}/announcements`, { text: text || `Annonce ${++counter}`, lang: 'fr' }, { timeoutMs, headers });
  } catch (e) {
    res = { status: 0, error: e, text: e.message, json: null, headers: {} };
  }
  res.elapsedMs = Date.now() - t0;
  res.sentAt = t0;
  return res;
}

// Publishes `count` announcements one after the other, intervalMs apart.
// hooks: {index: async fn} run (not awaited) just before announcement #index
// is sent, e.g. to kill a worker mid-publish. Resolves {acked, failed,
// lastAt, sentAt}: acked = ids answered 201 in order, failed = the other
// answers ({status, code, elapsedMs}), lastAt = when the last one was answered.
async function publishLoop(d, { count, intervalMs = 20, hooks = {}, text = (i) => `Annonce ${i + 1}/${count}`, timeoutMs } = {}) {
  const acked = [];
  const failed = [];
  const sentAt = new Map();
  const background = [];
  for (let i = 0; i < count; i++) {
    if (hooks[i]) background.push(Promise.resolve().then(hooks[i]));
    const res = await announce(d, { text: text(i), timeoutMs });
    if (res.status === 201) {
      acked.push(res.json.id);
      sentAt.set(res.json.id, res.sentAt);
    } else {
      failed.push({ i, status: res.status, code: res.json && res.json.error ? res.json.error.code : res.text.slice(0, 80), elapsedMs: res.elapsedMs });
    }
    if (intervalMs) await sleep(intervalMs);
  }
  await Promise.all(background);
  return { acked, failed, sentAt, lastAt: Date.now() };
}

// The public history of a debate as the long-poll API pages it out, from the
// first entry to the latest: [{cursor, type, data}]. Call it once nothing is
// being published any more.
async function history(c, d) {
  const head = expectOk(await c.poll(`${d.base}/poll`, { timeoutMs: 10000 }), 200, 'poll without after');
  const latest = head.cursor;
  const items = [];
  let cursor = '0';
  for (let page = 0; page < 10000 && cursor !== latest; page++) {
    const body = expectOk(await c.poll(`${d.base}/poll`, { after: cursor, timeoutMs: 10000 }), 200, `poll after ${cursor}`);
    if (!body.items.length) break;
    items.push(...body.items);
    cursor = body.cursor;
  }
  return items;
}

// The ids of the published messages, in order (what SSE clients must get).
async function publishedKeys(c, d) {
  return (await history(c, d)).filter((i) => i.type === 'message').map((i) => i.data.id);
}

// Prometheus text → {name: value} (labels kept in the name).
function parseMetrics(text) {
  const out = {};
  for (const line of String(text).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out[line.slice(0, i)] = Number(line.slice(i + 1));
  }
  return out;
}

// Sum of one metric over every running worker (each worker counts its own).
async function workerMetric(c, name) {
  let sum = 0;
  for (let i = 0; i < c.workers.length; i++) {
    if (!c.workers[i] || c.workers[i].exitStatus) continue;
    const res = await c.fcgi(i, 'GET', '/metrics');
    const v = parseMetrics(res.text)[name];
    if (typeof v === 'number' && !Number.isNaN(v)) sum += v;
  }
  return sum;
}

// Writes a line to the test's stderr (numbers worth keeping in CI logs).
function note(text) {
  process.stderr.write(`# ${text}\n`);
}

module.exports = {
  faultClients, openFileLimit, newDebate, announce, publishLoop, history, publishedKeys,
  parseMetrics, workerMetric, note,
};
