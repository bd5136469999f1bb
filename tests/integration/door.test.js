'use strict';
// The hub's door (ARCHITECTURE.md, "The door"): nginx sends the live
// locations to each worker's stream socket and keeps the connections; the
// hub parks a poll or a reconnect whose cursor its copy holds by itself, and
// leaves everything else to the ordinary handlers. These tests check that
// the answers are the same either way, that the fast path is really taken
// (the worker's counters), and that the door survives what nginx never sends.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const { execFileSync } = require('node:child_process');
const { startCluster, expectOk, waitUntil, sleep } = require('../support/cluster');

// Redis keeps this many entries of a stream (MAXLEN); the archive keeps all.
const HISTORY_MAX = 12;

let c;
let counter = 0;

async function newDebate(title) {
  const ev = await c.createEvent({ title });
  const inv = await c.invite(ev.id);
  return { id: ev.id, base: `/api/events/${ev.id}`, mod: c.bearer(inv.moderator_token) };
}

async function announce(d, text = `Annonce ${++counter}`) {
  return expectOk(await d.mod.post(`${d.base}/announcements`, { text, lang: 'fr' }), 201, 'announcement');
}

async function doorCounters() {
  const res = await c.fcgi(0, 'GET', '/metrics?scope=process');
  const value = (name) => Number((res.text.match(new RegExp(`^${name} (\\d+)`, 'm')) || [])[1]);
  return {
    connections: value('palabre_door_connections_total'),
    requests: value('palabre_door_requests_total'),
    byHub: value('palabre_door_served_by_hub_total'),
  };
}

before(async () => {
  c = await startCluster({
    workers: 1,
    nginxWorkers: 1,
    env: { PALABRE_FCGI_READ_TIMEOUT_S: '1', PALABRE_HISTORY_MAX_ENTRIES: String(HISTORY_MAX) },
  });
});

after(async () => {
  if (c) await c.stop();
});

describe('long-poll through the door', () => {
  it('answers a chain of polls in order, parked by the hub on kept connections', async () => {
    const d = await newDebate('Porte');
    let cursor = (await c.poll(`${d.base}/poll`)).json.cursor;
    const before = await doorCounters();
    const got = [];
    const sent = [];
    for (let i = 0; i < 10; i++) {
      const waiting = c.poll(`${d.base}/poll`, { after: cursor });
      await sleep(30);
      sent.push((await announce(d, `Tour ${i}`)).id);
      const res = await waiting;
      assert.equal(res.status, 200, res.text);
      for (const item of res.json.items) got.push(item.data.id);
      cursor = res.json.cursor;
    }
    assert.deepEqual(got, sent, 'every message once, in order');
    const last = await (async () => {
      const waiting = c.poll(`${d.base}/poll`, { after: cursor });
      await sleep(30);
      await announce(d, 'Dernier tour');
      return waiting;
    })();
    // One record with its length from the hub: nginx passes it on unchunked.
    assert.equal(Number(last.headers['content-length']), Buffer.byteLength(last.text));
    assert.equal(last.headers['transfer-encoding'], undefined);
    const afterCounts = await doorCounters();
    assert.equal(afterCounts.requests - before.requests, 11);
    assert.ok(afterCounts.byHub - before.byHub >= 10, `parked by the hub: ${afterCounts.byHub - before.byHub} of 11`);
    assert.ok(afterCounts.connections - before.connections <= 2,
      `nginx kept its connections: ${afterCounts.connections - before.connections} new for 11 polls`);
  });

  it('answers at once from the copy when entries follow the cursor', async () => {
    const d = await newDebate('Rattrapage');
    const first = await c.poll(`${d.base}/poll`);
    await announce(d, 'un');
    const waiting = await c.poll(`${d.base}/poll`, { after: first.json.cursor });  // parks: the copy now exists
    assert.equal(waiting.json.items.length, 1);
    const ids = [(await announce(d, 'deux')).id, (await announce(d, 'trois')).id];
    await waitUntil(async () => (await c.poll(`${d.base}/poll`, { after: waiting.json.cursor })).json.items.length === 2,
      { timeoutMs: 5000, what: 'both entries in the copy' });
    const res = await c.poll(`${d.base}/poll`, { after: waiting.json.cursor });
    assert.deepEqual(res.json.items.map((i) => i.data.id), ids);
    assert.ok(res.elapsedMs < 1000, `answered at once (${res.elapsedMs} ms)`);
  });

  it('gives the same reset as before for cursors the copy cannot honour', async () => {
    const d = await newDebate('Curseurs');
    const m = await announce(d);
    const first = await c.poll(`${d.base}/poll`);
    assert.equal(first.json.items.at(-1).data.id, m.id);
    await c.poll(`${d.base}/poll`, { after: first.json.cursor, timeoutMs: 500 }).catch(() => {});  // the hub follows it
    const epoch = first.json.cursor.split('.')[0];
    const otherEpoch = await c.poll(`${d.base}/poll`, { after: `zz${epoch}.1-0` });
    assert.equal(otherEpoch.json.reset, true, otherEpoch.text);
    const ahead = await c.poll(`${d.base}/poll`, { after: `${epoch}.99999999999999-0` });
    assert.equal(ahead.json.reset, true, ahead.text);
    const bad = await c.poll(`${d.base}/poll`, { after: 'not a cursor' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, 'bad_request');
    const unknown = await c.poll('/api/events/nosuchdebate/poll', { after: first.json.cursor });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.code, 'not_found');
  });
});

