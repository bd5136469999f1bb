'use strict';
// A debate opens and closes by the clock: watchers see a `phase` frame when
// it goes live and when it closes, without anyone touching it, exactly once
// even though every worker runs a phase clock. A moderator extending the
// debate is announced once too, with the new end time.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster, expectOk, expectError, isoIn, sleep } = require('../support/cluster');

let c;

before(async () => {
  c = await startCluster({ workers: 2, nginxWorkers: 1 });
});

after(async () => {
  if (c) await c.stop();
});

const phases = (stream) => stream.frames.filter((f) => f.event === 'phase').map((f) => f.data.phase);

describe('the phase clock', () => {
  it('announces the opening and the closing of a debate, once each', async () => {
    const ev = await c.createEvent({
      title: 'Ouverture à l’heure',
      starts_at: isoIn(2500),
      ends_at: isoIn(5000),
      questions_before: false,
      late_questions_days: 0,
    });
    const stream = await c.sse(`/api/events/${ev.id}/stream`);
    const visitor = await c.join(ev.id, 'Camille');
    expectError(await visitor.ask(ev.id, 'Trop tôt ?', 'fr'), 409, 'event_closed');

    await stream.waitFor((f) => f.event === 'phase' && f.data.phase === 'live', 8000, 'the debate to go live');
    expectOk(await visitor.ask(ev.id, 'Maintenant ?', 'fr'), 202, 'a question once live');
    await stream.waitFor((f) => f.event === 'phase' && f.data.phase === 'closed', 8000, 'the debate to close');
    // Two more ticks of every worker's clock: nothing is announced twice.
    await sleep(2200);
    assert.deepEqual(phases(stream), ['scheduled', 'live', 'closed']);
    const ends = stream.frames.filter((f) => f.event === 'phase').map((f) => f.data.ends_at);
    assert.ok(ends.every((e) => e === ev.ends_at), `every phase frame carries ends_at ${ev.ends_at}: ${ends}`);
    stream.close();
  });

  it('announces an extension once, with the new end time', async () => {
    const ev = await c.createEvent({ title: 'Prolongations', starts_at: isoIn(-60000), ends_at: isoIn(3600e3) });
    const inv = await c.invite(ev.id);
    const mod = c.bearer(inv.moderator_token);
    const stream = await c.sse(`/api/events/${ev.id}/stream`);
    await stream.waitFor((f) => f.event === 'phase' && f.data.phase === 'live', 5000, 'the first announcement');
    const later = isoIn(2 * 3600e3).replace(/\.\d+Z$/, 'Z');
    expectOk(await mod.patch(`/api/events/${ev.id}`, { ends_at: later }), 200, 'extend');
    await stream.waitFor((f) => f.event === 'phase' && f.data.ends_at === later, 5000, 'the extension');
    await sleep(2200);
    const frames = stream.frames.filter((f) => f.event === 'phase');
    assert.deepEqual(frames.map((f) => [f.data.phase, f.data.ends_at]), [
      ['live', ev.ends_at],
      ['live', later],
    ]);
    stream.close();
  });
});
