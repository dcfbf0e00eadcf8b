// `compose up --watch`: attached up and watch in one process; the watch's
// lines appear among the logs, a restart by the watch does not end the up,
// and Ctrl-C stops the group as a plain attached up does.

import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { down } from '../../src/project/index.js';
import { runCli, startCli } from './run-cli.js';

const COMPOSE = `
services:
  web:
    image: busybox:latest
    command: ["sh", "-c", "echo started; trap 'exit 0' TERM; while :; do sleep 0.2; done"]
    develop:
      watch:
        - action: sync
          path: ./src
          target: /app
        - action: sync+restart
          path: ./conf
          target: /conf
`;

describe('compose up --watch (CLI)', function () {
  this.timeout(60_000);
  const name = `gtwu${randomBytes(4).toString('hex')}`;
  let dir: string;
  let child: ChildProcess | undefined;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gantry-upwatch-'));
    mkdirSync(join(dir, 'src'));
    mkdirSync(join(dir, 'conf'));
    writeFileSync(join(dir, 'compose.yaml'), COMPOSE);
  });
  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await down({ workingDir: dir, projectName: name, env: {} }, { timeout: 0 }).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams logs and watch lines; a watch restart keeps it attached; Ctrl-C stops it', async () => {
    child = startCli(['-p', name, 'up', '--watch'], { cwd: dir });
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
    await until('watch enabled and the first log line', () => out.includes('Watch enabled for "web"') && out.includes('started'));
    writeFileSync(join(dir, 'src/a.txt'), 'a');
    await until('sync line', () => out.includes('Syncing service "web" after 1 changed file'));
    writeFileSync(join(dir, 'conf/c.conf'), 'c');
    await until('restart line and the restarted container\'s output', () => out.includes('Restarting service "web"') && out.split('started').length > 2);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(child.exitCode, null, `up --watch still runs after the restart\nstdout: ${out}\nstderr: ${err}`);
    child.kill('SIGINT');
    assert.equal(await exited, 130, `exit code; stderr: ${err}`);
  });

  it('refuses --watch with --detach', () => {
    const r = runCli(['-p', name, 'up', '-d', '--watch'], { cwd: dir });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /--watch needs an attached up/);
  });
});
