'use strict';
// A fleet of EventSource-like clients for the fault tests: N Server-Sent
// Events clients over raw HTTP through nginx, each recording every frame it
// receives, reconnecting on its own like a browser, so that a test can ask
// "did every client get exactly what was published, in order, once?".
//
//   const fleet = new SseFleet(cluster, `/api/events/${id}/stream`, { count: 500 });
//   await fleet.start();                         // every client connected once
//   ... publish, break things ...
//   await fleet.waitExact(publishedIds, 5000);   // throws with details if not
//   fleet.close();
//
// Each client, like EventSource:
// - remembers the last `id:` it saw and sends it as Last-Event-ID when it
//   reconnects after the stream ends, errs, or answers something else than
//   200 (a browser page recreates its EventSource in that last case);
// - waits a short random delay before reconnecting, in [minDelayMs,
//   maxDelayMs] (the upper bound doubles, up to backoffCapMs, while
//   attempts keep failing), and never longer than the server's `retry:`
//   (the server's value is an upper bound only, so that tests stay fast);
// - on `event: reset` forgets what it received: the frames after a reset are
//   the full history of the debate, collected again from scratch.
//
// What is compared is the key of each frame: by default the `id` field of
// the JSON data of `message` frames (announcement, question, answer ids,
// which survive a change of epoch, unlike stream cursors); pass keyOf to
// compare something else. Frames without a key (phase, ...) are counted but
// not compared. Only the key, cursor, event type and arrival time of each
// frame are kept, not the data.
//
// Only Node.js built-ins; works on Node 18 and 20.

const http = require('node:http');
const net = require('node:net');
const { StringDecoder } = require('node:string_decoder');
const { encodeFcgiRequest, FcgiReader } = require('./cluster');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const ID_RE = /^\{"id":"([^"\\]+)"/;

function defaultKeyOf(event, raw) {
  if (event !== 'message') return null;
  const m = ID_RE.exec(raw);
  if (m) return m[1];
  try {
    const d = JSON.parse(raw);
    return d && typeof d.id === 'string' ? d.id : null;
  } catch (_) {
    return null;
  }
}

class FleetClient {
  constructor(fleet, index) {
    this.fleet = fleet;
    this.index = index;
    this.frames = [];        // {key, cursor, event, t} since the last reset
    this.keyList = [];       // their keys, without the frames that have none
    this.lastEventId = null;
    this.retryMs = null;     // the server's retry:, if any
    this.connected = false;  // a 200 response is open
    this.everConnected = false;
    this.connects = 0;       // 200 responses
    this.attempts = 0;       // requests made
    this.resets = 0;
    this.resetReasons = [];  // data.reason of each reset frame
    this.pings = 0;
    this.lastPingAt = 0;
    this.maxPingGapMs = 0;   // longest wait between two pings (reset it to measure a window)
    this.lastDataAt = 0;     // any bytes of a 200 stream
    this.statuses = {};      // non-200 answers by status
    this.errors = 0;         // connection errors and truncated streams
    this.ends = 0;           // 200 streams that ended
    this.paused = false;
    this.stopped = false;
    this._req = null;
    this._res = null;
    this._sock = null;       // FastCGI transport
    this._timer = null;
    this._buf = '';
    this._skipLF = false;
    this._pending = null;
  }

  // The keys received since the last reset, in order (do not modify).
  keys() {
    return this.keyList;
  }

  connect() {
    if (this.stopped) return;
    this._timer = null;
    this.attempts++;
    const f = this.fleet;
    const headers = { Accept: 'text/event-stream', 'Cache-Control': 'no-cache', ...f.headers };
    if (this.lastEventId !== null && this.lastEventId !== '') headers['Last-Event-ID'] = this.lastEventId;
    this._buf = '';
    this._skipLF = false;
    this._pending = { id: null, event: null, data: [] };
    const via = f.transportFor(this.index);
    if (via !== 'http') return this._connectFcgi(via, headers);
    let settled = false;
    const req = http.request({
      host: f.cluster.host, port: f.cluster.port, method: 'GET', path: f.path, headers, agent: false,
    }, (res) => {
      if (this.stopped) { res.destroy(); return; }
      this._res = res;
      res.setEncoding('utf8');
      if (res.statusCode !== 200) {
        this.statuses[res.statusCode] = (this.statuses[res.statusCode] || 0) + 1;
        res.resume();
        const failed = () => { if (!settled) { settled = true; this._lost(false); } };
        res.on('end', failed);
        res.on('error', failed);
        res.on('close', failed);
        return;
      }
      this.connected = true;
      this.everConnected = true;
      this.connects++;
      f._onConnect(this);
      if (this.paused) this._applyPause();
      res.on('data', (chunk) => this._feed(chunk));
      const done = (failed) => {
        if (settled) return;
        settled = true;
        this.connected = false;
        this.ends++;
        if (failed) this.errors++;
        this._lost(true);
      };
      res.on('end', () => done(false));
      res.on('error', () => done(true));
      res.on('close', () => done(!res.complete));
    });
    this._req = req;
    req.setTimeout(f.headerTimeoutMs, () => req.destroy(new Error('no response headers')));
    req.on('response', () => req.setTimeout(0));
    req.on('error', () => {
      if (settled) return;
      settled = true;
      const had = this.connected;
      if (had) this.ends++;
      this.connected = false;
      this.errors++;
      this._lost(had);
    });
    req.end();
  }

