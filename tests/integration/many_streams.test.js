'use strict';
// One worker process holds 2,000 live streams through nginx with a handful
// of threads (streams are parked in one epoll hub, not one thread each), and
// every stream receives every message exactly once, in order.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { startCluster, expectOk, waitUntil } = require('../support/cluster');

const STREAMS = 2000;
const IN_FLIGHT = 100;      // stream openings at once (paced, like browsers arriving)
const MESSAGES = 20;
// main, 4 accept threads, the phase clock, the hub and 2 door threads
// (ARCHITECTURE.md, "Threads"), plus one for slack.
const MAX_THREADS = 10;

function openFileLimit(pid) {
  const limits = fs.readFileSync(`/proc/${pid}/limits`, 'utf8');
  const m = limits.match(/^Max open files\s+(\d+|unlimited)/m);
  return m ? (m[1] === 'unlimited' ? Infinity : Number(m[1])) : 0;
}

const threadsOf = (pid) => fs.readdirSync(`/proc/${pid}/task`).length;

describe(`one worker holding ${STREAMS} streams`, () => {
  let c;
  let streams = [];

  before(async () => {
    c = await startCluster({ workers: 1, nginxWorkers: 1 });
  });

  after(async () => {
    for (const s of streams) s.close();
    if (c) await c.stop();
  });

  it('has enough file descriptors for the test', () => {
    // Each stream costs the worker one descriptor and this test one.
    const need = STREAMS + 200;
    const worker = openFileLimit(c.workerPids()[0]);
    const self = openFileLimit(process.pid);
    assert.ok(worker >= need, `palabre-worker may open ${worker} files, needs ${need}: raise ulimit -n`);
    assert.ok(self >= need, `this test may open ${self} files, needs ${need}: raise ulimit -n`);
  });

  it(`delivers ${MESSAGES} messages to each of ${STREAMS} streams, once each and in order, with at most ${MAX_THREADS} threads`, { timeout: 300000 }, async () => {
    const ev = await c.createEvent({ title: 'Grande salle' });
    const inv = await c.invite(ev.id);
    const mod = c.bearer(inv.moderator_token);
    const path = `/api/events/${ev.id}/stream`;
    const pid = c.workerPids()[0];

    const t0 = Date.now();
    let next = 0;
    const failures = [];
    const opener = async () => {
      while (next < STREAMS) {
        next++;
        const s = await c.sse(path);
        if (s.status !== 200) failures.push(`${s.status} ${s.text.slice(0, 120)}`);
        streams.push(s);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, opener));
    const openMs = Date.now() - t0;
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} streams failed to open`);
    assert.equal(streams.length, STREAMS);
    assert.ok(streams.every((s) => !s.ended), 'every stream is open');

    const threadsOpen = threadsOf(pid);
    assert.ok(threadsOpen <= MAX_THREADS, `the worker runs ${threadsOpen} threads with ${STREAMS} streams open`);

    const published = [];
    const tp = Date.now();
    for (let i = 1; i <= MESSAGES; i++) {
      const body = expectOk(await mod.post(`/api/events/${ev.id}/announcements`, { text: `Annonce ${i}`, lang: 'fr' }), 201);
      published.push(body.id);
    }
    // A last marker: whatever arrives before it on a stream is all that
    // stream will ever get of the first MESSAGES, so duplicates would show.
    const marker = expectOk(await mod.post(`/api/events/${ev.id}/announcements`, { text: 'Fin', lang: 'fr' }), 201).id;
    const t1 = Date.now();
    const publishMs = t1 - tp;
    await waitUntil(() => streams.every((s) => s.messages().some((f) => f.data.id === marker)), {
      timeoutMs: 120000, intervalMs: 100,
      what: `the marker on every stream (${streams.filter((s) => s.messages().some((f) => f.data.id === marker)).length} have it)`,
    });
    const deliverMs = Date.now() - t1;

    const want = [...published, marker];
    let bad = 0;
    for (const s of streams) {
      const got = s.messages().map((f) => f.data.id);
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        if (bad++ === 0) assert.deepEqual(got, want, 'a stream got the messages in another order, twice, or missed one');
      }
    }
    assert.equal(bad, 0);
    assert.ok(streams.every((s) => !s.ended), 'no stream was dropped');

    const threadsAfter = threadsOf(pid);
    assert.ok(threadsAfter <= MAX_THREADS, `the worker runs ${threadsAfter} threads after delivery`);
    process.stderr.write(`# ${STREAMS} streams opened in ${openMs} ms; ${MESSAGES + 1} messages published in ${publishMs} ms and delivered to all ${deliverMs} ms later; ${threadsOpen} worker threads\n`);
  });

  it('stays healthy once the streams are gone', async () => {
    for (const s of streams) s.close();
    streams = [];
    expectOk(await c.get('/healthz'), 200);
    assert.deepEqual(c.unexpectedExits(), []);
  });
});
