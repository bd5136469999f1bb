'use strict';
// The integration harness: a private Palabre "cluster" per test file.
//
//   const { startCluster } = require('../support/cluster');
//   const c = await startCluster({ workers: 2, nginxWorkers: 1, prefix: '/', env: {} });
//   after(() => c.stop());
//
// startCluster() makes a short temporary run dir (/tmp/plb-XXXXXX), starts a
// private redis-server on a unix socket (and refuses to go on if its database
// is not empty), runs `palabre-admin migrate`, `create-admin` and `token`,
// starts N palabre-worker processes and one nginx whose configuration is
// rendered by nginx/render from the same templates ./dev and ops use, on a
// loopback port picked at run time, then waits (polling, with a deadline)
// until GET /healthz answers 200. stop() ends every process it started and
// removes the run dir; a process 'exit' hook does the same if a test crashes.
//
// Binaries come from $PALABRE_BUILD_DIR (default <repo>/build), the
// templates and pages from $PALABRE_SOURCE_DIR (default <repo>). Set
// PALABRE_KEEP_RUN_DIR=1 to keep the run dir, PALABRE_TEST_LOGS=1 to print
// the end of every log on stop().
//
// Only Node.js built-ins; works on Node 18 (Debian 12) and 20.
//
// Faults (tests/integration/faults_*.test.js): Redis runs with an
// append-only file (appendfsync always, as docs/OPERATIONS.md advises) so that killRedis()/startRedis()
// behave like a production restart; startRedis({empty: true}) starts it on
// a fresh data dir instead. pauseRedis()/resumeRedis() freeze it
// (SIGSTOP/SIGCONT), reloadNginx() sends SIGHUP and waits for new nginx
// workers, signalWorker() sends any signal, fcgi(i, ...) talks FastCGI to
// worker i directly (per-worker /metrics). Options: redisTcp (Redis also
// listens on 127.0.0.1:<free port>, c.redisPort) and workerRedis (async
// (cluster) => ({host, port}), called once Redis is up: the address workers
// and palabre-admin use instead of the unix socket, e.g. a fault proxy).
// redisCluster: Redis runs in cluster mode as one node holding all 16384
// slots, so that a command or script touching keys of two slots fails with
// CROSSSLOT as it would on a Redis Cluster (implies redisTcp: the cluster
// bus needs a port). PALABRE_TEST_REDIS_CLUSTER=1 turns it on for every
// test that does not choose.
//
// PostgreSQL (ctest integration-pg.*, run under tests/support/with-postgres):
// when PALABRE_TEST_DATABASE_URL names a server, each cluster creates its
// own empty database there and gives workers and palabre-admin
// PALABRE_DATABASE_URL instead of a SQLite file; sql(query) reads either
// store ('|' between columns, one row a line).
//
// Paths given to request(), sse() and poll() are relative to the mount point
// ('/api/events'); the prefix is added here. Worker indexes are 0-based;
// worker i listens on <runDir>/worker-<i+1>.sock and logs to worker-<i+1>.log.
//
// Another host (tests/support/netns.js): options.listen ({host, port}) is
// where nginx listens and requests go (default 127.0.0.1, a free port), and
// options.inHost(cmd, args) → [cmd, args] wraps how nginx starts (e.g. in a
// network namespace); workerCommand does the same for workers.

const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const { EventEmitter } = require('node:events');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');

const SOURCE_DIR = path.resolve(process.env.PALABRE_SOURCE_DIR || path.join(__dirname, '..', '..'));
const BUILD_DIR = path.resolve(process.env.PALABRE_BUILD_DIR || path.join(SOURCE_DIR, 'build'));

// ---------------------------------------------------------------------------
// Small utilities

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls fn() until it returns a truthy value (returned) or the deadline passes
// (throws, naming `what` and the last error fn() threw).
async function waitUntil(fn, { timeoutMs = 10000, intervalMs = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError = null;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const why = lastError ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}

function isoIn(ms) {
  return new Date(Date.now() + ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// A debate that is live now: started 5 minutes ago, ends in 3 hours.
function liveEventBody(overrides = {}) {
  return {
    title: 'Budget participatif 2027',
    description: 'Débat public en direct.',
    starts_at: isoIn(-5 * 60 * 1000),
    ends_at: isoIn(3 * 3600 * 1000),
    languages: ['fr', 'en'],
    guests: [{ name: 'Anne Martin', role: 'Maire' }],
    questions_before: true,
    late_questions_days: 3,
    moderation: 'pre',
    ...overrides,
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(options) {
  return new Promise((resolve) => {
    const s = net.connect(options);
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => { s.destroy(); resolve(false); });
  });
}

// Runs a program to completion. Resolves {code, signal, stdout, stderr}.
function run(cmd, args, { env, input, timeoutMs = 60000, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    // Decoded as a stream: a character whose UTF-8 bytes straddle two reads
    // of the pipe must not turn into two replacement characters.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    // The program may exit without reading its input (EPIPE): not an error here.
    child.stdin.on('error', () => {});
    child.stdin.end(input || '');
  });
}

// Reads one field from a command's output, whether it printed JSON,
// "field: value" lines, or just the value on its last line.
function fieldOf(text, field) {
  const t = String(text).trim();
  try {
    const v = JSON.parse(t);
    if (v && typeof v === 'object' && v[field]) return String(v[field]);
    if (typeof v === 'string') return v;
  } catch (_) { /* not JSON */ }
  const re = new RegExp(`^\\s*"?${field}"?\\s*[:=]\\s*"?([^\\s"]+)`, 'im');
  const m = t.match(re);
  if (m) return m[1];
  const lines = t.split('\n').filter((l) => l.trim());
  if (!lines.length) return null;
  const words = lines[lines.length - 1].trim().split(/\s+/);
  return words[words.length - 1];
}

function tail(file, lines = 40) {
  try {
    const all = fs.readFileSync(file, 'utf8').split('\n');
    return all.slice(-lines - 1).join('\n');
  } catch (_) {
    return '';
  }
}

// Every child process any cluster started, so that a crashing test runner
// does not leave Redis, workers or nginx behind.
const liveChildren = new Set();
const liveRunDirs = new Set();
process.on('exit', () => {
  for (const child of liveChildren) {
    try { child.kill('SIGKILL'); } catch (_) { /* already gone */ }
  }
  if (process.env.PALABRE_KEEP_RUN_DIR !== '1') {
    for (const dir of liveRunDirs) {
      try { fs.rmSync(dir, { recursive: true, force: true }); } catch (_) { /* best effort */ }
    }
  }
});

// The sanitizer settings of the test run (./dev test sets them for the
// ASan+UBSan build) reach workers and palabre-admin; nothing else of the
// caller's environment does.
function sanitizerEnv() {
  const out = {};
  for (const k of ['ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS', 'ASAN_SYMBOLIZER_PATH']) {
    if (process.env[k]) out[k] = process.env[k];
  }
  return out;
}

// The first lines of each sanitizer report in a log: ASan, LeakSanitizer
// (printed at exit, so after stop() ended the worker) and UBSan.
const SANITIZER_REPORT = /ERROR: [A-Za-z]+Sanitizer|: runtime error: |SUMMARY: [A-Za-z]+Sanitizer/;
function sanitizerReports(file) {
  let lines;
  try { lines = fs.readFileSync(file, 'utf8').split('\n'); } catch (_) { return []; }
  const at = lines.findIndex((l) => SANITIZER_REPORT.test(l));
  return at < 0 ? [] : [`${path.basename(file)}:\n${lines.slice(at, at + 40).join('\n')}`];
}

function track(child) {
  liveChildren.add(child);
  child.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      liveChildren.delete(child);
      child.exitStatus = { code, signal };
      resolve(child.exitStatus);
    });
  });
  return child;
}

