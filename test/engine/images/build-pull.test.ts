// A build whose base image the engine lacks pulls it from its registry (a
// real docker-registry on loopback), inside the build's own stream; `--pull`
// fetches it again; a base no registry has fails the build with the reason.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, type LocalRegistry } from '../../project/local-registry.js';
import { startTestEngine, type TestEngine } from '../engine-fixture.js';

describe('engine: a build pulls its base image', function () {
  this.timeout(180_000);
  let registry: LocalRegistry;
  let engine: TestEngine;
  let dir: string;
  let base: string;
  const ok = (args: string[]) => {
    const r = engine.docker(args, { timeoutMs: 120_000 });
    assert.equal(r.status, 0, `docker ${args.join(' ')}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };

  before(async () => {
    process.env.DOCKER_BUILDKIT = '0';
    registry = await startRegistry();
    engine = await startTestEngine();
    dir = mkdtempSync(join(tmpdir(), 'gantry-build-pull-'));
    base = `${registry.host}/gt-${randomBytes(3).toString('hex')}/base:1`;
    ok(['tag', 'busybox:latest', base]);
    ok(['push', base]);
    ok(['rmi', base]);
  });
  after(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await engine?.stop();
    await registry?.stop();
  });

  it('pulls a missing base image and builds on it', () => {
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${base}\nRUN echo built > /made\nCMD ["cat", "/made"]\n`);
    const out = ok(['build', '-t', 'gt-pulled-base:1', dir]);
    assert.match(out, /Successfully tagged gt-pulled-base:1/);
    assert.equal(engine.docker(['image', 'inspect', base]).status, 0, 'the base image is in the engine after the build');
    assert.equal(ok(['run', '--rm', 'gt-pulled-base:1']).trim(), 'built');
  });

  it('with --pull asks the registry again even when the base is present', () => {
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${base}\nCMD ["true"]\n`);
    const out = ok(['build', '--pull', '-t', 'gt-pulled-base:2', dir]);
    assert.match(out, /Image is up to date|Status:/, out);
  });

  it('fails the build with the registry\'s reason for a base no registry has, and builds nothing', () => {
    const missing = `${registry.host}/gt-none/nothing:1`;
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${missing}\nRUN true\n`);
    const r = engine.docker(['build', '-t', 'gt-never:1', dir], { timeoutMs: 60_000 });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr + r.stdout, /pulling .*nothing:1: .*(not found|unknown)/i);
    assert.notEqual(engine.docker(['image', 'inspect', 'gt-never:1']).status, 0);
  });
});
