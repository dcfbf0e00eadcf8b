// chokidar on a real directory: edits, new and deleted files arrive as one
// batch; ignored paths never arrive.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PathFilter, watchFiles, watchRules, type FileChange, type FileWatcher } from '../../src/watch/index.js';

describe('file watcher', function () {
  this.timeout(10_000);
  let dir: string;
  let watcher: FileWatcher | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gantry-watch-'));
    writeFileSync(join(dir, 'old.txt'), 'old');
  });
  afterEach(async () => {
    await watcher?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const until = async (cond: () => boolean, ms = 5000) => {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('a burst of edits is one batch of what changed, without the ignored paths', async () => {
    const [rule] = watchRules('web', [{ path: dir, action: 'sync', target: '/app', ignore: ['cache/'] }]);
    const batches: FileChange[][] = [];
    watcher = await watchFiles([new PathFilter(rule!)], { quietMs: 200, onBatch: (b) => batches.push(b) });
    writeFileSync(join(dir, 'new.txt'), 'new');
    unlinkSync(join(dir, 'old.txt'));
    mkdirSync(join(dir, 'cache'));
    writeFileSync(join(dir, 'cache/c.bin'), 'c');
    writeFileSync(join(dir, '.new.txt.swp'), 'swap');
    await until(() => batches.length > 0);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(batches.length, 1);
    assert.deepEqual(batches[0]!.map((c) => [c.path.slice(dir.length + 1), c.kind]), [['new.txt', 'add'], ['old.txt', 'unlink']]);
  });
});
