// The compiled CLI as a person runs it: output, stderr, exit codes.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { scratchDir } from '../scratch-dir.js';

const cli = resolve('dist/src/cli/main.js');
const sample = resolve('samples/hello/compose.yaml');

function compose(args: string[], opts: { cwd?: string; input?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: opts.cwd ?? process.cwd(),
    input: opts.input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', NO_COLOR: '1', ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function scratch(files: Record<string, string>): string {
  const dir = scratchDir('gantry-cli-');
  for (const [n, t] of Object.entries(files)) writeFileSync(join(dir, n), t);
  return dir;
}

describe('compose config (CLI)', () => {
  it('prints the normalized sample as YAML and exits 0', () => {
    const r = compose(['-f', sample, 'config']);
    assert.equal(r.code, 0, r.stderr);
    const doc = parse(r.stdout);
    assert.equal(doc.name, 'hello');
    assert.deepEqual(Object.keys(doc.services), ['cache', 'migrate', 'web']);
    assert.equal(doc.services.web.ports[0].published, '18080');
    assert.equal(r.stderr, '');
  });

  it('prints JSON with --format json, and writes -o FILE', () => {
    const r = compose(['-f', sample, 'config', '--format', 'json']);
    assert.equal(JSON.parse(r.stdout).services.cache.healthcheck.interval, '1s');
    const out = join(scratch({}), 'out.yaml');
    assert.equal(compose(['-f', sample, 'config', '-o', out]).stdout, '');
    assert.equal(parse(readFileSync(out, 'utf8')).name, 'hello');
  });

  it('lists services, volumes, networks, profiles, images and hashes', () => {
    assert.equal(compose(['-f', sample, 'config', '--services']).stdout, 'cache\nmigrate\nweb\n');
    assert.equal(compose(['-f', sample, 'config', '--networks']).stdout, 'default\n');
    assert.equal(compose(['-f', sample, 'config', '--images']).stdout, 'busybox:latest\nbusybox:latest\nbusybox:latest\n');
    const hashes = compose(['-f', sample, 'config', '--hash', 'web,cache']).stdout.trim().split('\n');
    assert.equal(hashes.length, 2);
    assert.match(hashes[0]!, /^web [0-9a-f]{64}$/);
    const dir = scratch({ 'compose.yaml': 'services:\n  a:\n    image: busybox\n    profiles: [x, y]\n  b:\n    image: busybox\n    profiles: [z]\n  v:\n    image: busybox\n    volumes: [data:/d]\nvolumes:\n  data: {}\n' });
    assert.equal(compose(['config', '--profiles'], { cwd: dir }).stdout, 'x\ny\nz\n');
    assert.equal(compose(['config', '--volumes'], { cwd: dir }).stdout, 'data\n');
  });

  it('the hash is stable and changes with the config', () => {
    const a = compose(['-f', sample, 'config', '--hash', '*']).stdout;
    assert.equal(compose(['-f', sample, 'config', '--hash', '*']).stdout, a);
    const b = compose(['-f', sample, 'config', '--hash', '*'], { env: { GREETING: 'changed' } }).stdout;
    assert.notEqual(a, b);
  });

  it('-q validates and prints nothing', () => {
    const r = compose(['-f', sample, 'config', '-q']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
  });

  it('reads -f - from standard input', () => {
    const r = compose(['-f', '-', '-p', 'fromstdin', 'config', '--services'], { input: 'services:\n  only:\n    image: busybox\n' });
    assert.equal(r.stdout, 'only\n');
  });

  it('--no-interpolate keeps ${VAR} as written', () => {
    const dir = scratch({ 'compose.yaml': 'services:\n  a:\n    image: "busybox:${TAG:-1}"\n' });
    assert.match(compose(['config', '--no-interpolate'], { cwd: dir }).stdout, /busybox:\$\{TAG:-1\}/);
    assert.match(compose(['config'], { cwd: dir }).stdout, /image: busybox:1/);
  });

  it('--no-normalize leaves out the default network', () => {
    const dir = scratch({ 'compose.yaml': 'services:\n  a:\n    image: busybox\n' });
    assert.doesNotMatch(compose(['config', '--no-normalize'], { cwd: dir }).stdout, /default/);
    assert.match(compose(['config'], { cwd: dir }).stdout, /default/);
  });

  it('its output is accepted again and gives the same output', () => {
    const first = compose(['-f', sample, 'config']).stdout;
    const again = compose(['-f', '-', '--project-directory', resolve('samples/hello'), 'config'], { input: first });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, first);
  });

  it('writes a literal $ back as $$ so the output loads to the same values', () => {
    const input = 'services:\n  a:\n    image: busybox\n    command: echo $$HOME\n';
    const first = compose(['-f', '-', '-p', 'dollar', 'config'], { input });
    assert.match(first.stdout, /- \$\$HOME/);
    assert.equal(compose(['-f', '-', '-p', 'dollar', 'config'], { input: first.stdout }).stdout, first.stdout);
  });

  describe('bad input', () => {
    it('names file:line:col, what is wrong and what would be right; exit 15; no stack trace', () => {
      const dir = scratch({ 'compose.yaml': 'services:\n  web:\n    image: busybox\n    restart_policy: always\n' });
      const r = compose(['config'], { cwd: dir });
      assert.equal(r.code, 15);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, new RegExp(`^error: ${join(dir, 'compose.yaml')}:4:5: services.web.restart_policy: unknown key "restart_policy" in services.web\\n  hint: did you mean "restart"\\?`));
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });

    it('--verbose adds the stack trace', () => {
      const dir = scratch({ 'compose.yaml': 'services: [1\n' });
      const r = compose(['--verbose', 'config'], { cwd: dir });
      assert.equal(r.code, 15);
      assert.match(r.stderr, /\n\s+at /);
    });

    it('shows the message of ${VAR:?msg} and where the expression is', () => {
      const dir = scratch({ 'compose.yaml': 'services:\n  web:\n    image: busybox:${BB_TAG:?BB_TAG must be set to the busybox tag}\n' });
      const r = compose(['config'], { cwd: dir });
      assert.equal(r.code, 15);
      assert.match(r.stderr, /compose\.yaml:3:12: services\.web\.image: required variable BB_TAG is missing a value: BB_TAG must be set to the busybox tag/);
    });

    it('names a dependency cycle in full', () => {
      const dir = scratch({ 'compose.yaml': 'services:\n  a:\n    image: busybox\n    depends_on: [b]\n  b:\n    image: busybox\n    depends_on: [c]\n  c:\n    image: busybox\n    depends_on: [a]\n' });
      const r = compose(['config'], { cwd: dir });
      assert.equal(r.code, 15);
      assert.match(r.stderr, /dependency cycle: a -> b -> c -> a/);
    });

    it('rejects an invalid project name with the rule, exit 2', () => {
      const r = compose(['-f', sample, '-p', 'Bad Name', 'config']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /invalid project name "Bad Name".*lowercase/);
    });

    it('an unknown flag is a usage error', () => {
      const r = compose(['config', '--no-such-flag']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /unknown option/);
    });

    it('no compose file found says how to name one', () => {
      const r = compose(['config'], { cwd: scratch({}) });
      assert.equal(r.code, 15);
      assert.match(r.stderr, /no configuration file provided/);
      assert.match(r.stderr, /-f FILE/);
    });
  });

  it('version and --help answer', () => {
    assert.match(compose(['version']).stdout, /^gantry version \d+\.\d+\.\d+/);
    assert.match(compose(['--version']).stdout, /^\d+\.\d+\.\d+/);
    assert.match(compose(['--help']).stdout, /Usage: compose/);
  });
});