  // The same stream straight from a worker's FastCGI socket, as nginx would
  // ask for it: a client that stops reading then fills the worker's own
  // socket buffer (about 200 KiB) instead of nginx's and the kernel's TCP
  // buffers on loopback (several MiB), so that a test reaches the worker's
  // backlog limit with little traffic.
  _connectFcgi(socketPath, headers) {
    const f = this.fleet;
    const sock = net.connect({ path: socketPath });
    this._sock = sock;
    let settled = false;
    let head = Buffer.alloc(0);
    let status = 0;
    const decoder = new StringDecoder('utf8');
    const lost = (failed) => {
      if (settled) return;
      settled = true;
      const had = status === 200;
      if (had) {
        this.connected = false;
        this.ends++;
      }
      if (failed) this.errors++;
      this._sock = null;
      sock.destroy();
      this._lost(had);
    };
    const reader = new FcgiReader((buf) => {
      if (status) {
        if (status === 200) this._feed(decoder.write(buf));
        return;
      }
      head = Buffer.concat([head, buf]);
      const sep = head.indexOf('\r\n\r\n');
      if (sep < 0) return;
      const m = /^Status:\s*(\d+)/im.exec(head.subarray(0, sep).toString('latin1'));
      status = m ? Number(m[1]) : 200;
      if (status !== 200) {
        this.statuses[status] = (this.statuses[status] || 0) + 1;
        return;
      }
      this.connected = true;
      this.everConnected = true;
      this.connects++;
      f._onConnect(this);
      if (this.paused) sock.pause();
      const rest = head.subarray(sep + 4);
      if (rest.length) this._feed(decoder.write(rest));
    }, () => lost(false));
    sock.on('data', (d) => reader.feed(d));
    sock.on('error', () => lost(true));
    sock.on('close', () => lost(!reader.ended));
    sock.write(encodeFcgiRequest('GET', f.path, f.cluster.prefix, headers));
  }

  _lost(hadStream) {
    this._req = null;
    this._res = null;
    if (this.stopped) return;
    const f = this.fleet;
    // Consecutive failures to get a stream back off (doubling up to
    // backoffCapMs), so that a fleet does not hammer nginx while no worker
    // is up; a stream that was open reconnects at once.
    this._failures = hadStream ? 0 : (this._failures || 0) + 1;
    let max = Math.max(f.maxDelayMs, Math.min(f.backoffCapMs, f.maxDelayMs * 2 ** Math.max(0, this._failures - 1)));
    if (this.retryMs !== null && this.retryMs >= 0) max = Math.min(max, this.retryMs);
    const min = Math.min(f.minDelayMs, max);
    const delay = min + Math.random() * (max - min);
    this._timer = setTimeout(() => this.connect(), delay);
  }

  _feed(chunk) {
    this.lastDataAt = Date.now();
    if (this._skipLF && chunk.startsWith('\n')) chunk = chunk.slice(1);
    const buf = this._buf + chunk;
    this._skipLF = buf.endsWith('\r');
    const lines = buf.split(/\r\n|\r|\n/);
    this._buf = lines.pop();
    for (const line of lines) this._line(line);
  }