describe('streams through the door', () => {
  it('resumes an SSE stream after its Last-Event-ID from the copy, nothing missed or repeated', async () => {
    const d = await newDebate('Reprise SSE');
    const s1 = await c.sse(`${d.base}/stream`);
    const sent = [(await announce(d)).id, (await announce(d)).id];
    const seen = await s1.waitForCount(2, (f) => f.event === 'message', 5000, 'two messages');
    const lastId = seen.at(-1).id;
    s1.close();
    sent.push((await announce(d)).id, (await announce(d)).id);
    const before = await doorCounters();
    const s2 = await c.sse(`${d.base}/stream`, { lastEventId: lastId });
    const rest = await s2.waitForCount(2, (f) => f.event === 'message', 5000, 'the two after the cursor');
    await sleep(200);
    assert.deepEqual(s2.messages().filter((f) => f.event === 'message').map((f) => f.data.id), sent.slice(2));
    assert.equal(rest.length, 2);
    s2.close();
    const afterCounts = await doorCounters();
    assert.equal(afterCounts.byHub - before.byHub, 1, 'the reconnection was parked by the hub');
  });

  it('opens a newcomer\'s stream from the copy: the whole history, then live', async () => {
    const d = await newDebate('Nouveaux');
    const sent = [(await announce(d)).id, (await announce(d)).id];
    const first = await c.sse(`${d.base}/stream`);  // the worker starts following the debate
    await first.waitForCount(2, (f) => f.event === 'message', 5000, 'the history');
    const before = await doorCounters();
    const newcomer = await c.sse(`${d.base}/stream`);
    await newcomer.waitForCount(2, (f) => f.event === 'message', 5000, 'the history');
    sent.push((await announce(d)).id);
    await newcomer.waitForCount(3, (f) => f.event === 'message', 5000, 'the live message');
    await sleep(200);
    assert.deepEqual(newcomer.messages().filter((f) => f.event === 'message').map((f) => f.data.id), sent);
    assert.equal((await doorCounters()).byHub - before.byHub, 1, 'the newcomer was parked by the hub');
    first.close();
    newcomer.close();
  });

  it('leaves a newcomer to the handler once Redis trimmed the stream: the whole history from the archive', async () => {
    const d = await newDebate('Historique long');
    const sent = [];
    for (let i = 0; i < HISTORY_MAX + 5; i++) sent.push((await announce(d, `Ancien ${i}`)).id);
    const first = await c.sse(`${d.base}/stream`);  // the worker follows the (trimmed) stream
    await first.waitForCount(sent.length, (f) => f.event === 'message', 5000, 'the whole history');
    const before = await doorCounters();
    const newcomer = await c.sse(`${d.base}/stream`);
    await newcomer.waitForCount(sent.length, (f) => f.event === 'message', 5000, 'the whole history');
    assert.deepEqual(newcomer.messages().filter((f) => f.event === 'message').map((f) => f.data.id), sent);
    assert.equal((await doorCounters()).byHub - before.byHub, 0, 'not from the copy, which lacks the start');
    first.close();
    newcomer.close();
  });

  it('reads a joined visitor from Redis: the hub parks their poll, and a ban closes and then refuses their stream', async () => {
    const d = await newDebate('Visiteurs');
    await announce(d);
    const v = await c.join(d.id, 'Camille');
    const pollAfter = (cursor) => v.request('GET', `${d.base}/poll?after=${encodeURIComponent(cursor)}`, { timeoutMs: 10000 });
    const first = await v.get(`${d.base}/poll`);
    // A first parked poll makes the worker follow the debate; the next one
    // finds the copy.
    const parked = pollAfter(first.json.cursor);
    await sleep(50);
    const m1 = await announce(d);
    const one = await parked;
    assert.equal(one.json.items[0].data.id, m1.id);
    const before = await doorCounters();
    const waiting = pollAfter(one.json.cursor);
    await sleep(50);
    const m = await announce(d);
    const res = await waiting;
    assert.equal(res.json.items[0].data.id, m.id);
    assert.equal((await doorCounters()).byHub - before.byHub, 1, 'the visitor\'s poll was parked by the hub');

    const s = await c.sse(`${d.base}/stream`, { cookie: v.cookie, lastEventId: res.json.cursor });
    assert.equal(s.status, 200);
    expectOk(await d.mod.post(`${d.base}/bans`, { visitor_id: v.visitorId, reason: 'spam' }), 201, 'ban');
    await s.waitForEnd(5000);
    const again = await c.sse(`${d.base}/stream`, { cookie: v.cookie, lastEventId: res.json.cursor });
    assert.equal(again.status, 403, again.text);
    assert.equal(again.json.error.code, 'banned');
    const polled = await pollAfter(res.json.cursor);
    assert.equal(polled.status, 403, polled.text);
    assert.equal(polled.json.error.code, 'banned');
  });
});

