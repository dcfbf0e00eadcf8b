// `compose engine start|status|stop` on a data root and socket of the test's
// own: started in the background, reported with its runtime, refused twice,
// stopped, and reported as not running (exit code 3).

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

describe('compose engine (CLI)', function () {
  this.timeout(60_000);
  const id = randomBytes(4).toString('hex');
  const socket = `/run/gantry-cli-${id}/engine.sock`;
  const dataRoot = `/tmp/gantry-cli-${id}`;
  const flags = ['--socket', socket, '--data-root', dataRoot];

  after(() => {
    runCli(['engine', 'stop', ...flags]);
    // A stopped engine leaves its networks' bridges for the containers it
    // may find again; a test leaves nothing.
    const records = join(dataRoot, 'records', 'networks');
    for (const f of existsSync(records) ? readdirSync(records) : []) {
      const bridge = `gt-${(JSON.parse(readFileSync(join(records, f), 'utf8')) as { Id: string }).Id.slice(0, 12)}`;
      for (const table of ['filter', 'nat']) {
        for (const line of execFileSync('iptables-save', ['-t', table], { encoding: 'utf8' }).split('\n')) {
          if (line.startsWith('-A ') && line.includes(bridge)) spawnSync('sh', ['-c', `iptables -t ${table} ${line.replace(/^-A /, '-D ')}`]);
        }
      }
      spawnSync('ip', ['link', 'del', bridge]);
    }
    rmSync(dataRoot, { recursive: true, force: true });
    rmSync(`/run/gantry-cli-${id}`, { recursive: true, force: true });
  });

  it('starts in the background, says which runtime it uses, refuses a second start, and stops', () => {
    const started = runCli(['engine', 'start', ...flags]);
    assert.equal(started.status, 0, started.stderr);
    assert.match(started.stdout, new RegExp(`engine started \\(pid \\d+\\) on ${socket}`));
    const status = JSON.parse(runCli(['engine', 'status', '--format', 'json', ...flags]).stdout) as { running: boolean; runtime: string; dataRoot: string };
    assert.equal(status.running, true);
    assert.ok(['runc', 'crun'].includes(status.runtime), status.runtime);
    assert.equal(status.dataRoot, dataRoot);
    assert.match(runCli(['engine', 'start', ...flags]).stdout, /engine already running/);
    const stopped = runCli(['engine', 'stop', ...flags]);
    assert.equal(stopped.status, 0, stopped.stderr);
    assert.match(stopped.stdout, /engine stopped \(pid \d+\)/);
    const after = runCli(['engine', 'status', ...flags]);
    assert.equal(after.status, 3);
    assert.match(after.stdout, /engine: not running/);
  });
});