  _line(line) {
    const p = this._pending;
    if (line === '') {
      this._pending = { id: null, event: null, data: [] };
      if (p.id !== null) this.lastEventId = p.id;
      if (!p.data.length) return;
      const event = p.event || 'message';
      if (event === 'reset') {
        this.resets++;
        this.frames = [];
        this.keyList = [];
        let reason = null;
        try { reason = JSON.parse(p.data.join('\n')).reason || null; } catch (_) { /* not JSON */ }
        this.resetReasons.push(reason);
        this.fleet._onFrame(this, { key: null, cursor: this.lastEventId, event, t: Date.now() });
        return;
      }
      const raw = p.data.join('\n');
      const frame = { key: this.fleet.keyOf(event, raw), cursor: p.id !== null ? p.id : this.lastEventId, event, t: Date.now() };
      this.frames.push(frame);
      if (frame.key !== null) this.keyList.push(frame.key);
      this.fleet._onFrame(this, frame);
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) {
      this.pings++;
      const now = Date.now();
      if (this.lastPingAt) this.maxPingGapMs = Math.max(this.maxPingGapMs, now - this.lastPingAt);
      this.lastPingAt = now;
      return;
    }
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    let value = i < 0 ? '' : line.slice(i + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') p.data.push(value);
    else if (field === 'event') p.event = value;
    else if (field === 'id') { if (!value.includes('\0')) p.id = value; }
    else if (field === 'retry') { if (/^\d+$/.test(value)) this.retryMs = Number(value); }
  }

  // Stops reading: the socket's buffers fill up, as with a stalled phone.
  pause() {
    this.paused = true;
    this._applyPause();
  }

  _applyPause() {
    if (this._sock) this._sock.pause();
    if (this._res) {
      this._res.pause();
      if (this._res.socket) this._res.socket.pause();
    }
  }

  resume() {
    this.paused = false;
    if (this._sock) this._sock.resume();
    if (this._res) {
      if (this._res.socket) this._res.socket.resume();
      this._res.resume();
    }
  }

  // Drops the connection now (the client reconnects like after an error).
  drop() {
    if (this._req) this._req.destroy();
    if (this._sock) this._sock.destroy();
  }

  stop() {
    this.stopped = true;
    if (this._timer) clearTimeout(this._timer);
    this._timer = null;
    if (this._req) this._req.destroy();
    if (this._res) this._res.destroy();
    if (this._sock) this._sock.destroy();
    this.connected = false;
  }

  // Why keys() is not `want`: the first differing position, duplicates.
  describe(want) {
    const got = this.keys();
    let i = 0;
    while (i < got.length && i < want.length && got[i] === want[i]) i++;
    const dup = got.length - new Set(got).size;
    const at = i < got.length || i < want.length
      ? `first difference at #${i}: got ${JSON.stringify(got[i])}, want ${JSON.stringify(want[i])}` : 'equal';
    return `client ${this.index}: ${got.length}/${want.length} keys, ${dup} duplicates, ${at}; ` +
      `connected=${this.connected} connects=${this.connects} attempts=${this.attempts} resets=${this.resets} ` +
      `errors=${this.errors} statuses=${JSON.stringify(this.statuses)} paused=${this.paused} pings=${this.pings} ` +
      `lastPing=${this.lastPingAt ? Date.now() - this.lastPingAt + ' ms ago' : 'never'} lastEventId=${this.lastEventId}`;
  }
}

class SseFleet {
  // cluster: a tests/support/cluster.js cluster (its port and prefix are
  // used). path: relative to the mount point. Options: count, minDelayMs,
  // maxDelayMs (reconnect delay range), headers, keyOf(event, rawData),
  // openConcurrency (connections opened at once by start()), lastEventId
  // (every client's first Last-Event-ID), transportFor(index) → 'http'
  // (through nginx, the default) or a worker's FastCGI socket path.
  constructor(cluster, path, {
    count = 500, minDelayMs = 20, maxDelayMs = 250, headers = {}, keyOf = defaultKeyOf,
    openConcurrency = 50, headerTimeoutMs = 15000, backoffCapMs = 1000, lastEventId = null,
    transportFor = () => 'http',
  } = {}) {
    this.cluster = cluster;
    this.path = cluster.path(path);
    this.minDelayMs = minDelayMs;
    this.maxDelayMs = maxDelayMs;
    this.headers = headers;
    this.keyOf = keyOf;
    this.openConcurrency = openConcurrency;
    this.headerTimeoutMs = headerTimeoutMs;
    this.backoffCapMs = backoffCapMs;
    this.transportFor = transportFor;
    this.clients = Array.from({ length: count }, (_, i) => new FleetClient(this, i));
    for (const client of this.clients) client.lastEventId = lastEventId;
    this._frameListeners = new Set();
    this._connectWaiters = new Set();
  }

  get size() { return this.clients.length; }

