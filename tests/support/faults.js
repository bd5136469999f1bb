'use strict';
// Shared pieces of the fault tests (tests/integration/faults_*.test.js):
// how many clients, a fresh debate, publishing announcements in a loop while
// something breaks, and the published history as the server tells it.
//
// Only Node.js built-ins; works on Node 18 and 20.

const fs = require('node:fs');
const http = require('node:http');
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
// is sent, e.g. to kill a worker mid-publish. Resolves {acked, cursors,
// failed, lastAt, sentAt}: acked = ids answered 201 in order (cursors: their
// cursors), failed = the other answers ({status, code, elapsedMs}), sentAt =
// id → when its request was sent, lastAt = when the last one was answered.
async function publishLoop(d, { count, intervalMs = 20, hooks = {}, text = (i) => `Annonce ${i + 1}/${count}`, timeoutMs } = {}) {
  const acked = [];
  const cursors = [];
  const failed = [];
  const sentAt = new Map();
  const background = [];
  for (let i = 0; i < count; i++) {
    if (hooks[i]) background.push(Promise.resolve().then(hooks[i]));
    const res = await announce(d, { text: text(i), timeoutMs });
    if (res.status === 201) {
      acked.push(res.json.id);
      cursors.push(res.json.cursor);
      sentAt.set(res.json.id, res.sentAt);
    } else {
      failed.push({ i, status: res.status, code: res.json && res.json.error ? res.json.error.code : res.text.slice(0, 80), elapsedMs: res.elapsedMs });
    }
    if (intervalMs) await sleep(intervalMs);
  }
  await Promise.all(background);
  return { acked, cursors, failed, sentAt, lastAt: Date.now() };
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
    const res = await c.fcgi(i, 'GET', '/metrics?scope=process');
    const v = parseMetrics(res.text)[name];
    if (typeof v === 'number' && !Number.isNaN(v)) sum += v;
  }
  return sum;
}

// N long-pollers following one debate: each starts from `cursor`, asks
// GET .../poll?after=<cursor>, records the items, follows the returned
// cursor; on an error, a truncated answer or a non-200 it asks again with
// the same cursor after a short random delay. Connections are kept alive
// (one agent, as a browser would), so that 500 pollers do not open a
// connection per answer.
class LongPollFleet {
  constructor(cluster, pollPath, { count = 500, cursor, minDelayMs = 20, maxDelayMs = 250, timeoutMs = 60000 } = {}) {
    this.cluster = cluster;
    this.path = cluster.path(pollPath);
    this.minDelayMs = minDelayMs;
    this.maxDelayMs = maxDelayMs;
    this.timeoutMs = timeoutMs;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
    this.stopped = false;
    this.pollers = Array.from({ length: count }, (_, index) => ({
      index, cursor, ids: [], polls: 0, statuses: {}, errors: 0, req: null,
    }));
    this.running = [];
  }

  start() {
    this.running = this.pollers.map((p) => this._loop(p));
  }

  _once(p) {
    return new Promise((resolve) => {
      const req = http.request({
        host: this.cluster.host, port: this.cluster.port, method: 'GET', agent: this.agent,
        path: `${this.path}?after=${encodeURIComponent(p.cursor)}`,
      }, (res) => {
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode, complete: res.complete, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', () => resolve({ status: 0 }));
        res.on('aborted', () => resolve({ status: 0 }));
      });
      p.req = req;
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve({ status: 0 }));
      req.end();
    });
  }

  async _loop(p) {
    while (!this.stopped) {
      p.polls++;
      const r = await this._once(p);
      p.req = null;
      if (this.stopped) return;
      let body = null;
      if (r.status === 200 && r.complete) {
        try { body = JSON.parse(r.text); } catch (_) { body = null; }
      }
      if (!body || !Array.isArray(body.items) || typeof body.cursor !== 'string') {
        if (r.status === 200) p.errors++;
        else p.statuses[r.status] = (p.statuses[r.status] || 0) + 1;
        await sleep(this.minDelayMs + Math.random() * (this.maxDelayMs - this.minDelayMs));
        continue;
      }
      for (const item of body.items) if (item.type === 'message') p.ids.push(item.data.id);
      p.cursor = body.cursor;
    }
  }

  // Resolves once every poller's ids equal `want`; throws after timeoutMs.
  async waitExact(want, timeoutMs = 10000) {
    const wanted = want.join('\n');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const bad = this.pollers.filter((p) => p.ids.join('\n') !== wanted);
      if (!bad.length) return;
      if (Date.now() >= deadline) {
        const describe = (p) => {
          let i = 0;
          while (i < p.ids.length && i < want.length && p.ids[i] === want[i]) i++;
          return `poller ${p.index}: ${p.ids.length}/${want.length} items, ${p.ids.length - new Set(p.ids).size} duplicates, ` +
            `first difference at #${i}; polls ${p.polls}, statuses ${JSON.stringify(p.statuses)}, errors ${p.errors}`;
        };
        throw new Error(`${bad.length} of ${this.pollers.length} long-pollers did not get exactly the ${want.length} published items:\n  ` +
          bad.slice(0, 5).map(describe).join('\n  '));
      }
      await sleep(25);
    }
  }

  summary() {
    const s = { pollers: this.pollers.length, polls: 0, errors: 0, statuses: {} };
    for (const p of this.pollers) {
      s.polls += p.polls;
      s.errors += p.errors;
      for (const [k, v] of Object.entries(p.statuses)) s.statuses[k] = (s.statuses[k] || 0) + v;
    }
    return s;
  }

  async stop() {
    this.stopped = true;
    for (const p of this.pollers) if (p.req) p.req.destroy();
    await Promise.all(this.running);
    this.agent.destroy();
  }
}

// A skip reason for a test that waits for a server feature or fix, unless
// PALABRE_FAULT_UNSKIP=1 (to try it against a server that has it).
function pending(reason) {
  return process.env.PALABRE_FAULT_UNSKIP === '1' ? false : reason;
}

// Writes a line to the test's stderr (numbers worth keeping in CI logs).
function note(text) {
  process.stderr.write(`# ${text}\n`);
}

module.exports = {
  faultClients, openFileLimit, newDebate, announce, publishLoop, history, publishedKeys,
  parseMetrics, workerMetric, note, LongPollFleet, pending,
};
