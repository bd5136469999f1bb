'use strict';
// The moderation room of a busy debate (docs/API.md, "Moderation"), through
// nginx with two worker processes, so that what one moderator does holds on
// the other's worker: claims, two moderators acting at once on one
// question, honest edits, the audit line of every action.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster, expectError, expectOk, waitUntil } = require('../support/cluster');

describe('the moderation room', () => {
  let c;
  let ev;
  let anne;
  let bruno;
  let admin;
  let visitor;

  before(async () => {
    c = await startCluster({ workers: 2, nginxWorkers: 1, env: { PALABRE_QUESTIONS_PER_WINDOW: '1000', PALABRE_JOINS_PER_ADDRESS: '100000', PALABRE_QUESTIONS_PER_ADDRESS: '100000' } });
    admin = c.asAdmin();
    ev = await c.createEvent({ title: 'Conseil municipal, séance publique' });
    const invite = async (label) => {
      const inv = expectOk(await admin.post(`/api/events/${ev.id}/invites`, { role: 'moderator', label }), 201, 'invite');
      return c.bearer(inv.token, 'moderator', ev.id);
    };
    anne = await invite('Anne (communication)');
    bruno = await invite('Bruno (cabinet)');
    visitor = await c.join(ev.id, 'Camille');
  });
  after(async () => { if (c) await c.stop(); });

  const ask = async (text) => expectOk(await visitor.ask(ev.id, text, 'fr'), 202, 'ask').id;
  const queue = async (who = anne) => expectOk(await who.get(`/api/events/${ev.id}/queue`), 200, 'queue');
  const inQueue = async (qid, who) => (await queue(who)).pending.find((q) => q.id === qid);
  const audit = async () => expectOk(await anne.get(`/api/events/${ev.id}/audit`), 200, 'audit').entries;

  describe('claims', () => {
    it('opening an item claims it; the others see who holds it and their actions get 409 claimed', async () => {
      const qid = await ask('Quand rouvre la piscine ?');
      const claimed = expectOk(await anne.post(`/api/events/${ev.id}/questions/${qid}/claim`, {}), 200, 'claim');
      assert.equal(claimed.claimed_by, 'Anne (communication)');
      const until = Date.parse(claimed.until);
      assert.ok(until > Date.now() + 25000 && until <= Date.now() + 31000, `30 s from now: ${claimed.until}`);

      const seen = await inQueue(qid, bruno);
      assert.equal(seen.claimed_by, 'Anne (communication)', 'the queue shows the claim to the other moderator');
      const refused = await bruno.act(ev.id, qid, 'publish');
      expectError(refused, 409, 'claimed');
      assert.equal(refused.json.error.claimed_by, 'Anne (communication)');
      assert.match(refused.json.error.message, /moderator/i);
      expectError(await bruno.post(`/api/events/${ev.id}/questions/${qid}/claim`, {}), 409, 'claimed');
      assert.equal((await inQueue(qid)).status, 'pending', 'nothing changed');

      // The holder acts; the decision ends the claim.
      expectOk(await anne.act(ev.id, qid, 'reject', { reason: 'hors sujet' }), 200, 'reject');
      assert.equal(await c.redisCli(['exists', `palabre:q:{${ev.id}}:${qid}:claim`]), '0');
    });

    it('the holder renews and releases; after release another moderator acts', async () => {
      const qid = await ask('Et le marché de Noël ?');
      const first = expectOk(await anne.post(`/api/events/${ev.id}/questions/${qid}/claim`, {}), 200, 'claim');
      await new Promise((r) => setTimeout(r, 20));
      const renewed = expectOk(await anne.post(`/api/events/${ev.id}/questions/${qid}/claim`, {}), 200, 'renew');
      assert.ok(Date.parse(renewed.until) >= Date.parse(first.until), 'renewing moves the end');
      // An edit keeps the claim: the holder is still on the item.
      const edited = expectOk(await anne.act(ev.id, qid, 'edit', { text: 'Et le marché de Noël, cette année ?' }), 200, 'edit');
      assert.equal(edited.question.claimed_by, 'Anne (communication)');
      expectError(await bruno.act(ev.id, qid, 'publish'), 409, 'claimed');
      const released = await anne.post(`/api/events/${ev.id}/questions/${qid}/release`, {});
      assert.equal(released.status, 204);
      assert.equal((await inQueue(qid, bruno)).claimed_by, undefined, 'released: no holder shown');
      expectOk(await bruno.act(ev.id, qid, 'publish'), 200, 'publish after release');
    });

    it('a claim ends by itself when it is not renewed', async () => {
      const qid = await ask('Pourquoi les travaux rue Haute ?');
      expectOk(await anne.post(`/api/events/${ev.id}/questions/${qid}/claim`, {}), 200, 'claim');
      // What 30 s without renewal leaves: the key gone (its TTL is Redis's).
      await c.redisCli(['pexpire', `palabre:q:{${ev.id}}:${qid}:claim`, '1']);
      await waitUntil(async () => (await c.redisCli(['exists', `palabre:q:{${ev.id}}:${qid}:claim`])) === '0');
      assert.equal((await inQueue(qid, bruno)).claimed_by, undefined);
      expectOk(await bruno.act(ev.id, qid, 'forward'), 200, 'forward once the claim lapsed');
    });

    it('every console hears of a claim and its end on the staff stream', async () => {
      const qid = await ask('Combien coûte la nouvelle médiathèque ?');
      const cursor = (await queue(bruno)).cursor;
      expectOk(await anne.post(`/api/events/${ev.id}/questions/${qid}/claim`, {}), 200, 'claim');
      assert.equal((await anne.post(`/api/events/${ev.id}/questions/${qid}/release`, {})).status, 204);
      const frames = [];
      await waitUntil(async () => {
        const r = expectOk(await bruno.get(`/api/events/${ev.id}/staff/poll?after=${encodeURIComponent(cursor)}`), 200, 'poll');
        frames.push(...r.items.filter((i) => i.type === 'question' && i.data.id === qid));
        return frames.length >= 2;
      }, { what: 'the claim and the release on the staff feed' });
      assert.equal(frames[0].data.claimed_by, 'Anne (communication)');
      assert.equal(frames[1].data.claimed_by, undefined);
    });
  });

  describe('two moderators at once', () => {
    it('two publishes of one question at the same instant: exactly one wins, the other gets 409 with a clear message', async () => {
      for (let round = 0; round < 5; round++) {
        const qid = await ask(`Question disputée ${round}`);
        const [a, b] = await Promise.all([anne.act(ev.id, qid, 'publish'), bruno.act(ev.id, qid, 'publish')]);
        const statuses = [a.status, b.status].sort();
        assert.deepEqual(statuses, [200, 409], `round ${round}: ${a.status} ${a.text} / ${b.status} ${b.text}`);
        const loser = a.status === 409 ? a : b;
        assert.equal(loser.json.error.code, 'conflict');
        assert.match(loser.json.error.message, /published/);
        const t = expectOk(await c.get(`/api/events/${ev.id}/transcript.json`), 200, 'transcript');
        assert.equal(t.messages.filter((m) => m.id === qid).length, 1, 'published once');
      }
    });

    it('a publish and a reject at the same instant: one of them, never both', async () => {
      const qid = await ask('Publier ou refuser ?');
      const [a, b] = await Promise.all([anne.act(ev.id, qid, 'publish'), bruno.act(ev.id, qid, 'reject', { reason: 'x' })]);
      assert.deepEqual([a.status, b.status].sort(), [200, 409]);
      const entries = (await audit()).filter((e) => e.target === qid);
      assert.equal(entries.length, 1, `one audit line: ${JSON.stringify(entries)}`);
    });
  });

  describe('rejections with a reason, and merges', () => {
    it('the author sees the reason from the list, never the note', async () => {
      const qid = await ask('Mon voisin M. Dupont, 12 rue des Lilas, fait du bruit');
      const r = expectOk(await anne.act(ev.id, qid, 'reject', { reason: 'personal_data', note: 'adresse d’un tiers' }), 200, 'reject');
      assert.equal(r.question.reject_reason, 'personal_data');
      assert.equal(r.question.reject_note, 'adresse d’un tiers', 'the staff keep the note');
      const mine = expectOk(await visitor.get(`/api/events/${ev.id}/my-questions`), 200, 'my questions');
      const item = mine.questions.find((q) => q.id === qid);
      assert.equal(item.status, 'rejected');
      assert.equal(item.reject_reason, 'personal_data');
      assert.ok(!JSON.stringify(mine).includes('adresse d’un tiers'), 'the note is not shown to the author');
      const line = (await audit()).find((e) => e.target === qid);
      assert.equal(line.reason, 'personal_data');
      assert.equal(line.details.note, 'adresse d’un tiers');
    });

    it('a v1 free-text reason is kept as the note, with "other"', async () => {
      const qid = await ask('Question hors cadre');
      const r = expectOk(await anne.act(ev.id, qid, 'reject', { reason: 'Sans rapport avec le budget' }), 200, 'reject');
      assert.equal(r.question.reject_reason, 'other');
      assert.equal(r.question.reject_note, 'Sans rapport avec le budget');
      const none = await ask('Question refusée sans motif');
      assert.equal(expectOk(await anne.act(ev.id, none, 'reject'), 200).question.reject_reason, 'other');
      const bad = await ask('Motif piégé');
      expectError(await anne.act(ev.id, bad, 'reject', { reason: 'off_topic', note: 'a\u0000b' }), 400, 'text_control_chars');
      assert.equal((await inQueue(bad)).status, 'pending', 'a refused request changes nothing');
    });

    it('a duplicate merged into another question leaves the queue; the question credits both authors, who see "merged"', async () => {
      const target = await ask('Quand la piste cyclable de l’avenue sera-t-elle finie ?');
      const denis = await c.join(ev.id, 'Denis');
      const dup = expectOk(await denis.ask(ev.id, 'La piste cyclable, c’est pour quand ?', 'fr'), 202, 'ask').id;
      const merged = expectOk(await bruno.post(`/api/events/${ev.id}/questions/${dup}/merge`, { into: target }), 200, 'merge');
      assert.deepEqual(merged.question.authors.map((a) => a.name), ['Camille', 'Denis']);
      assert.equal(merged.merged.status, 'merged');
      assert.equal(merged.merged.merged_into, target);
      const q = await queue();
      assert.ok(!q.pending.some((x) => x.id === dup), 'the duplicate left the queue');
      const theirs = expectOk(await denis.get(`/api/events/${ev.id}/my-questions`), 200).questions.find((x) => x.id === dup);
      assert.equal(theirs.status, 'merged');
      assert.equal(theirs.merged_into, target);
      // Published, it names both.
      const cursor = expectOk(await c.poll(`/api/events/${ev.id}/poll`), 200).cursor;
      expectOk(await bruno.act(ev.id, target, 'publish'), 200, 'publish');
      const r = expectOk(await c.poll(`/api/events/${ev.id}/poll`, { after: cursor }), 200);
      const frame = r.items.find((i) => i.type === 'message' && i.data.id === target);
      assert.equal(frame.data.author, 'Camille');
      assert.deepEqual(frame.data.authors, ['Camille', 'Denis']);
      const line = (await audit()).find((e) => e.action === 'merge' && e.target === dup);
      assert.equal(line.details.into, target);
      assert.equal(line.actor, 'moderator:Bruno (cabinet)');
    });

    it('merges into a question that awaits nothing, or into itself, are refused and change nothing', async () => {
      const a = await ask('Première formulation');
      const b = await ask('Seconde formulation');
      expectError(await anne.post(`/api/events/${ev.id}/questions/${a}/merge`, { into: a }), 400, 'invalid_field');
      expectOk(await anne.act(ev.id, b, 'publish'), 200);
      expectError(await anne.post(`/api/events/${ev.id}/questions/${a}/merge`, { into: b }), 409, 'conflict');
      expectError(await anne.post(`/api/events/${ev.id}/questions/${a}/merge`, { into: 'q_nexistepas' }), 404, 'not_found');
      expectError(await anne.post(`/api/events/${ev.id}/questions/${a}/merge`, {}), 400, 'invalid_field');
      assert.equal((await inQueue(a)).status, 'pending');
    });
  });

  describe("the guest's order and prepared answers", () => {
    let guest;
    before(async () => {
      const inv = expectOk(await admin.post(`/api/events/${ev.id}/invites`, { role: 'guest', label: 'Anne Martin' }), 201, 'guest invite');
      guest = c.bearer(inv.token, 'guest', ev.id);
    });
    const guestQueue = async () => expectOk(await guest.get(`/api/events/${ev.id}/guest-queue`), 200, 'guest queue');

    it('moderators arrange the queue and mark one as now; the guest follows it live; an answer takes it out', async () => {
      const ids = [];
      for (const t of ['Première', 'Deuxième', 'Troisième']) {
        const id = await ask(`${t} question pour l’invitée`);
        expectOk(await anne.act(ev.id, id, 'forward'), 200, 'forward');
        ids.push(id);
      }
      const before = await guestQueue();
      assert.deepEqual(before.questions.map((q) => q.id).filter((id) => ids.includes(id)), ids, 'forwarding order first');
      const cursor = before.cursor;
      const arranged = expectOk(await bruno.put(`/api/events/${ev.id}/guest-queue`, { order: [ids[2], ids[0]], now: ids[2] }), 200, 'arrange');
      assert.deepEqual(arranged.order.filter((id) => ids.includes(id)), [ids[2], ids[0], ids[1]], 'the ones left out keep their order after');
      assert.equal(arranged.now, ids[2]);
      const after = await guestQueue();
      assert.deepEqual(after.questions.map((q) => q.id).filter((id) => ids.includes(id)), [ids[2], ids[0], ids[1]]);
      assert.equal(after.now, ids[2]);
      // The queue frame on the guest's feed.
      const frames = [];
      await waitUntil(async () => {
        const r = expectOk(await guest.get(`/api/events/${ev.id}/staff/poll?after=${encodeURIComponent(cursor)}`), 200, 'poll');
        frames.push(...r.items.filter((i) => i.type === 'queue'));
        return frames.length >= 1;
      }, { what: 'a queue frame on the guest feed' });
      assert.deepEqual(frames[0].data.order.filter((id) => ids.includes(id)), [ids[2], ids[0], ids[1]]);
      assert.equal(frames[0].data.now, ids[2]);
      // Answered, it leaves the queue and is no longer "now".
      expectOk(await guest.post(`/api/events/${ev.id}/answers`, { question_id: ids[2], text: 'La réponse.' }), 201, 'answer');
      const last = await guestQueue();
      assert.ok(!last.questions.some((q) => q.id === ids[2]));
      assert.equal(last.now, null);
      // A question not in the queue is refused and nothing moves.
      expectError(await anne.put(`/api/events/${ev.id}/guest-queue`, { order: [ids[2]] }), 409, 'conflict');
      expectError(await anne.put(`/api/events/${ev.id}/guest-queue`, { order: [ids[0], ids[0]] }), 400, 'invalid_field');
      expectError(await anne.put(`/api/events/${ev.id}/guest-queue`, { order: 'x' }), 400, 'invalid_field');
      expectError(await guest.put(`/api/events/${ev.id}/guest-queue`, { order: [ids[1]] }), 403, 'forbidden');
      assert.deepEqual((await guestQueue()).questions.map((q) => q.id).filter((id) => ids.includes(id)), [ids[0], ids[1]]);
    });

    it('a prepared answer is written before, edited, used in one action, and deleted; each change audited', async () => {
      const path = `/api/events/${ev.id}/prepared-answers`;
      const made = expectOk(await anne.post(path, { title: 'Budget vélo', text: 'Le plan vélo reçoit 2 M€ en 2027.', lang: 'fr' }), 201, 'create');
      assert.match(made.id, /^pa_/);
      assert.equal(made.created_by, 'moderator:Anne (communication)');
      const byGuest = expectOk(await guest.post(path, { title: 'Piscine', text: 'Réouverture au printemps.' }), 201, 'the guest writes one too');
      const edited = expectOk(await guest.patch(`${path}/${made.id}`, { text: 'Le plan vélo reçoit 2,5 M€ en 2027.' }), 200, 'edit');
      assert.equal(edited.title, 'Budget vélo');
      const list = expectOk(await guest.get(path), 200, 'list').items;
      assert.deepEqual(list.map((a) => a.id), [made.id, byGuest.id]);
      assert.equal(list[0].text, 'Le plan vélo reçoit 2,5 M€ en 2027.');

      const qid = await ask('Combien pour le vélo ?');
      expectOk(await anne.act(ev.id, qid, 'forward'), 200, 'forward');
      const cursor = expectOk(await c.poll(`/api/events/${ev.id}/poll`), 200).cursor;
      expectOk(await guest.post(`/api/events/${ev.id}/answers`, { question_id: qid, prepared_answer_id: made.id }), 201, 'answer with it');
      const r = expectOk(await c.poll(`/api/events/${ev.id}/poll`, { after: cursor }), 200);
      const answer = r.items.find((i) => i.type === 'message' && i.data.kind === 'answer' && i.data.reply_to === qid);
      assert.equal(answer.data.text, 'Le plan vélo reçoit 2,5 M€ en 2027.');
      assert.equal(answer.data.author, 'Anne Martin');

      expectError(await guest.post(path, { title: '', text: 'x' }), 400, 'text_empty');
      expectError(await guest.post(path, { title: 'x' }), 400, 'invalid_field');
      expectError(await guest.patch(`${path}/pa_nexistepas`, { text: 'x' }), 404, 'not_found');
      expectError(await visitor.get(path), 401, 'unauthorized');
      assert.equal((await anne.del(`${path}/${byGuest.id}`)).status, 204);
      assert.deepEqual(expectOk(await guest.get(path), 200).items.map((a) => a.id), [made.id]);
      const actions = (await audit()).map((e) => e.action);
      for (const a of ['create_prepared_answer', 'update_prepared_answer', 'delete_prepared_answer'])
        assert.ok(actions.includes(a), `${a} in the audit log`);
    });
  });

  describe('audience signals', () => {
    it('visitors support a published question once each; the count reaches everyone in at most one frame a second', async () => {
      const qid = await ask('Peut-on avoir des bancs au parc ?');
      expectOk(await anne.act(ev.id, qid, 'publish'), 200, 'publish');
      const cursor = expectOk(await c.poll(`/api/events/${ev.id}/poll`), 200).cursor;
      const fans = [];
      for (let i = 0; i < 6; i++) fans.push(await c.join(ev.id, `Soutien ${i}`));
      const answers = await Promise.all(fans.map((f) => f.post(`/api/events/${ev.id}/questions/${qid}/support`, {})));
      for (const a of answers) expectOk(a, 200, 'support');
      // Twice by the same visitor: counted once, and said so.
      const again = expectOk(await fans[0].post(`/api/events/${ev.id}/questions/${qid}/support`, {}), 200, 'again');
      assert.equal(again.supports, 6);
      const frames = [];
      let after = cursor;
      await waitUntil(async () => {
        const r = expectOk(await c.poll(`/api/events/${ev.id}/poll`, { after }), 200);
        after = r.cursor;
        frames.push(...r.items.filter((i) => i.type === 'support' && i.data.id === qid));
        return frames.length > 0 && frames[frames.length - 1].data.supports === 6;
      }, { what: 'the support frames to reach 6', timeoutMs: 5000 });
      assert.ok(frames.length <= 3, `at most one frame a second, got ${frames.length}`);
      const staff = (await queue()).recent.find((x) => x.id === qid);
      assert.equal(staff.supports, 6, 'moderators see the count');
      // Only published questions waiting for an answer.
      const pending = await ask('Pas encore publiée');
      expectError(await fans[1].post(`/api/events/${ev.id}/questions/${pending}/support`, {}), 409, 'conflict');
      expectError(await anne.post(`/api/events/${ev.id}/questions/${qid}/support`, {}), 401, 'not_joined');
    });

    it('a poll: opened by a moderator, one vote per visitor (double submits included), live results, closed, kept in the transcript', async () => {
      const cursor = expectOk(await c.poll(`/api/events/${ev.id}/poll`), 200).cursor;
      const poll = expectOk(await anne.post(`/api/events/${ev.id}/polls`, {
        question: 'Faut-il piétonniser le centre-ville ?', options: ['Oui', 'Non', 'Le samedi seulement'], multiple: false,
      }), 201, 'open');
      assert.match(poll.id, /^p_/);
      assert.equal(poll.state, 'open');
      assert.deepEqual(poll.results, [0, 0, 0]);
      const voters = [];
      for (let i = 0; i < 10; i++) voters.push(await c.join(ev.id, `Votant ${i}`));
      // Each votes twice at once: one counts.
      const attempts = await Promise.all(voters.flatMap((v, i) => [0, 1].map(() =>
        v.post(`/api/events/${ev.id}/polls/${poll.id}/votes`, { options: [i % 3] }))));
      const ok = attempts.filter((a) => a.status === 200).length;
      const twice = attempts.filter((a) => a.status === 409 && a.json.error.code === 'already_voted').length;
      assert.equal(ok, 10, 'one vote per visitor');
      assert.equal(twice, 10, 'the double submits are refused with already_voted');
      expectError(await voters[0].post(`/api/events/${ev.id}/polls/${poll.id}/votes`, { options: [0, 1] }), 400, 'invalid_field');
      const mine = expectOk(await voters[0].get(`/api/events/${ev.id}/my-questions`), 200);
      assert.deepEqual(mine.polls_voted, [poll.id]);

      const closed = expectOk(await anne.post(`/api/events/${ev.id}/polls/${poll.id}/close`, {}), 200, 'close');
      assert.equal(closed.state, 'closed');
      assert.deepEqual(closed.results, [4, 3, 3]);
      assert.equal(closed.votes, 10);
      expectError(await visitor.post(`/api/events/${ev.id}/polls/${poll.id}/votes`, { options: [0] }), 409, 'conflict');
      const frames = [];
      let after = cursor;
      await waitUntil(async () => {
        const r = expectOk(await c.poll(`/api/events/${ev.id}/poll`, { after }), 200);
        after = r.cursor;
        frames.push(...r.items.filter((i) => i.type === 'poll' && i.data.id === poll.id));
        return frames.some((f) => f.data.state === 'closed');
      }, { what: 'the closed poll frame' });
      assert.ok(frames.length <= 4, `open, at most a couple of count frames, closed: ${frames.length}`);
      const last = frames[frames.length - 1].data;
      assert.deepEqual(last.results, [4, 3, 3]);
      const listed = expectOk(await c.get(`/api/events/${ev.id}/polls`), 200).items.find((p) => p.id === poll.id);
      assert.equal(listed.state, 'closed');
      const t = expectOk(await c.get(`/api/events/${ev.id}/transcript.json`), 200);
      const inTranscript = t.messages.find((m) => m.id === poll.id);
      assert.ok(inTranscript, 'the closed poll is in the transcript');
      assert.deepEqual(inTranscript.poll.results, [4, 3, 3]);
      // Refused: too few options, a visitor opening one.
      expectError(await anne.post(`/api/events/${ev.id}/polls`, { question: 'Q ?', options: ['Seule'] }), 400, 'invalid_field');
      expectError(await visitor.post(`/api/events/${ev.id}/polls`, { question: 'Q ?', options: ['a', 'b'] }), 401, 'unauthorized');
    });
  });

  describe('abuse controls', () => {
    it('a timeout keeps a visitor from asking (403 timed_out with Retry-After), across workers, until lifted', async () => {
      const troll = await c.join(ev.id, 'Pressé');
      expectOk(await troll.ask(ev.id, 'Première', 'fr'), 202);
      const t = expectOk(await anne.post(`/api/events/${ev.id}/timeouts`, { visitor_id: troll.visitorId, seconds: 120 }), 201, 'timeout');
      assert.ok(Date.parse(t.until) > Date.now() + 100000);
      for (let i = 0; i < 4; i++) {  // nginx spreads them over both workers
        const r = await troll.ask(ev.id, `Encore ${i}`, 'fr');
        expectError(r, 403, 'timed_out');
        const wait = Number(r.headers['retry-after']);
        assert.ok(wait > 100 && wait <= 120, `Retry-After ${wait}`);
      }
      expectError(await anne.post(`/api/events/${ev.id}/timeouts`, { visitor_id: troll.visitorId, seconds: 5 }), 400, 'invalid_field');
      expectError(await anne.post(`/api/events/${ev.id}/timeouts`, { visitor_id: troll.visitorId, seconds: 90000 }), 400, 'invalid_field');
      assert.equal((await anne.del(`/api/events/${ev.id}/timeouts/${troll.visitorId}`)).status, 204);
      expectOk(await troll.ask(ev.id, 'Après la pause', 'fr'), 202);
      const actions = (await audit()).filter((e) => e.target === troll.visitorId).map((e) => e.action);
      assert.deepEqual(actions.sort(), ['lift_timeout', 'timeout']);
    });

    it('slow mode: one question per visitor every N seconds; every page and console hears of it', async () => {
      const slow = await c.join(ev.id, 'Bavard');
      const cursor = expectOk(await c.poll(`/api/events/${ev.id}/poll`), 200).cursor;
      const patched = expectOk(await bruno.patch(`/api/events/${ev.id}`, { slow_mode_s: 30 }), 200, 'slow mode on');
      try {
        assert.deepEqual(patched.controls, { slow_mode_s: 30, shield: false });
        assert.deepEqual(expectOk(await c.get(`/api/events/${ev.id}`), 200).controls, { slow_mode_s: 30, shield: false });
        expectOk(await slow.ask(ev.id, 'Une', 'fr'), 202);
        const r = await slow.ask(ev.id, 'Deux', 'fr');
        expectError(r, 429, 'rate_limited');
        assert.match(r.json.error.message, /30 seconds/);
        assert.ok(Number(r.headers['retry-after']) <= 30);
        const frames = expectOk(await c.poll(`/api/events/${ev.id}/poll`, { after: cursor }), 200).items.filter((i) => i.type === 'controls');
        assert.deepEqual(frames[0].data, { slow_mode_s: 30, shield: false });
      } finally {
        expectOk(await bruno.patch(`/api/events/${ev.id}`, { slow_mode_s: 0 }), 200, 'slow mode off');
      }
      expectError(await bruno.patch(`/api/events/${ev.id}`, { slow_mode_s: 99999 }), 400, 'invalid_field');
      expectError(await visitor.patch(`/api/events/${ev.id}`, { slow_mode_s: 0 }), 401, 'unauthorized');
    });

    it('the shield tightens every limit at once and is announced to every moderator', async () => {
      const cursor = (await queue(bruno)).cursor;
      const v = await c.join(ev.id, 'Sous bouclier');
      expectOk(await anne.patch(`/api/events/${ev.id}`, { shield: true }), 200, 'shield on');
      try {
        assert.deepEqual((await queue(bruno)).controls, { slow_mode_s: 0, shield: true });
        const r = expectOk(await bruno.get(`/api/events/${ev.id}/staff/poll?after=${encodeURIComponent(cursor)}`), 200, 'poll');
        assert.ok(r.items.some((i) => i.type === 'controls' && i.data.shield === true), 'a controls frame on the staff feed');
        expectOk(await v.ask(ev.id, 'Une', 'fr'), 202);
        const refused = await v.ask(ev.id, 'Deux', 'fr');
        expectError(refused, 429, 'rate_limited');
        assert.match(refused.json.error.message, /60 seconds/, 'at least a minute between questions');
      } finally {
        expectOk(await anne.patch(`/api/events/${ev.id}`, { shield: false }), 200, 'shield off');
      }
      const line = (await audit()).find((e) => e.action === 'controls' && e.details.shield === 'on');
      assert.equal(line.actor, 'moderator:Anne (communication)');
    });

    it('blocked words flag a question for the moderators, never drop it; the site-wide list applies too', async () => {
      const list = expectOk(await anne.put(`/api/events/${ev.id}/word-filters`, { items: [{ pattern: 'arnaq*', lang: '' }, { pattern: 'voyou', lang: 'fr' }] }), 200, 'event list');
      assert.equal(list.items.length, 2);
      expectOk(await admin.put('/api/word-filters', { items: [{ pattern: 'idiot', lang: '' }] }), 200, 'site list');
      const flagged = await ask('Cette ARNAQUE de maire idiot !');
      const clean = await ask('Une question courtoise');
      const q = await inQueue(flagged);
      assert.deepEqual(q.flags.sort(), ['arnaq*', 'idiot']);
      assert.deepEqual((await inQueue(clean)).flags, []);
      assert.deepEqual(expectOk(await anne.get(`/api/events/${ev.id}/word-filters`), 200).items.map((i) => i.pattern), ['arnaq*', 'voyou']);
      expectError(await anne.put(`/api/events/${ev.id}/word-filters`, { items: [{ pattern: '***' }] }), 400, 'invalid_field');
      expectError(await anne.put('/api/word-filters', { items: [] }), 403, 'forbidden');
      expectOk(await admin.put('/api/word-filters', { items: [] }), 200, 'site list emptied');
    });

    it('a silent ban: the visitor still sees their own questions, nobody else does, and they are not told', async () => {
      const shadow = await c.join(ev.id, 'Ombre');
      const before = expectOk(await shadow.ask(ev.id, 'Posée avant le bannissement', 'fr'), 202).id;
      const banned = expectOk(await anne.post(`/api/events/${ev.id}/bans`, { visitor_id: shadow.visitorId, reason: 'raid', silent: true }), 201, 'silent ban');
      assert.equal(banned.silent, true);
      const after = expectOk(await shadow.ask(ev.id, 'Posée après', 'fr'), 202, 'still accepted').id;
      const mine = expectOk(await shadow.get(`/api/events/${ev.id}/my-questions`), 200);
      assert.equal(mine.banned, false, 'not told');
      assert.deepEqual(mine.questions.filter((q) => [before, after].includes(q.id)).map((q) => q.status), ['pending', 'pending']);
      const q = await queue(bruno);
      assert.ok(!q.pending.some((x) => [before, after].includes(x.id)), 'nobody else sees them in the queue');
      assert.deepEqual(q.hidden.map((x) => x.id).filter((id) => [before, after].includes(id)).sort(), [before, after].sort());
      const stream = await shadow.sse(`/api/events/${ev.id}/stream`);
      assert.equal(stream.status, 200, 'their stream stays open');
      stream.close();
      const bans = expectOk(await anne.get(`/api/events/${ev.id}/bans`), 200).bans;
      assert.equal(bans.find((b) => b.visitor_id === shadow.visitorId).silent, true);
      assert.ok((await audit()).some((e) => e.action === 'silent_ban' && e.target === shadow.visitorId));
    });
  });

  describe('accountability', () => {
    it('every action is in the audit log with its actor; the log filters by actor, action and text, and exports as CSV', async () => {
      const qid = await ask('=HYPERLINK("x") une question piégée');
      expectOk(await bruno.act(ev.id, qid, 'edit', { text: 'Une question reformulée' }), 200, 'edit');
      expectOk(await bruno.act(ev.id, qid, 'reject', { reason: 'abusive', note: 'tentative d’injection' }), 200, 'reject');
      const all = await audit();
      assert.ok(all.length > 5);
      const byBruno = expectOk(await anne.get(`/api/events/${ev.id}/audit?actor=${encodeURIComponent('moderator:Bruno (cabinet)')}`), 200).entries;
      assert.ok(byBruno.length > 0 && byBruno.every((e) => e.actor === 'moderator:Bruno (cabinet)'));
      const rejects = expectOk(await anne.get(`/api/events/${ev.id}/audit?action=reject`), 200).entries;
      assert.ok(rejects.every((e) => e.action === 'reject'));
      const found = expectOk(await anne.get(`/api/events/${ev.id}/audit?q=reformul`), 200).entries;
      assert.deepEqual(found.map((e) => e.target), [qid]);
      const csv = await anne.get(`/api/events/${ev.id}/audit.csv?q=${qid}`);
      assert.equal(csv.status, 200);
      assert.match(csv.headers['content-type'], /^text\/csv/);
      assert.match(csv.headers['content-disposition'], /attachment; filename=".*-audit\.csv"/);
      const lines = csv.text.trim().split('\r\n');
      assert.equal(lines[0], 'at,actor,action,target,reason,note,before,after,details');
      assert.equal(lines.length, 3, csv.text);
      assert.ok(lines.some((l) => l.includes('"\'=HYPERLINK(""x"") une question piégée"')), 'a formula is defused');
      assert.ok(lines.some((l) => l.includes('"abusive","tentative d’injection"')));
      expectError(await visitor.get(`/api/events/${ev.id}/audit.csv`), 401, 'unauthorized');
    });
  });

  describe('honest edits', () => {
    it('an edited question is published with edited: true, its original in the audit log with the moderator\'s label', async () => {
      const qid = await ask('Pourquoi la mairie ferme a 17h ??');
      expectOk(await anne.act(ev.id, qid, 'edit', { text: 'Pourquoi la mairie ferme-t-elle à 17 h ?' }), 200, 'edit');
      const cursor = expectOk(await c.poll(`/api/events/${ev.id}/poll`), 200, 'poll').cursor;
      expectOk(await anne.act(ev.id, qid, 'publish'), 200, 'publish');
      const r = expectOk(await c.poll(`/api/events/${ev.id}/poll`, { after: cursor }), 200, 'poll');
      const frame = r.items.find((i) => i.type === 'message' && i.data.id === qid);
      assert.ok(frame, 'the published question reaches the public feed');
      assert.equal(frame.data.edited, true);
      assert.equal(frame.data.text, 'Pourquoi la mairie ferme-t-elle à 17 h ?');
      const unedited = await ask('Question publiée telle quelle');
      const cursor2 = r.cursor;
      expectOk(await anne.act(ev.id, unedited, 'publish'), 200, 'publish');
      const r2 = expectOk(await c.poll(`/api/events/${ev.id}/poll`, { after: cursor2 }), 200, 'poll');
      assert.equal(r2.items.find((i) => i.data.id === unedited).data.edited, undefined, 'no mark when nothing was changed');

      const line = (await audit()).find((e) => e.target === qid && e.action === 'edit');
      assert.equal(line.actor, 'moderator:Anne (communication)');
      assert.equal(line.before, 'Pourquoi la mairie ferme a 17h ??');
      assert.equal(line.after, 'Pourquoi la mairie ferme-t-elle à 17 h ?');
      assert.ok(Date.parse(line.at) > 0);
    });
  });
});
