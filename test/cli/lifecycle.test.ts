// The lifecycle commands as a user runs them: flags, prompts, messages and exit codes.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from './run-cli.js';

/** The CLI as one shell command line, for script(1): sources under tsx, else the build. */
function runCliCommand(args: string[]): string {
  const main = import.meta.url.endsWith('.ts') ? ['--import', 'tsx', resolve('src/cli/main.ts')] : [resolve('dist/src/cli/main.js')];
  return [process.execPath, ...main, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
}

const file = resolve('test/fixtures/projects/chain/compose.yaml');

describe('compose start, stop, rm, kill, run, scale, version (CLI)', function () {
  this.timeout(120_000);
  const name = `gtcli${randomBytes(3).toString('hex')}`;
  const compose = (args: string[], input = '') => runCli(['-p', name, '-f', file, ...args], { input });

  after(() => compose(['down', '-t', '0', '--remove-orphans']));

  it('start without containers fails naming the service', () => {
    const r = compose(['start']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /service "db" has no container to start/);
  });

  it('run passes the exit code and output through; stdin is streamed with -T', () => {
    const r = compose(['run', '--rm', '-T', 'web', 'sh', '-c', 'cat; exit 4'], 'piped\n');
    assert.equal(r.status, 4, r.stderr);
    assert.equal(r.stdout, 'piped\n');
    assert.match(r.stderr, new RegExp(`Container ${name}-db-1  Healthy`));
  });

  it('run on a terminal gets a TTY (through script(1), a real pseudo-terminal)', () => {
    const cli = runCliCommand(['-p', name, '-f', file, 'run', '--rm', '--no-deps', 'web', 'sh', '-c', 'test -t 0 && echo is-a-tty; exit 5']);
    const r = spawnSync('script', ['-qec', cli, '/dev/null'], { encoding: 'utf8', input: '', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(r.error, undefined, 'script(1) from bsdutils must be installed');
    assert.match(r.stdout, /is-a-tty/);
    assert.equal(r.status, 5, r.stdout);
  });

  it('run -d prints the container ID', () => {
    const r = compose(['run', '-d', '--no-deps', 'web', 'sleep', '20']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^[0-9a-f]{64}\n$/);
  });

  it('stop, then rm asks on stdin and keeps the containers without a yes', () => {
    assert.equal(compose(['up', '-d', 'web']).status, 0);
    const stopped = compose(['stop', '-t', '1', 'web']);
    assert.equal(stopped.status, 0, stopped.stderr);
    assert.match(stopped.stderr, new RegExp(`Container ${name}-web-1  Stopped`));
    const no = compose(['rm', 'web'], 'n\n');
    assert.equal(no.status, 0, no.stderr);
    assert.match(no.stdout, new RegExp(`Going to remove ${name}-web-1\nAre you sure\\? \\[yN\\]`));
    assert.match(compose(['ps', '-a', '--format', 'json']).stdout, new RegExp(`${name}-web-1`));
    const yes = compose(['rm', 'web'], 'y\n');
    assert.equal(yes.status, 0, yes.stderr);
    assert.match(yes.stderr, new RegExp(`Container ${name}-web-1  Removed`));
    const none = compose(['rm', '-f', 'web']);
    assert.equal(none.status, 0);
    assert.match(none.stderr, /No stopped containers/);
  });

  it('kill -s reaches one-off containers too; with nothing running it says so', () => {
    const first = compose(['kill', '-s', 'SIGKILL', 'web']);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, new RegExp(`Container ${name}-web-run-[0-9a-f]{12}  Killed`));
    const r = compose(['kill', '-s', 'SIGTERM', 'web']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /No container to kill/);
  });

  it('scale and --dry-run', () => {
    const dry = compose(['scale', '--dry-run', 'api=2']);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`container ${name}-api-2 +create`));
    const bad = compose(['scale', 'api=two']);
    assert.equal(bad.status, 2);
  });

  it('version: pretty, json with the engine, --short', () => {
    const pretty = runCli(['version']);
    assert.match(pretty.stdout, /^gantry version \d+\.\d+\.\d+\nengine version \S+ \(API \d+\.\d+/);
    const json = JSON.parse(runCli(['version', '--format', 'json']).stdout) as { version: string; engine?: { apiVersion: string } };
    assert.match(json.version, /^\d+\.\d+\.\d+/);
    assert.ok(json.engine?.apiVersion);
    assert.match(runCli(['version', '--short']).stdout, /^\d+\.\d+\.\d+\n$/);
    const unreachable = runCli(['-H', 'unix:///nonexistent.sock', 'version']);
    assert.equal(unreachable.status, 0);
    assert.doesNotMatch(unreachable.stdout, /engine/);
  });
});
