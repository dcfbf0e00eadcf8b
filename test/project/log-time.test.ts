// --since/--until values as the engine wants them, resuming after a line, and
// the bounded queue that merges containers' lines.

import assert from 'node:assert/strict';
import { compareStamps, engineTime, justAfter } from '../../src/project/log-time.js';
import { MergeQueue } from '../../src/project/merge-queue.js';

describe('log times', () => {
  const now = Date.UTC(2024, 4, 1, 12, 0, 0, 250);

  it('reads durations before now, RFC 3339, dates and unix seconds', () => {
    assert.equal(engineTime('42m', '--since', now), `${now / 1000 - 42 * 60 - 0.25}.250000000`);
    assert.equal(engineTime('1h30m', '--since', now), `${(now - 5_400_000 - 250) / 1000}.250000000`);
    assert.equal(engineTime('1.5h', '--since', now), engineTime('90m', '--since', now));
    assert.equal(engineTime('2013-01-02T13:23:37Z'), `${Date.UTC(2013, 0, 2, 13, 23, 37) / 1000}.000000000`);
    assert.equal(engineTime('2013-01-02T13:23:37.5+02:00'), `${Date.UTC(2013, 0, 2, 11, 23, 37) / 1000}.500000000`);
    assert.equal(engineTime('2013-01-02T13:23:37'), `${new Date(2013, 0, 2, 13, 23, 37).getTime() / 1000}.000000000`);
    assert.equal(engineTime('2013-01-02'), `${new Date(2013, 0, 2).getTime() / 1000}.000000000`);
    assert.equal(engineTime('1700000000.5'), '1700000000.5');
    assert.equal(engineTime('0'), '0');
  });

  it('says what is wrong with a bad value', () => {
    for (const bad of ['yesterday', '2013-13-01', '2013-02-30T00:00:00Z', '10 minutes', '']) {
      assert.throws(() => engineTime(bad, '--until'), (e: Error & { kind?: string; hint?: string }) => e.kind === 'usage' && e.message.startsWith('invalid --until value') && /42m/.test(e.hint ?? ''));
    }
  });

  it('resumes one nanosecond after a line, across a second', () => {
    assert.equal(justAfter('2024-05-01T10:00:00.123456789Z'), `${Date.UTC(2024, 4, 1, 10) / 1000}.123456790`);
    assert.equal(justAfter('2024-05-01T10:00:00.999999999Z'), `${Date.UTC(2024, 4, 1, 10) / 1000 + 1}.000000000`);
    assert.equal(justAfter('2024-05-01T10:00:00Z'), `${Date.UTC(2024, 4, 1, 10) / 1000}.000000001`);
    assert.equal(justAfter('garbage'), undefined);
  });

  it('orders engine timestamps', () => {
    assert.ok(compareStamps('2024-05-01T10:00:00.000000002Z', '2024-05-01T10:00:00.000000010Z') < 0);
    assert.ok(compareStamps('2024-05-01T10:00:01Z', '2024-05-01T10:00:00.999999999Z') > 0);
    assert.equal(compareStamps('2024-05-01T12:00:00+02:00', '2024-05-01T10:00:00Z'), 0);
  });
});

describe('merge queue', () => {
  it('hands items over in order and ends after close', async () => {
    const q = new MergeQueue<number>(4);
    const got: number[] = [];
    const reading = (async () => {
      for await (const x of q) got.push(x);
    })();
    for (let i = 0; i < 100; i++) {
      const wait = q.push(i);
      if (wait) await wait;
    }
    q.close();
    await reading;
    assert.deepEqual(got, [...Array(100).keys()]);
  });

  it('makes a producer wait once full, until the consumer catches up', async () => {
    const q = new MergeQueue<number>(2);
    assert.equal(q.push(1), undefined);
    const wait = q.push(2);
    assert.ok(wait instanceof Promise);
    let released = false;
    void wait.then(() => (released = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(released, false);
    const it = q[Symbol.asyncIterator]();
    assert.deepEqual(await it.next(), { value: 1, done: false });
    await new Promise((r) => setImmediate(r));
    assert.equal(released, true);
  });

  it('a failure reaches the consumer after the queued items', async () => {
    const q = new MergeQueue<number>();
    q.push(1);
    q.fail(new Error('boom'));
    const got: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const x of q) got.push(x);
      })(),
      /boom/,
    );
    assert.deepEqual(got, [1]);
  });
});
