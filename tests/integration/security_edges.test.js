'use strict';
// The edges of the deployment, through nginx: links never come from client
// headers (nginx's one-second copy cannot be poisoned), the FastCGI socket
// and the database are private, idle local connections cannot pin the
// accept threads, and nginx's own errors are the contract's JSON with the
// security headers.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { startCluster, expectError, expectOk, sleep } = require('../support/cluster');

let c;
let E;

// The raw HTTP answer to bytes written on a fresh connection to nginx.
function rawHttp(bytes, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port: c.port });
    const chunks = [];
    const timer = setTimeout(() => { sock.destroy(); reject(new Error('no answer')); }, timeoutMs);
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', () => {});
    sock.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const status = Number((head.match(/^HTTP\/1\.1 (\d+)/) || [])[1]);
      const headers = {};
      for (const line of head.split('\r\n').slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status, headers, body: rest.join('\r\n\r\n') });
    });
    sock.end(bytes);
  });
}

function assertSecurityHeaders(headers, what) {
  assert.match(headers['content-security-policy'] || '', /default-src 'self'/, `${what}: CSP`);
  assert.equal(headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.equal(headers['referrer-policy'], 'no-referrer', `${what}: referrer policy`);
}

before(async () => {
  c = await startCluster({
    workers: 2, nginxWorkers: 1,
    env: { PALABRE_ACCEPT_THREADS: '2', PALABRE_FCGI_READ_TIMEOUT_S: '1' },
  });
  E = (await c.createEvent({ title: 'Bords' })).id;
});

after(async () => {
  if (c) await c.stop();
});

describe('links come from the configured public URL only', () => {
  const hostile = { Host: 'evil.test', 'X-Forwarded-Host': 'evil.test', 'X-Forwarded-Proto': 'https' };

  it('a crowd with a forged Host cannot poison the event details nginx keeps', async () => {
    let cached = 0;
    for (let i = 0; i < 30; i++) {
      const res = await c.get(`/api/events/${E}`, { headers: hostile });
      const ev = expectOk(res, 200, `forged request ${i}`);
      assert.equal(ev.url, `${c.origin}/e/${E}`, 'the url ignores Host and X-Forwarded-*');
      if (res.headers['palabre-cache'] === 'HIT') cached++;
    }
    assert.ok(cached > 0, 'the crowd was served from nginx\'s copy (so the test exercised it)');
    const plain = expectOk(await c.get(`/api/events/${E}`), 200, 'an ordinary visitor');
    assert.equal(plain.url, `${c.origin}/e/${E}`);
    assert.doesNotMatch(JSON.stringify(plain), /evil\.test/);
  });

  it('invite links, the calendar, the list and transcripts ignore the Host header too', async () => {
    const inv = await c.request('POST', `/api/events/${E}/invites`, { token: c.adminToken, body: {}, headers: hostile });
    const pair = expectOk(inv, 201, 'invites');
    assert.ok(pair.moderator_url.startsWith(`${c.origin}/e/${E}/moderate#t=`), pair.moderator_url);
    assert.ok(pair.guest_url.startsWith(`${c.origin}/e/${E}/guest#t=`), pair.guest_url);
    const ics = await c.get(`/api/events/${E}/calendar.ics`, { headers: hostile });
    assert.equal(ics.status, 200);
    assert.match(ics.text, new RegExp(`URL:${c.origin.replace(/[.]/g, '\\.')}/e/${E}\\r\\n`));
    assert.doesNotMatch(ics.text, /evil\.test/);
    const list = expectOk(await c.get('/api/events', { headers: hostile }), 200, 'list');
    assert.ok(list.events.every((ev) => ev.url.startsWith(`${c.origin}/`)));
    const transcript = await c.get(`/api/events/${E}/transcript.json`, { headers: hostile });
    assert.doesNotMatch(transcript.text, /evil\.test/);
  });
});

describe('the FastCGI socket and the database', () => {
  it('creates the worker sockets 0660 and the SQLite files 0640', () => {
    for (let i = 0; i < 2; i++) {
      const mode = fs.statSync(c.workerSocket(i)).mode & 0o777;
      assert.equal(mode.toString(8), '660', `worker ${i}'s socket`);
      const door = fs.statSync(c.streamSocket(i)).mode & 0o777;
      assert.equal(door.toString(8), '660', `worker ${i}'s stream socket`);
    }
    for (const name of ['palabre.db', 'palabre.db-wal', 'palabre.db-shm']) {
      const file = path.join(c.runDir, name);
      if (!fs.existsSync(file)) continue;
      const mode = fs.statSync(file).mode & 0o777;
      assert.equal(mode & 0o037, 0, `${name} is ${mode.toString(8)}: no group write, nothing for others`);
    }
  });

  it('drops local connections that send nothing, so they cannot pin the accept threads', async () => {
    // Twice as many silent connections as the worker has accept threads.
    const silent = [];
    for (let i = 0; i < 4; i++) {
      const s = net.connect({ path: c.workerSocket(0) });
      s.on('error', () => {});
      silent.push(s);
    }
    const closed = silent.map((s) => new Promise((resolve) => s.on('close', resolve)));
    try {
      await sleep(200);
      const t0 = Date.now();
      const res = await c.fcgi(0, 'GET', '/healthz', { timeoutMs: 8000 });
      assert.equal(res.status, 200, 'the worker still answers');
      assert.ok(Date.now() - t0 < 6000, `answered after ${Date.now() - t0} ms`);
      await Promise.race([Promise.all(closed), sleep(6000).then(() => { throw new Error('silent connections were kept open'); })]);
    } finally {
      for (const s of silent) s.destroy();
    }
  });
});

describe('nginx\'s own errors', () => {
  it('answers a header too large with a JSON 400 and the security headers', async () => {
    const res = await rawHttp(`GET /api/events HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\nConnection: close\r\n\r\n`);
    assert.equal(res.status, 400);
    assert.match(res.headers['content-type'] || '', /^application\/json/);
    assert.equal(JSON.parse(res.body).error.code, 'bad_request');
    assertSecurityHeaders(res.headers, '400');
  });

  it('answers an address too long with a JSON 414 and the security headers', async () => {
    const res = await rawHttp(`GET /api/events/${'a'.repeat(20000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.equal(res.status, 414);
    assert.match(res.headers['content-type'] || '', /^application\/json/);
    assert.equal(JSON.parse(res.body).error.code, 'bad_request');
    assertSecurityHeaders(res.headers, '414');
  });

  it('answers a body over nginx\'s limit with a JSON 413 and the security headers', async () => {
    const res = await c.request('POST', `/api/events/${E}/join`, { body: 'x'.repeat(2 * 1024 * 1024) });
    expectError(res, 413, 'payload_too_large', 'a 2 MiB body');
    assertSecurityHeaders(res.headers, '413');
  });

  it('answers with a JSON 502 and the security headers when no worker is reachable', async () => {
    await c.killWorker(0);
    await c.killWorker(1);
    try {
      const res = await c.get(`/api/events/${E}/queue`);
      expectError(res, 502, 'store_unavailable', 'no worker');
      assertSecurityHeaders(res.headers, '502');
    } finally {
      await c.startWorker(0);
      await c.startWorker(1);
      await c.waitHealthy();
    }
  });
});