  _onFrame(client, frame) {
    for (const fn of this._frameListeners) fn(client, frame);
  }

  _onConnect(client) {
    for (const fn of this._connectWaiters) fn(client);
  }

  // Calls fn(client, frame) for every frame (reset frames too); returns a
  // function that removes the listener.
  onFrame(fn) {
    this._frameListeners.add(fn);
    return () => this._frameListeners.delete(fn);
  }

  // Opens every client, openConcurrency at a time (each waits for its first
  // 200 before the next one starts, retrying on its own after errors);
  // resolves once all have connected once.
  async start(timeoutMs = 60000) {
    const deadline = Date.now() + timeoutMs;
    let next = 0;
    const opener = async () => {
      while (next < this.clients.length) {
        const client = this.clients[next++];
        client.connect();
        while (!client.everConnected) {
          if (Date.now() > deadline) throw new Error(`SSE client ${client.index} did not connect in ${timeoutMs} ms: ${client.describe([])}`);
          await new Promise((resolve) => {
            const done = () => { clearTimeout(t); this._connectWaiters.delete(on); resolve(); };
            const on = (c) => { if (c === client) done(); };
            const t = setTimeout(done, 50);
            this._connectWaiters.add(on);
          });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.openConcurrency, this.clients.length) }, opener));
  }

  // Resolves once every client (or those given) holds an open 200 stream.
  async waitConnected(timeoutMs = 10000, clients = this.clients) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (clients.every((c) => c.connected)) return;
      await sleep(20);
    }
    const down = clients.filter((c) => !c.connected);
    throw new Error(`${down.length} of ${clients.length} SSE clients not connected after ${timeoutMs} ms; e.g. ${down.slice(0, 3).map((c) => c.describe([])).join(' | ')}`);
  }

  // Resolves once every client's keys equal `want` (same keys, same order,
  // no duplicates); throws after timeoutMs describing up to 5 clients that
  // differ. clients: a subset (default: all). Resolves the time it took.
  async waitExact(want, timeoutMs = 10000, clients = this.clients) {
    const t0 = Date.now();
    const deadline = t0 + timeoutMs;
    // Cheap enough to run every 25 ms next to hundreds of busy clients:
    // keys are compared only once a client has as many as wanted.
    const differs = (c) => {
      const got = c.keyList;
      if (got.length !== want.length) return true;
      for (let i = got.length - 1; i >= 0; i--) if (got[i] !== want[i]) return true;
      return false;
    };
    let bad = clients;
    for (;;) {
      bad = bad.filter(differs);
      // A client found exact earlier may have received a duplicate since.
      if (!bad.length) bad = clients.filter(differs);
      if (!bad.length) return Date.now() - t0;
      if (Date.now() >= deadline) break;
      await sleep(25);
    }
    const wantSet = new Set(want);
    const dupClients = clients.filter((c) => { const k = c.keys(); return k.length !== new Set(k).size; }).length;
    const extra = clients.filter((c) => c.keys().some((k) => !wantSet.has(k))).length;
    throw new Error(`${bad.length} of ${clients.length} SSE clients did not get exactly the ${want.length} published messages ` +
      `within ${timeoutMs} ms (${dupClients} with duplicates, ${extra} with unknown keys):\n  ` +
      bad.slice(0, 5).map((c) => c.describe(want)).join('\n  '));
  }

  // Sum of each client counter, and the non-200 statuses seen.
  summary() {
    const s = { clients: this.clients.length, connected: 0, connects: 0, attempts: 0, resets: 0, errors: 0, ends: 0, pings: 0, statuses: {} };
    for (const c of this.clients) {
      if (c.connected) s.connected++;
      s.connects += c.connects;
      s.attempts += c.attempts;
      s.resets += c.resets;
      s.errors += c.errors;
      s.ends += c.ends;
      s.pings += c.pings;
      for (const [k, v] of Object.entries(c.statuses)) s.statuses[k] = (s.statuses[k] || 0) + v;
    }
    return s;
  }

  // Per client, the arrival time of the frame with this key (first one).
  arrivals(key, clients = this.clients) {
    const out = [];
    for (const c of clients) {
      const f = c.frames.find((fr) => fr.key === key);
      if (f) out.push(f.t);
    }
    return out;
  }

  close() {
    for (const c of this.clients) c.stop();
    this._frameListeners.clear();
  }
}

// The p-th percentile (0–100) of a list of numbers (nearest rank).
function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = values.slice().sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

module.exports = { SseFleet, FleetClient, percentile, defaultKeyOf };
