// Bursts of changes become one batch after a quiet period, with the last word per path.

import assert from 'node:assert/strict';
import { ChangeBatcher, type FileChange } from '../../src/watch/index.js';

const until = async (cond: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('change batcher', () => {
  it('hands over one batch once the changes are quiet, not before', async () => {
    const batches: FileChange[][] = [];
    const b = new ChangeBatcher((c) => batches.push(c), { quietMs: 80 });
    const start = Date.now();
    b.add({ path: '/a', kind: 'change' });
    await new Promise((r) => setTimeout(r, 40));
    b.add({ path: '/b', kind: 'add' });
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(batches.length, 0, 'still within the quiet period of the last change');
    await until(() => batches.length === 1);
    assert.ok(Date.now() - start >= 120, `handed over after ${Date.now() - start} ms`);
    assert.deepEqual(batches[0], [{ path: '/a', kind: 'change' }, { path: '/b', kind: 'add' }]);
  });

  it('keeps the last word per path: added then changed is added, deleted then added is changed', () => {
    const batches: FileChange[][] = [];
    const b = new ChangeBatcher((c) => batches.push(c), { quietMs: 10_000 });
    b.add({ path: '/new', kind: 'add' });
    b.add({ path: '/new', kind: 'change' });
    b.add({ path: '/back', kind: 'unlink' });
    b.add({ path: '/back', kind: 'add' });
    b.add({ path: '/gone', kind: 'change' });
    b.add({ path: '/gone', kind: 'unlink' });
    b.flush();
    assert.deepEqual(batches, [[{ path: '/back', kind: 'change' }, { path: '/gone', kind: 'unlink' }, { path: '/new', kind: 'add' }]]);
    b.flush();
    assert.equal(batches.length, 1, 'nothing pending, no batch');
  });

  it('does not wait forever under a steady stream of changes', async () => {
    const batches: FileChange[][] = [];
    const b = new ChangeBatcher((c) => batches.push(c), { quietMs: 50, maxWaitMs: 150 });
    const timer = setInterval(() => b.add({ path: `/f${Date.now()}`, kind: 'add' }), 20);
    try {
      await until(() => batches.length >= 1, 1000);
    } finally {
      clearInterval(timer);
      b.close();
    }
  });

  it('close drops what is pending', async () => {
    const batches: FileChange[][] = [];
    const b = new ChangeBatcher((c) => batches.push(c), { quietMs: 20 });
    b.add({ path: '/a', kind: 'add' });
    b.close();
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(batches.length, 0);
  });
});