describe('what nginx never sends', () => {
  function raw(bytes, waitMs = 3000) {
    return new Promise((resolve) => {
      const sock = net.connect({ path: c.streamSocket(0) });
      const chunks = [];
      const t0 = Date.now();
      const timer = setTimeout(() => { sock.destroy(); resolve({ closed: false, data: Buffer.concat(chunks) }); }, waitMs);
      sock.on('data', (d) => chunks.push(d));
      sock.on('error', () => {});
      sock.on('close', () => { clearTimeout(timer); resolve({ closed: true, ms: Date.now() - t0, data: Buffer.concat(chunks) }); });
      sock.on('connect', () => { if (bytes.length) sock.write(bytes); });
    });
  }
  const record = (type, content) => {
    const h = Buffer.from([1, type, 0, 1, content.length >> 8, content.length & 0xff, 0, 0]);
    return Buffer.concat([h, content]);
  };
  const begin = record(1, Buffer.from([0, 1, 1, 0, 0, 0, 0, 0]));

  it('closes a connection that speaks HTTP instead of FastCGI', async () => {
    const r = await raw(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    assert.equal(r.closed, true);
    assert.equal(r.data.length, 0);
  });

  it('answers params over the limit with a JSON 400 and closes', async () => {
    const big = Buffer.alloc(60000, 0x41);
    const chunks = [];
    for (let i = 0; i < 2; i++) chunks.push(record(4, big));
    const r = await raw(Buffer.concat([begin, ...chunks]));
    assert.equal(r.closed, true);
    const text = r.data.toString('latin1');
    assert.match(text, /Status: 400/);
    assert.match(text, /"code":"bad_request"/);
  });

  it('drops a connection that stops halfway through a request after the read timeout', async () => {
    const r = await raw(begin, 5000);
    assert.equal(r.closed, true, 'closed by the worker');
    assert.ok(r.ms >= 900 && r.ms < 4000, `after about PALABRE_FCGI_READ_TIMEOUT_S (${r.ms} ms)`);
  });

  it('stops accepting without spinning while out of descriptors, and accepts again once some are free', async () => {
    const d = await newDebate('Descripteurs');
    const pid = c.workerPids()[0];
    const fds = () => fs.readdirSync(`/proc/${pid}/fd`).length;
    const cpuMs = () => {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(f[11]) + Number(f[12])) * 10;  // utime + stime, in ticks of 10 ms
    };
    const limit = fds() + 8;
    // The soft limit only: a process may not raise its hard limit again.
    const hard = fs.readFileSync(`/proc/${pid}/limits`, 'utf8').match(/Max open files\s+\d+\s+(\d+)/)[1];
    execFileSync('prlimit', ['--pid', String(pid), `--nofile=${limit}:${hard}`]);
    const streams = [];
    try {
      // More streams than descriptors left: the last ones wait in the queue.
      const opening = [];
      for (let i = 0; i < 16; i++) opening.push(c.sse(`${d.base}/stream`).then((s) => streams.push(s), () => {}));
      await sleep(1500);
      const before = cpuMs();
      await sleep(1000);
      const spent = cpuMs() - before;
      assert.ok(spent < 300, `the worker spent ${spent} ms of CPU in 1 s while out of descriptors`);
      execFileSync('prlimit', ['--pid', String(pid), `--nofile=${hard}:${hard}`]);
      await Promise.all(opening);
      const late = await c.sse(`${d.base}/stream`);
      assert.equal(late.status, 200, 'a stream opens again');
      streams.push(late);
    } finally {
      execFileSync('prlimit', ['--pid', String(pid), `--nofile=${hard}:${hard}`]);
      for (const s of streams) s.close?.();
    }
  });

  it('keeps its accept threads through a quiet spell longer than the read timeout', async () => {
    // The receive timeout of the listening socket bounds accept() too; an
    // accept thread once took that for an error and ended.
    await sleep(2500);
    expectOk(await c.get('/healthz', { timeoutMs: 5000 }), 200, 'healthz after 2.5 s without a request');
  });

  it('is still healthy, with no worker crash', async () => {
    const h = await c.get('/healthz');
    expectOk(h, 200, 'healthz');
    assert.deepEqual(c.unexpectedExits(), []);
  });
});