async function terminate(child, signal = 'SIGTERM', graceMs = 10000) {
  if (!child || child.exitStatus) return child && child.exitStatus;
  try { child.kill(signal); } catch (_) { /* gone */ }
  const timer = setTimeout(() => { try { child.kill('SIGKILL'); } catch (_) { /* gone */ } }, graceMs);
  const status = await child.exited;
  clearTimeout(timer);
  return status;
}

// ---------------------------------------------------------------------------
// HTTP

function cookiePair(res, name) {
  const set = res.headers['set-cookie'] || [];
  for (const line of set) {
    const pair = line.split(';')[0];
    if (pair.startsWith(`${name}=`)) return { pair, attributes: line };
  }
  return null;
}

function encodeBody(body, headers) {
  if (body === undefined || body === null) return null;
  let buf;
  if (Buffer.isBuffer(body)) buf = body;
  else if (typeof body === 'string') buf = Buffer.from(body, 'utf8');
  else buf = Buffer.from(JSON.stringify(body), 'utf8');
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/json';
  }
  headers['Content-Length'] = String(buf.length);
  return buf;
}

function parseResponse(res, bodyBuf) {
  const text = bodyBuf.toString('utf8');
  let json = null;
  const type = res.headers['content-type'] || '';
  if (/json/.test(type) || /^\s*[{[]/.test(text)) {
    try { json = JSON.parse(text); } catch (_) { json = null; }
  }
  return { status: res.statusCode, headers: res.headers, text, json, body: bodyBuf };
}

// Asserts a JSON error of docs/API.md: status, code (or one of a list of
// codes), a non-empty message, JSON content type.
function expectError(res, status, code, context = '') {
  const where = `${context ? context + ': ' : ''}got ${res.status} ${res.text.slice(0, 300)}`;
  assert.equal(res.status, status, where);
  assert.match(res.headers['content-type'] || '', /^application\/json/, `JSON content type (${where})`);
  assert.ok(res.json && res.json.error, `an {"error":…} body (${where})`);
  if (Array.isArray(code)) assert.ok(code.includes(res.json.error.code), `code one of ${code.join(', ')} (${where})`);
  else assert.equal(res.json.error.code, code, where);
  assert.equal(typeof res.json.error.message, 'string', where);
  assert.ok(res.json.error.message.length > 0, where);
}

// Asserts a 2xx (or the given status) and returns the parsed JSON.
function expectOk(res, status, context = '') {
  const where = `${context ? context + ': ' : ''}got ${res.status} ${res.text.slice(0, 400)}`;
  if (status === undefined) assert.ok(res.status >= 200 && res.status < 300, where);
  else assert.equal(res.status, status, where);
  return res.json;
}

// ---------------------------------------------------------------------------
// A minimal FastCGI client (one request per connection, no body).

function fcgiRecord(type, requestId, content) {
  const pad = (8 - (content.length % 8)) % 8;
  const h = Buffer.alloc(8);
  h.writeUInt8(1, 0);
  h.writeUInt8(type, 1);
  h.writeUInt16BE(requestId, 2);
  h.writeUInt16BE(content.length, 4);
  h.writeUInt8(pad, 6);
  return Buffer.concat([h, content, Buffer.alloc(pad)]);
}

function fcgiLength(n) {
  if (n < 128) return Buffer.from([n]);
  const b = Buffer.alloc(4);
  b.writeUInt32BE((n | 0x80000000) >>> 0);
  return b;
}

// The bytes of one FastCGI request without a body, as nginx sends it
// (palabre-fastcgi.conf's parameters); headers become HTTP_* parameters.
function encodeFcgiRequest(method, uri, prefix, headers = {}) {
  const [docUri, query = ''] = uri.split('?');
  const params = {
    REQUEST_METHOD: method, REQUEST_URI: uri, DOCUMENT_URI: docUri, QUERY_STRING: query,
    CONTENT_LENGTH: '0', SERVER_PROTOCOL: 'HTTP/1.1', REQUEST_SCHEME: 'http', REMOTE_ADDR: '127.0.0.1',
    SERVER_NAME: 'localhost', SERVER_PORT: '80', REQUEST_ID: `fcgi${Date.now()}`, PALABRE_PREFIX: prefix,
  };
  for (const [k, v] of Object.entries(headers)) params[`HTTP_${k.toUpperCase().replace(/-/g, '_')}`] = String(v);
  const pairs = Buffer.concat(Object.entries(params).map(([k, v]) => {
    const kb = Buffer.from(k);
    const vb = Buffer.from(String(v));
    return Buffer.concat([fcgiLength(kb.length), fcgiLength(vb.length), kb, vb]);
  }));
  const begin = Buffer.from([0, 1, 0, 0, 0, 0, 0, 0]);  // role RESPONDER, no keep-alive
  return Buffer.concat([
    fcgiRecord(1, 1, begin), fcgiRecord(4, 1, pairs), fcgiRecord(4, 1, Buffer.alloc(0)), fcgiRecord(5, 1, Buffer.alloc(0)),
  ]);
}

// Splits a worker's answer into records: feed(chunk) calls onStdout(buffer)
// for each STDOUT record's content and onEnd() at FCGI_END_REQUEST.
class FcgiReader {
  constructor(onStdout, onEnd) {
    this.buf = Buffer.alloc(0);
    this.onStdout = onStdout;
    this.onEnd = onEnd;
    this.ended = false;
  }

  feed(chunk) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    while (!this.ended && this.buf.length >= 8) {
      const len = this.buf.readUInt16BE(4);
      const total = 8 + len + this.buf.readUInt8(6);
      if (this.buf.length < total) break;
      const type = this.buf.readUInt8(1);
      const content = this.buf.subarray(8, 8 + len);
      this.buf = this.buf.subarray(total);
      if (type === 6 && len) this.onStdout(content);
      if (type === 3) {
        this.ended = true;
        this.onEnd();
      }
    }
  }
}

function fcgiRequest(socketPath, method, uri, prefix, headers, timeoutMs) {
  const out = encodeFcgiRequest(method, uri, prefix, headers);
  return new Promise((resolve, reject) => {
    const sock = net.connect({ path: socketPath });
    const stdout = [];
    let done = false;
    const finish = (err) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) return reject(err);
      const raw = Buffer.concat(stdout).toString('utf8');
      const sep = raw.indexOf('\r\n\r\n');
      const head = sep < 0 ? raw : raw.slice(0, sep);
      const text = sep < 0 ? '' : raw.slice(sep + 4);
      const hdrs = {};
      for (const line of head.split('\r\n')) {
        const i = line.indexOf(':');
        if (i > 0) hdrs[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      const status = Number((hdrs.status || '200').split(' ')[0]);
      let json = null;
      try { json = JSON.parse(text); } catch (_) { /* not JSON */ }
      return resolve({ status, headers: hdrs, text, json });
    };
    const timer = setTimeout(() => finish(new Error(`FastCGI ${method} ${uri}: no answer in ${timeoutMs} ms`)), timeoutMs);
    const reader = new FcgiReader((d) => stdout.push(d), () => finish(null));
    sock.on('error', finish);
    sock.on('close', () => finish(new Error(`FastCGI ${method} ${uri}: connection closed before the end of the request`)));
    sock.on('data', (d) => reader.feed(d));
    sock.write(out);
  });
}

// ---------------------------------------------------------------------------
// Server-Sent Events client

class SseClient extends EventEmitter {
  constructor() {
    super();
    this.setMaxListeners(0);
    this.status = 0;
    this.headers = {};
    this.frames = [];      // {id, event, data (parsed JSON or string), raw}
    this.comments = [];    // comment lines (": ping"), without the colon
    this.retry = null;
    this.lastEventId = null;
    this.ended = false;
    this.text = '';        // body of a non-200 answer
    this.json = null;
    this._buf = '';
    this._pending = { id: null, event: null, data: [] };
    this.endPromise = new Promise((resolve) => { this._resolveEnd = resolve; });
  }

  _feed(chunk) {
    // Lines end with CRLF, LF or CR. A chunk ending in CR has ended its line;
    // an LF at the start of the next chunk then belongs to that CRLF.
    if (this._skipLF && chunk.startsWith('\n')) chunk = chunk.slice(1);
    const buf = this._buf + chunk;
    this._skipLF = buf.endsWith('\r');
    const lines = buf.split(/\r\n|\r|\n/);
    this._buf = lines.pop();  // an incomplete last line, or '' after a line end
    for (const line of lines) this._line(line);
  }

  _line(line) {
    if (line === '') {
      const p = this._pending;
      if (p.id !== null) this.lastEventId = p.id;
      if (p.data.length) {
        const raw = p.data.join('\n');
        let data = raw;
        try { data = JSON.parse(raw); } catch (_) { /* keep the text */ }
        const frame = { id: p.id !== null ? p.id : this.lastEventId, event: p.event || 'message', data, raw };
        this.frames.push(frame);
        this.emit('frame', frame);
      }
      this._pending = { id: null, event: null, data: [] };
      return;
    }
    if (line.startsWith(':')) {
      this.comments.push(line.slice(1).trim());
      this.emit('comment', line);
      return;
    }
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    let value = i < 0 ? '' : line.slice(i + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this._pending.data.push(value);
    else if (field === 'event') this._pending.event = value;
    else if (field === 'id') this._pending.id = value;
    else if (field === 'retry') this.retry = Number(value);
  }

  _end(error) {
    if (this.ended) return;
    this.ended = true;
    this.error = error || null;
    this.emit('end');
    this._resolveEnd();
  }

  // Frames of type 'message' (question, answer, announcement).
  messages() {
    return this.frames.filter((f) => f.event === 'message');
  }

  // Resolves with the first frame (already received or future) for which
  // predicate(frame) is true; rejects after timeoutMs or if the stream ends.
  waitFor(predicate, timeoutMs = 10000, what = 'a matching frame') {
    const found = this.frames.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        this.off('frame', onFrame);
        this.off('end', onEnd);
      };
      const onFrame = (f) => { if (predicate(f)) { cleanup(); resolve(f); } };
      const onEnd = () => { cleanup(); reject(new Error(`stream ended before ${what}; got ${this.describe()}`)); };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${this.describe()}`));
      }, timeoutMs);
      this.on('frame', onFrame);
      this.on('end', onEnd);
    });
  }

  // Resolves with the matching frames once there are at least n of them.
  async waitForCount(n, predicate = () => true, timeoutMs = 10000, what = `${n} frames`) {
    const count = () => this.frames.filter(predicate).length;
    if (count() >= n) return this.frames.filter(predicate);
    await this.waitFor(() => count() >= n, timeoutMs, what);
    return this.frames.filter(predicate);
  }

  // Resolves true when the server ends the stream within timeoutMs, else false.
  async waitForEnd(timeoutMs = 10000) {
    if (this.ended) return true;
    let timer;
    const timedOut = new Promise((r) => { timer = setTimeout(() => r(false), timeoutMs); });
    const result = await Promise.race([this.endPromise.then(() => true), timedOut]);
    clearTimeout(timer);
    return result;
  }

  describe() {
    const shown = this.frames.slice(-8).map((f) => `${f.event}#${f.id}:${f.raw.slice(0, 80)}`);
    return `${this.frames.length} frames, ended=${this.ended} [${shown.join(' | ')}]`;
  }

  close() {
    if (this._req) this._req.destroy();
    this._end(null);
  }
}

// ---------------------------------------------------------------------------
// A client holding credentials: a visitor's cookie, a staff cookie, or a
// Bearer token. Cookie-authenticated mutations send Origin and X-CSRF-Token
// like the pages do (override with {origin, csrf: false}).

class Session {
  constructor(cluster, { cookie = null, token = null, csrf = null, visitorId = null, name = null, role = null, eventId = null, localAddress = undefined } = {}) {
    this.cluster = cluster;
    this.localAddress = localAddress;  // the loopback address this person speaks from
    this.cookie = cookie;
    this.token = token;
    this.csrf = csrf;
    this.visitorId = visitorId;
    this.name = name;
    this.role = role;
    this.eventId = eventId;
  }

  _opts(method, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    if (this.token && !('token' in opts)) headers.Authorization = `Bearer ${this.token}`;
    const cookie = 'cookie' in opts ? opts.cookie : this.cookie;
    const mutation = !['GET', 'HEAD', 'OPTIONS'].includes(method);
    if (mutation && cookie && !this.token) {
      const origin = 'origin' in opts ? opts.origin : this.cluster.origin;
      if (origin !== null && origin !== undefined) headers.Origin = origin;
      const csrf = 'csrf' in opts ? opts.csrf : this.csrf;
      if (csrf) headers['X-CSRF-Token'] = csrf;
    }
    const localAddress = 'localAddress' in opts ? opts.localAddress : this.localAddress;
    return { ...opts, headers, cookie, localAddress };
  }

  request(method, p, opts = {}) {
    return this.cluster.request(method, p, this._opts(method, opts));
  }

  get(p, opts) { return this.request('GET', p, opts); }
  post(p, body, opts = {}) { return this.request('POST', p, { ...opts, body }); }
  patch(p, body, opts = {}) { return this.request('PATCH', p, { ...opts, body }); }
  put(p, body, opts = {}) { return this.request('PUT', p, { ...opts, body }); }
  del(p, opts) { return this.request('DELETE', p, opts); }

  sse(p, opts = {}) {
    return this.cluster.sse(p, this._opts('GET', opts));
  }

  // Visitor: ask a question. Resolves the raw response.
  ask(eventId, text, lang) {
    const body = lang ? { text, lang } : { text };
    return this.post(`/api/events/${eventId}/questions`, body);
  }

  // Staff: act on a question (publish, reject, forward, edit, retract).
  act(eventId, qid, action, body, opts = {}) {
    return this.post(`/api/events/${eventId}/questions/${qid}/${action}`, body === undefined ? {} : body, opts);
  }
}

// ---------------------------------------------------------------------------
// The cluster

class Cluster {
  constructor(options, runDir) {
    this.options = options;
    this.runDir = runDir;
    this.prefix = options.prefix;
    this.host = options.listen ? options.listen.host : '127.0.0.1';
    this.port = 0;
    this.origin = '';
    this.url = '';
    this.adminToken = null;
    this.adminPassword = null;
    this.redisSocket = path.join(runDir, 'redis.sock');
    this.redisPort = 0;       // with options.redisTcp
    this.redisBusPort = 0;    // with options.redisCluster: its cluster bus
    this.workerRedis = null;  // {host, port} from options.workerRedis
    this.redis = null;
    this.redisPaused = false;
    this.redisAuth = null;    // {user, password} for redisCli, set by options.redisSetup
    this.nginx = null;
    this.workers = new Array(options.workers).fill(null);
    this.crashes = [];  // workers that exited without being asked to
    this.stopped = false;
    this.workerBin = path.join(BUILD_DIR, 'palabre-worker');
    this.adminBin = path.join(BUILD_DIR, 'palabre-admin');
  }

  // ----- paths and environment

  path(p) {
    if (/^https?:\/\//.test(p)) return p;
    return this.prefix.replace(/\/$/, '') + (p.startsWith('/') ? p : `/${p}`);
  }

  workerSocket(i) { return path.join(this.runDir, `worker-${i + 1}.sock`); }
  // The worker's stream socket (its hub's door), derived from its socket as
  // the worker and nginx/render derive it.
  streamSocket(i) { return path.join(this.runDir, `worker-${i + 1}-streams.sock`); }

  baseEnv() {
    // A clean environment: a developer's own PALABRE_* must not leak in.
    return {
      PATH: process.env.PATH || '/usr/local/bin:/usr/bin:/bin',
      HOME: process.env.HOME || '/tmp',
      LANG: 'C.UTF-8',
      TZ: 'UTC',
      ...sanitizerEnv(),
      ...(this.workerRedis
        ? { PALABRE_REDIS_HOST: this.workerRedis.host, PALABRE_REDIS_PORT: String(this.workerRedis.port) }
        : { PALABRE_REDIS_SOCKET: this.redisSocket }),
      PALABRE_SQLITE_PATH: path.join(this.runDir, 'palabre.db'),
      ...(this.databaseUrl ? { PALABRE_DATABASE_URL: this.databaseUrl } : {}),
      PALABRE_PREFIX: this.prefix,
      ...this.options.env,
    };
  }

  // ----- start-up

  async _start() {
    for (const bin of [this.workerBin, this.adminBin]) {
      if (!fs.existsSync(bin)) {
        throw new Error(`${bin} does not exist: build first (./dev build), or set PALABRE_BUILD_DIR`);
      }
    }
    await this._startRedis();
    if (this.options.workerRedis) this.workerRedis = await this.options.workerRedis(this);
    if (process.env.PALABRE_TEST_DATABASE_URL) this.databaseUrl = await createDatabase(process.env.PALABRE_TEST_DATABASE_URL);
    await this.admin(['migrate']);
    const created = await this.admin(['create-admin', '--login', 'admin', '--if-missing']);
    this.adminPassword = fieldOf(created, 'password');
    this.adminToken = fieldOf(await this.admin(['token', '--login', 'admin']), 'token');
    if (!this.adminToken) throw new Error('palabre-admin token printed no token');
    for (let i = 0; i < this.workers.length; i++) await this.startWorker(i);
    await this._startNginx();
    await this.waitHealthy();
  }

  async _startRedis() {
    for (let attempt = 1; ; attempt++) {
      if (this.options.redisTcp || this.options.redisCluster) this.redisPort = await freePort();
      if (this.options.redisCluster) this.redisBusPort = await freePort();
      try {
        await this.startRedis();
        break;
      } catch (e) {
        // Another process took the port between freePort() and redis's bind().
        if (!(this.options.redisTcp || this.options.redisCluster) || attempt >= 5 || !/in use/i.test(e.message)) throw e;
      }
    }
    // Like redis's own test suite: never run against a database holding data.
    const size = Number(await this.redisCli(['dbsize']));
    if (size !== 0) throw new Error(`refusing to run: the Redis database at ${this.redisSocket} holds ${size} keys`);
    // options.redisSetup(cluster): runs once Redis is up, before any worker
    // (e.g. sets a password: then set cluster.redisAuth for redisCli).
    if (this.options.redisSetup) await this.options.redisSetup(this);
  }

  // Starts redis-server on the cluster's socket (and TCP port, with
  // redisTcp), with the data of the previous run unless empty is true, and
  // waits until it answers PING (it answers LOADING while it replays its
  // append-only file).
  async startRedis({ empty = false } = {}) {
    if (this.redis && !this.redis.exitStatus) throw new Error('redis-server is already running');
    if (empty) {
      fs.rmSync(path.join(this.runDir, 'appendonlydir'), { recursive: true, force: true });
      fs.rmSync(path.join(this.runDir, 'dump.rdb'), { force: true });
    }
    const args = [
      '--port', String(this.redisPort), '--bind', '127.0.0.1',
      '--unixsocket', this.redisSocket, '--unixsocketperm', '700',
      '--dir', this.runDir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always',
      '--maxmemory-policy', 'noeviction', '--logfile', path.join(this.runDir, 'redis.log'),
      ...(this.options.redisCluster
        ? ['--cluster-enabled', 'yes', '--cluster-port', String(this.redisBusPort),
          '--cluster-config-file', path.join(this.runDir, 'redis-nodes.conf')]
        : []),
    ];
    this.redis = track(spawn('redis-server', args, { stdio: 'ignore', env: { PATH: process.env.PATH } }));
    this.redis.on('error', () => {});
    this.redisPaused = false;
    await waitUntil(async () => {
      if (this.redis.exitStatus) throw new Error(`redis-server exited: ${tail(path.join(this.runDir, 'redis.log'), 10)}`);
      return (await run('redis-cli', ['-s', this.redisSocket, 'ping'])).stdout.trim() === 'PONG';
    }, { timeoutMs: 20000, what: 'redis-server to answer PING' });
    if (this.options.redisCluster) await this._ownAllSlots();
  }

  // The single node takes every slot (kept in its nodes file across a
  // restart: then there is nothing to add) and waits for cluster_state:ok.
  async _ownAllSlots() {
    const info = () => run('redis-cli', ['-s', this.redisSocket, 'cluster', 'info']);
    if (!/cluster_slots_assigned:16384/.test((await info()).stdout)) {
      const r = await run('redis-cli', ['-s', this.redisSocket, 'cluster', 'addslotsrange', '0', '16383']);
      if (r.stdout.trim() !== 'OK') throw new Error(`CLUSTER ADDSLOTSRANGE: ${r.stdout} ${r.stderr}`);
    }
    await waitUntil(async () => /cluster_state:ok/.test((await info()).stdout),
      { timeoutMs: 20000, what: 'the one-node Redis cluster to be ok' });
  }

  // Ends redis-server (SIGKILL by default: a crash) and waits for it.
  async killRedis(signal = 'SIGKILL') {
    if (!this.redis || this.redis.exitStatus) return this.redis && this.redis.exitStatus;
    if (this.redisPaused && signal !== 'SIGKILL') this.redis.kill('SIGCONT');
    return terminate(this.redis, signal);
  }

  async restartRedis({ signal = 'SIGKILL', empty = false } = {}) {
    await this.killRedis(signal);
    await this.startRedis({ empty });
  }

  // Freezes redis-server (SIGSTOP): connections stay open, nothing answers.
  pauseRedis() {
    this.redis.kill('SIGSTOP');
    this.redisPaused = true;
  }

  resumeRedis() {
    this.redis.kill('SIGCONT');
    this.redisPaused = false;
  }

  async _startNginx() {
    const sockets = this.workers.map((_, i) => this.workerSocket(i));
    for (let attempt = 1; ; attempt++) {
      this.port = this.options.listen ? this.options.listen.port : await freePort();
      this.origin = `http://${this.host}:${this.port}`;
      this.url = this.origin + this.prefix.replace(/\/$/, '');
      const render = await run('bash', [
        path.join(SOURCE_DIR, 'nginx', 'render'), '--out', this.runDir, '--run-dir', this.runDir,
        '--static-dir', path.join(SOURCE_DIR, 'static'), '--prefix', this.prefix,
        '--listen', `${this.host}:${this.port}`, '--nginx-workers', String(this.options.nginxWorkers),
        '--public-url', `${this.origin}${this.prefix}`, ...(this.options.renderArgs || []), ...sockets,
      ]);
      if (render.code !== 0) throw new Error(`nginx/render failed: ${render.stderr}`);
      const base = ['-p', this.runDir, '-c', path.join(this.runDir, 'nginx.conf'), '-e', path.join(this.runDir, 'nginx-error.log')];
      const inHost = this.options.inHost || ((cmd, args) => [cmd, args]);
      const check = await run(...inHost('nginx', ['-t', '-q', ...base]));
      if (check.code !== 0) throw new Error(`nginx -t refused the rendered configuration: ${check.stderr}`);
      const [nginxCmd, nginxArgs] = inHost('nginx', [...base, '-g', 'daemon off;']);
      this.nginx = track(spawn(nginxCmd, nginxArgs, { stdio: ['ignore', 'ignore', 'pipe'] }));
      let stderr = '';
      this.nginx.stderr.on('data', (d) => { stderr += d; });
      const up = await waitUntil(async () => {
        if (this.nginx.exitStatus) return 'exited';
        return (await canConnect({ host: this.host, port: this.port })) ? 'up' : false;
      }, { timeoutMs: 10000, what: 'nginx to listen' });
      if (up === 'up') return;
      // Another process took the port between freePort() and nginx's bind().
      if (attempt >= 5 || !/in use/.test(stderr + tail(path.join(this.runDir, 'nginx-error.log'), 5))) {
        throw new Error(`nginx did not start: ${stderr} ${tail(path.join(this.runDir, 'nginx-error.log'), 10)}`);
      }
    }
  }

  async waitHealthy(timeoutMs = 30000) {
    let last = null;
    try {
      await waitUntil(async () => {
        last = await this.request('GET', '/healthz', { timeoutMs: 3000 });
        return last.status === 200;
      }, { timeoutMs, intervalMs: 100, what: 'GET /healthz to answer 200' });
    } catch (e) {
      const got = last ? `${last.status} ${last.text.slice(0, 200)}` : 'no answer';
      throw new Error(`${e.message}; last answer: ${got}\n${this.logs()}`);
    }
  }

  // ----- processes

  async startWorker(i) {
    if (this.workers[i] && !this.workers[i].exitStatus) throw new Error(`worker ${i} is already running`);
    const sock = this.workerSocket(i);
    fs.rmSync(sock, { force: true });
    const logPath = path.join(this.runDir, `worker-${i + 1}.log`);
    const log = fs.openSync(logPath, 'a');
    // options.workerCommand(i, {bin, sock, streamSock, env}) → {cmd, args,
    // env}: how worker i starts, e.g. under a socket activator
    // (systemd.test.js); by default the binary itself.
    const own = { cmd: this.workerBin, args: [], env: { ...this.baseEnv(), PALABRE_LISTEN: sock } };
    const launch = this.options.workerCommand
      ? this.options.workerCommand(i, { bin: this.workerBin, sock, streamSock: this.streamSocket(i), env: own.env })
      : own;
    const child = track(spawn(launch.cmd, launch.args, { env: launch.env, stdio: ['ignore', log, log] }));
    fs.closeSync(log);
    child.on('error', () => {});
    child.index = i;
    child.expectedExit = false;
    child.exited.then((status) => {
      if (!child.expectedExit && !this.stopped) this.crashes.push({ worker: i, ...status, log: tail(logPath, 20) });
    });
    this.workers[i] = child;
    await waitUntil(async () => {
      if (child.exitStatus) {
        throw new Error(`worker ${i} exited (${JSON.stringify(child.exitStatus)}): ${tail(logPath, 20)}`);
      }
      return canConnect({ path: sock });
    }, { timeoutMs: 15000, what: `worker ${i} to accept on ${sock}` });
    return child.pid;
  }

  // Stops worker i (SIGTERM by default: a graceful stop) and waits for it.
  async killWorker(i, signal = 'SIGTERM') {
    const child = this.workers[i];
    if (!child || child.exitStatus) return child ? child.exitStatus : null;
    child.expectedExit = true;
    return terminate(child, signal);
  }

  workerPids() {
    return this.workers.map((w) => (w && !w.exitStatus ? w.pid : null));
  }

  // Sends a signal to worker i without waiting; resolves at once with the
  // child (child.exited resolves when it exits). SIGTERM, SIGINT and SIGKILL
  // mark the exit as expected.
  signalWorker(i, signal) {
    const child = this.workers[i];
    if (!child || child.exitStatus) throw new Error(`worker ${i} is not running`);
    if (['SIGTERM', 'SIGINT', 'SIGKILL'].includes(signal)) child.expectedExit = true;
    child.kill(signal);
    return child;
  }

  // nginx's worker processes (children of the master), with the ones an
  // earlier reload left behind marked shuttingDown.
  nginxWorkers() {
    if (!this.nginx || this.nginx.exitStatus) return [];
    const out = [];
    for (const name of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid !== this.nginx.pid) continue;
        const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8');
        if (!/worker process/.test(cmdline)) continue;
        out.push({ pid: Number(name), shuttingDown: /shutting down/.test(cmdline) });
      } catch (_) { /* exited meanwhile */ }
    }
    return out;
  }

  // nginx -s reload (SIGHUP to the master), then waits until the configured
  // number of new workers run. Resolves the pids of the workers before it.
  async reloadNginx(timeoutMs = 10000) {
    const before = this.nginxWorkers().map((w) => w.pid);
    this.nginx.kill('SIGHUP');
    await waitUntil(() => {
      const fresh = this.nginxWorkers().filter((w) => !w.shuttingDown && !before.includes(w.pid));
      return fresh.length >= this.options.nginxWorkers;
    }, { timeoutMs, what: 'new nginx workers after a reload' });
    return before;
  }

  // Workers that exited without being asked to (crashes), with their log's end.
  unexpectedExits() { return this.crashes.slice(); }

  async stop() {
    if (this.stopped) return;
    this.stopped = true;
    if (this.crashes.length || process.env.PALABRE_TEST_LOGS === '1') {
      process.stderr.write(`\n--- logs of the cluster in ${this.runDir} ---\n${this.logs()}\n`);
    }
    await terminate(this.nginx, 'SIGTERM');
    await Promise.all(this.workers.map((w) => {
      if (w) w.expectedExit = true;
      return terminate(w, 'SIGTERM');
    }));
    if (this.redis && this.redisPaused && !this.redis.exitStatus) this.resumeRedis();
    // In cluster mode, a command that touched two slots anywhere (even one
    // whose failure a worker shrugged off) fails the file.
    const crossSlot = this.options.redisCluster && this.redis && !this.redis.exitStatus
      ? await this.crossSlotErrors().catch(() => 0) : 0;
    await terminate(this.redis, 'SIGTERM');
    // A worker that died on its own, or a sanitizer report in a worker's log,
    // fails the file that started the cluster (after() rejects), even when
    // none of its tests looked at unexpectedExits().
    const reports = fs.existsSync(this.runDir)
      ? fs.readdirSync(this.runDir).filter((n) => /^worker-\d+\.log$/.test(n))
        .flatMap((n) => sanitizerReports(path.join(this.runDir, n)))
      : [];
    if (process.env.PALABRE_KEEP_RUN_DIR === '1') {
      process.stderr.write(`kept the run dir ${this.runDir}\n`);
    } else {
      fs.rmSync(this.runDir, { recursive: true, force: true });
    }
    liveRunDirs.delete(this.runDir);
    if (this.crashes.length || reports.length || crossSlot) {
      const crashed = this.crashes.map((x) => `worker ${x.worker} exited on its own (${JSON.stringify({ code: x.code, signal: x.signal })})`);
      const slots = crossSlot ? [`Redis refused ${crossSlot} command(s) with CROSSSLOT`] : [];
      throw new Error(`cluster ${this.runDir}: ${[...crashed, ...reports, ...slots].join('\n')}`);
    }
  }

  logs(lines = 30) {
    const parts = [];
    for (const name of fs.existsSync(this.runDir) ? fs.readdirSync(this.runDir).sort() : []) {
      if (/^worker-\d+\.log$|^nginx-error\.log$|^redis\.log$/.test(name)) {
        parts.push(`== ${name}\n${tail(path.join(this.runDir, name), lines)}`);
      }
    }
    return parts.join('\n');
  }

  // nginx's access log, one object per request (see nginx/nginx.conf.in).
  accessLog() {
    const text = fs.existsSync(path.join(this.runDir, 'nginx-access.log'))
      ? fs.readFileSync(path.join(this.runDir, 'nginx-access.log'), 'utf8') : '';
    return text.split('\n').filter(Boolean).map((l) => { try { return JSON.parse(l); } catch (_) { return { raw: l }; } });
  }

  // ----- tools

  // With cluster.redisAuth ({user, password}) set, as that user.
  // How many commands Redis refused with CROSSSLOT since it started.
  async crossSlotErrors() {
    const m = /errorstat_CROSSSLOT:count=(\d+)/.exec(await this.redisCli(['info', 'errorstats']));
    return m ? Number(m[1]) : 0;
  }

  async redisCli(args) {
    const auth = this.redisAuth
      ? [...(this.redisAuth.user ? ['--user', this.redisAuth.user] : []), '--pass', this.redisAuth.password, '--no-auth-warning']
      : [];
    const r = await run('redis-cli', ['-s', this.redisSocket, ...auth, ...args.map(String)]);
    if (r.code !== 0) throw new Error(`redis-cli ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout.trim();
  }

  // A query on the cluster's SQL store, read-only on SQLite; resolves its
  // rows as sqlite3 and psql -At print them.
  async sql(query) {
    const { cmd, args } = this.sqlCommand(query);
    const r = await run(cmd, args);
    if (r.code !== 0) throw new Error(`sql ${query} failed: ${r.stderr}`);
    return r.stdout.trim();
  }

  // The command line of sql(query), for tests that run it synchronously.
  sqlCommand(query) {
    if (this.databaseUrl) return { cmd: psqlBin(), args: ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-d', this.databaseUrl, '-c', query] };
    return { cmd: 'sqlite3', args: ['-readonly', path.join(this.runDir, 'palabre.db'), query] };
  }

  // Runs palabre-admin with the cluster's environment; resolves its stdout,
  // throws with its stderr when it exits non-zero.
  async admin(args, { allowFailure = false } = {}) {
    const r = await run(this.adminBin, args, { env: this.baseEnv() });
    if (allowFailure) return r;
    if (r.code !== 0) throw new Error(`palabre-admin ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  // Speaks FastCGI to worker i directly, bypassing nginx (e.g. to read each
  // worker's own /metrics). Resolves {status, headers, text, json}.
  // streams: to the worker's stream socket (its hub's door) instead.
  fcgi(i, method, p, { headers = {}, timeoutMs = 10000, streams = false } = {}) {
    const socket = streams ? this.streamSocket(i) : this.workerSocket(i);
    return fcgiRequest(socket, method, this.path(p), this.prefix, headers, timeoutMs);
  }

  // ----- HTTP

  // Resolves {status, headers, text, json, body}. opts: body (object → JSON,
  // string or Buffer as is), headers, cookie, token (Bearer), timeoutMs,
  // localAddress (source address, e.g. '127.0.0.2').
  request(method, p, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    if (opts.cookie) headers.Cookie = opts.cookie;
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    const body = encodeBody(opts.body, headers);
    const url = new URL(this.path(p), this.origin);
    return new Promise((resolve, reject) => {
      const req = http.request({
        host: this.host, port: this.port, method, path: url.pathname + url.search,
        headers, agent: false, localAddress: opts.localAddress,
      }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => { clearTimeout(timer); resolve(parseResponse(res, Buffer.concat(chunks))); });
        res.on('error', (e) => { clearTimeout(timer); reject(e); });
      });
      const timer = setTimeout(() => req.destroy(new Error(`${method} ${p}: no answer in ${opts.timeoutMs || 30000} ms`)),
        opts.timeoutMs || 30000);
      req.on('error', (e) => { clearTimeout(timer); reject(e); });
      req.end(body || undefined);
    });
  }

  get(p, opts) { return this.request('GET', p, opts); }

  // Opens a Server-Sent Events stream; resolves once the response headers
  // arrived (check .status). opts: lastEventId (header), headers, cookie, token,
  // localAddress.
  sse(p, opts = {}) {
    const headers = { Accept: 'text/event-stream', ...(opts.headers || {}) };
    if (opts.lastEventId !== undefined && opts.lastEventId !== null) headers['Last-Event-ID'] = opts.lastEventId;
    if (opts.cookie) headers.Cookie = opts.cookie;
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    const url = new URL(this.path(p), this.origin);
    const client = new SseClient();
    return new Promise((resolve, reject) => {
      const req = http.request({
        host: this.host, port: this.port, method: 'GET', path: url.pathname + url.search,
        headers, agent: false, localAddress: opts.localAddress,
      }, (res) => {
        clearTimeout(timer);
        client.status = res.statusCode;
        client.headers = res.headers;
        res.setEncoding('utf8');
        if (res.statusCode !== 200) {
          res.on('data', (c) => { client.text += c; });
          res.on('end', () => {
            try { client.json = JSON.parse(client.text); } catch (_) { client.json = null; }
            client._end(null);
            resolve(client);
          });
          return;
        }
        res.on('data', (c) => client._feed(c));
        res.on('end', () => client._end(null));
        res.on('error', (e) => client._end(e));
        res.on('close', () => client._end(null));
        resolve(client);
      });
      client._req = req;
      const timer = setTimeout(() => req.destroy(new Error(`GET ${p}: no response headers in 15 s`)), 15000);
      req.on('error', (e) => {
        clearTimeout(timer);
        if (client.status) client._end(e);
        else reject(e);
      });
      req.end();
    });
  }

  // Long-poll: GET .../poll[?after=cursor]. Resolves the response plus
  // elapsedMs.
  async poll(p, { after, ...opts } = {}) {
    let full = p;
    if (after !== undefined && after !== null) full += `${p.includes('?') ? '&' : '?'}after=${encodeURIComponent(after)}`;
    const t0 = Date.now();
    const res = await this.request('GET', full, { timeoutMs: 90000, ...opts });
    res.elapsedMs = Date.now() - t0;
    return res;
  }

  // ----- Palabre helpers

  asAdmin() { return new Session(this, { token: this.adminToken, role: 'admin' }); }
  bearer(token, role = null, eventId = null) { return new Session(this, { token, role, eventId }); }

  // POST /api/events as admin; body is merged over a live-now default event.
  async createEvent(body = {}) {
    const res = await this.request('POST', '/api/events', { token: this.adminToken, body: liveEventBody(body) });
    return expectOk(res, 201, 'POST /api/events');
  }

  async invite(eventId, body) {
    const res = await this.request('POST', `/api/events/${eventId}/invites`, { token: this.adminToken, body: body || {} });
    return expectOk(res, 201, `POST /api/events/${eventId}/invites`);
  }

  // A visitor: POST .../join, keeping the palabre_v cookie. `from`: the
  // loopback address (e.g. '127.0.0.9') this visitor speaks from, for every
  // request of the session (limits and bans are per address too).
  async join(eventId, name, { lang, from } = {}) {
    const body = lang ? { name, lang } : { name };
    const res = await this.request('POST', `/api/events/${eventId}/join`, { body, headers: { Origin: this.origin }, localAddress: from });
    expectOk(res, 200, `POST /api/events/${eventId}/join`);
    const c = cookiePair(res, 'palabre_v');
    assert.ok(c, `join sets the palabre_v cookie (got ${JSON.stringify(res.headers['set-cookie'])})`);
    const s = new Session(this, { cookie: c.pair, csrf: res.json.csrf_token, visitorId: res.json.visitor_id, name: res.json.name, eventId, localAddress: from });
    s.cookieAttributes = c.attributes;
    return s;
  }

  // Staff: exchange an invite token for the palabre_s cookie.
  async exchange(token) {
    const res = await this.request('POST', '/api/auth/exchange', { body: { token }, headers: { Origin: this.origin } });
    expectOk(res, 200, 'POST /api/auth/exchange');
    const c = cookiePair(res, 'palabre_s');
    assert.ok(c, `exchange sets the palabre_s cookie (got ${JSON.stringify(res.headers['set-cookie'])})`);
    const s = new Session(this, { cookie: c.pair, csrf: res.json.csrf_token, role: res.json.role, eventId: res.json.event_id });
    s.cookieAttributes = c.attributes;
    return s;
  }
}

