import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { liveMonitor, processGone, processRuns } from '../../../src/engine/containers/leftovers.js';

describe('engine recovery: leftovers', () => {
  it('takes a zombie for gone, though signal 0 still reaches it', async () => {
    // The shell's background child outlives the shell (so the shell cannot
    // reap it first); sleep, exec'd in the shell's place, never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0.3 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const zombie = Number(await new Promise<string>((resolve) => parent.stdout!.once('data', (d: Buffer) => resolve(d.toString()))));
    try {
      await processGone(zombie, 2000);
      assert.doesNotThrow(() => process.kill(zombie, 0), 'expected a zombie to test with');
      assert.equal(processRuns(zombie), false);
      assert.equal(processRuns(parent.pid!), true);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('names a monitor only when the pid runs a monitor of that very state directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-leftovers-'));
    try {
      assert.equal(liveMonitor(dir), undefined, 'no monitor.pid');
      // This test process runs, but it is no monitor: a recycled pid must not count.
      writeFileSync(join(dir, 'monitor.pid'), `${process.pid}\n`);
      assert.equal(liveMonitor(dir), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
