// `compose watch` as a user runs it: it brings the project up, prints a line
// per action, and Ctrl-C ends it with exit code 0, the containers still running.

import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../src/engine-client/index.js';
import { down } from '../../src/project/index.js';
import { eventLine } from '../../src/cli/commands/watch.js';
import { runCli, startCli } from './run-cli.js';

const COMPOSE = `
services:
  web:
    image: busybox:latest
    command: ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.2; done"]
    develop:
      watch:
        - action: sync
          path: ./src
          target: /app
`;

describe('compose watch (CLI)', function () {
  this.timeout(60_000);
  const name = `gtwc${randomBytes(4).toString('hex')}`;
  let dir: string;
  let child: ChildProcess | undefined;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gantry-watch-cli-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'compose.yaml'), COMPOSE);
  });
  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await down({ workingDir: dir, projectName: name, env: {} }, { timeout: 0 }).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it('brings the project up, prints its actions, and exits 0 on Ctrl-C leaving the containers running', async () => {
    child = startCli(['-p', name, 'watch'], { cwd: dir });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    const until = async (what: string, cond: () => boolean, ms = 30_000) => {
      const end = Date.now() + ms;
      while (!cond()) {
        if (Date.now() > end || child!.exitCode !== null) assert.fail(`${what}: not seen.\nstdout: ${out}\nstderr: ${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await until('watch enabled', () => out.includes('Watch enabled for "web"'));
    writeFileSync(join(dir, 'src/a.txt'), 'a');
    writeFileSync(join(dir, 'src/b.txt'), 'b');
    await until('sync line', () => /Syncing service "web" after 2 changed files/.test(out));
    child.kill('SIGINT');
    assert.equal(await exited, 0, `exit code; stderr: ${err}`);
    const engine = await connect({});
    assert.equal((await engine.containers.inspect(`${name}-web-1`))?.State.Running, true, 'the container keeps running');
  });

  it('says one line per action, failures on stderr', () => {
    assert.deepEqual(eventLine({ kind: 'sync', service: 'web', changed: 3 }), { stream: 'stdout', text: 'Syncing service "web" after 3 changed files' });
    assert.deepEqual(eventLine({ kind: 'sync', service: 'web', changed: 1 }), { stream: 'stdout', text: 'Syncing service "web" after 1 changed file' });
    assert.deepEqual(eventLine({ kind: 'rebuild', service: 'api', changed: 2 }), { stream: 'stdout', text: 'Rebuilding service "api" after changes were detected' });
    assert.deepEqual(eventLine({ kind: 'restart', service: 'web' }), { stream: 'stdout', text: 'Restarting service "web" after changes were detected' });
    assert.equal(eventLine({ kind: 'exec', service: 'web', command: ['kill', '-HUP', '1'], container: 'p-web-1', exitCode: 2 })?.stream, 'stderr');
    assert.equal(eventLine({ kind: 'done', service: 'web', actions: ['sync'] }), undefined);
    assert.deepEqual(eventLine({ kind: 'error', service: 'api', action: 'rebuild', error: new Error('COPY failed') }), { stream: 'stderr', text: 'Error: rebuild of service "api" failed: COPY failed' });
  });

  it('a project without develop.watch is a clear error', () => {
    const bare = mkdtempSync(join(tmpdir(), 'gantry-watch-bare-'));
    try {
      writeFileSync(join(bare, 'compose.yaml'), 'services:\n  web:\n    image: busybox:latest\n');
      const r = runCli(['-p', 'gtwbare', 'watch', '--no-up'], { cwd: bare });
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /has a develop\.watch section: nothing to watch/);
      assert.match(r.stderr, /develop: \{ watch:/);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