function psqlBin() {
  return process.env.PALABRE_TEST_PG_BIN ? path.join(process.env.PALABRE_TEST_PG_BIN, 'psql') : 'psql';
}

// A new empty database on the server of `serverUrl` (a libpq URI); resolves
// the URI of the new database.
let databasesCreated = 0;
async function createDatabase(serverUrl) {
  const name = `plb_${process.pid}_${++databasesCreated}`;
  const r = await run(psqlBin(), ['-X', '-qAt', '-v', 'ON_ERROR_STOP=1', '-d', serverUrl, '-c', `CREATE DATABASE ${name}`]);
  if (r.code !== 0) throw new Error(`CREATE DATABASE ${name} failed: ${r.stderr}`);
  return serverUrl.replace(/^(postgres(?:ql)?:\/\/[^/?]*\/)[^?]*/, `$1${name}`);
}

async function startCluster(options = {}) {
  const opts = { workers: 2, nginxWorkers: 1, prefix: '/', env: {}, ...options };
  // PALABRE_TEST_REDIS_CLUSTER=1 runs any test against a one-node Redis in
  // cluster mode (a test that sets redisCluster itself keeps its choice).
  if (process.env.PALABRE_TEST_REDIS_CLUSTER === '1' && options.redisCluster === undefined) opts.redisCluster = true;
  if (!/^\/([A-Za-z0-9._~-]+\/)*$/.test(opts.prefix)) throw new Error(`bad prefix ${opts.prefix}`);
  // Short, so that unix socket paths stay far below the kernel's 107 bytes.
  const runDir = fs.mkdtempSync('/tmp/plb-');
  liveRunDirs.add(runDir);
  const cluster = new Cluster(opts, runDir);
  try {
    await cluster._start();
  } catch (e) {
    await cluster.stop().catch(() => {});
    throw e;
  }
  return cluster;
}

module.exports = {
  startCluster,
  liveEventBody,
  isoIn,
  waitUntil,
  sleep,
  expectError,
  expectOk,
  fieldOf,
  cookiePair,
  Cluster,
  SseClient,
  Session,
  SOURCE_DIR,
  BUILD_DIR,
  freePort,
  encodeFcgiRequest,
  fcgiRequest,
  FcgiReader,
  run,
  tail,
  track,
  terminate,
};
