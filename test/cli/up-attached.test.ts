// Attached `compose up` as a user runs it: prefixed logs, exit codes, Ctrl-C, and the progress modes.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startCli } from './run-cli.js';
import { connect } from '../../src/engine-client/index.js';
import { Label } from '../../src/common/labels.js';

const TWO = `services:
  web:
    image: busybox
    command: ["sh", "-c", "echo web says hi; sleep 1; echo web says bye"]
  worker:
    image: busybox
    command: ["sh", "-c", "echo worker done"]
`;

const LONG = `services:
  stubborn:
    image: busybox
    # Ignores SIGTERM: only a kill ends it, so the second Ctrl-C is what stops it.
    command: ["sh", "-c", "trap '' TERM; echo up; while true; do sleep 1; done"]
    stop_grace_period: 60s
  polite:
    image: busybox
    command: ["sleep", "300"]
    stop_grace_period: 1s
`;

describe('compose up, attached (CLI)', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'gantry-up-'));
  const projects: string[] = [];
  const project = (yaml: string) => {
    const name = `gt${randomBytes(4).toString('hex')}`;
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, yaml);
    projects.push(name);
    return (...args: string[]) => ['-p', name, '-f', file, ...args];
  };

  after(async () => {
    for (const p of projects) runCli(['-p', p, '-f', join(dir, `${p}.yaml`), 'down', '-t', '0', '--remove-orphans']);
    const engine = await connect({});
    for (const p of projects) {
      for (const c of await engine.containers.list({ all: true, filters: { label: [`${Label.project}=${p}`] } })) await engine.containers.remove(c.Id, { force: true }).catch(() => {});
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints each service\'s lines with a padded prefix and returns 0 when all have exited', () => {
    const args = project(TWO);
    const r = runCli(args('up'));
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.ok(lines.includes('web-1     | web says hi'), r.stdout);
    assert.ok(lines.includes('web-1     | web says bye'), r.stdout);
    assert.ok(lines.includes('worker-1  | worker done'), r.stdout);
    assert.ok(lines.indexOf('web-1 exited with code 0') > lines.indexOf('web-1     | web says bye'), r.stdout);
    assert.ok(lines.includes('worker-1 exited with code 0'), r.stdout);
    assert.match(r.stderr, /Container gt\w+-web-1 {2}Started/);
  });

  it('--no-log-prefix and --timestamps shape the lines', () => {
    const args = project(TWO);
    const r = runCli(args('up', '--no-log-prefix', '--timestamps', '--attach', 'worker'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z worker done$/m);
    assert.doesNotMatch(r.stdout, /web says/);
  });

  it('colours prefixes per service unless --no-color', () => {
    const args = project(TWO);
    const r = runCli(['--ansi', 'always', ...args('up', '--attach', 'worker')]);
    assert.ok(r.stdout.includes('\u001b[36mworker-1  | \u001b[0mworker done'), JSON.stringify(r.stdout));
    const plain = runCli(['--ansi', 'always', ...args('up', '--attach', 'worker', '--no-color')]);
    assert.ok(plain.stdout.includes('worker-1  | worker done'));
  });

  it('--exit-code-from answers with the job\'s exit code', () => {
    const args = project(`services:\n  job:\n    image: busybox\n    command: ["sh", "-c", "exit 5"]\n  server:\n    image: busybox\n    command: ["sleep", "300"]\n`);
    const r = runCli(args('up', '--exit-code-from', 'job', '-t', '0'));
    assert.equal(r.status, 5, r.stderr);
    assert.match(r.stderr, /Aborting on container exit/);
  });

  it('Ctrl-C stops gracefully, a second Ctrl-C kills, and the exit code is 130', async () => {
    const args = project(LONG);
    const child = startCli(args('up'));
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const until = async (test: () => boolean, what: string) => {
      for (let i = 0; i < 300 && !test(); i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(test(), `${what}\nstdout: ${out}\nstderr: ${err}`);
    };
    await until(() => out.includes('stubborn-1  | up'), 'the log line arrives');
    child.kill('SIGINT');
    await until(() => err.includes('Gracefully stopping... (press Ctrl+C again to force)'), 'the graceful notice');
    // The polite one is stopped within its 1s grace period; the stubborn one would hold out for its 60s grace period.
    await until(() => /Container gt\w+-polite-1 {2}Stopped/.test(err), 'polite stops');
    child.kill('SIGINT');
    const started = Date.now();
    assert.equal(await exited, 130, err);
    assert.ok(Date.now() - started < 30_000, 'the second Ctrl-C did not wait for the grace period');
    const engine = await connect({});
    const name = args()[1]!;
    const left = await engine.containers.list({ filters: { label: [`${Label.project}=${name}`] } });
    assert.deepEqual(left.map((c) => c.Names[0]), [], 'nothing is left running');
  });

  it('--progress plain, json and quiet', () => {
    const args = project(`services:\n  only:\n    image: busybox\n    command: ["true"]\n`);
    const plain = runCli(['--progress', 'plain', ...args('up', '-d')]);
    assert.equal(plain.status, 0, plain.stderr);
    assert.match(plain.stderr, /^ Container gt\w+-only-1 {2}Created$/m);
    const json = runCli(['--progress', 'json', ...args('up', '-d', '--force-recreate')]);
    assert.equal(json.status, 0, json.stderr);
    const events = json.stderr.trim().split('\n').map((l) => JSON.parse(l) as { id: string; status: string; done: boolean });
    assert.ok(events.some((e) => /^Container gt\w+-only-1$/.test(e.id) && e.status === 'Started' && e.done), json.stderr);
    const quiet = runCli(['--progress', 'quiet', ...args('up', '-d', '--force-recreate')]);
    assert.equal(quiet.status, 0, quiet.stderr);
    assert.equal(quiet.stderr, '');
    const bad = runCli(['--progress', 'fancy', ...args('up', '-d')]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /invalid --progress value "fancy"/);
  });

  it('refuses abort flags with -d', () => {
    const args = project(TWO);
    const r = runCli(args('up', '-d', '--abort-on-container-exit'));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /need an attached up/);
  });
});
