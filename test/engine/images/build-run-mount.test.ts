// RUN --mount and RUN --network in the classic builder (`docker build` with
// DOCKER_BUILDKIT=0 on the embedded engine): cache directories kept between
// builds, context and stage binds, tmpfs, secrets without a session, and a
// step without a network. None of it may end up in the image.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { parseRunMount } from '../../../src/engine/images/builder/run-mounts.js';
import { scratchDir } from '../../scratch-dir.js';
import { mountsUnder, startTestEngine, type TestEngine } from '../engine-fixture.js';

function contextDir(files: Record<string, string>): string {
  const dir = scratchDir('gantry-build-mount-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('RUN --mount options', () => {
  it('reads BuildKit\'s spelling: defaults, aliases, relative targets', () => {
    assert.deepEqual(parseRunMount('type=cache,target=/root/.cache', '/'), {
      type: 'cache', target: '/root/.cache', source: undefined, from: undefined, readOnly: false, id: undefined, sharing: 'shared', mode: undefined, uid: undefined, gid: undefined, size: undefined, required: false,
    });
    const bind = parseRunMount('src=conf,dst=etc/app,rw', '/srv');
    assert.deepEqual([bind.type, bind.source, bind.target, bind.readOnly], ['bind', 'conf', '/srv/etc/app', false]);
    assert.equal(parseRunMount('target=/x', '/').readOnly, true);
    assert.equal(parseRunMount('type=secret,id=npmrc', '/').target, '/run/secrets/npmrc');
    assert.deepEqual([parseRunMount('type=cache,target=/c,sharing=locked,mode=0700,uid=10', '/')].map((m) => [m.sharing, m.mode, m.uid]), [['locked', 0o700, 10]]);
    assert.equal(parseRunMount('type=tmpfs,target=/t,size=2m', '/').size, 2 * 1024 * 1024);
  });

  it('says what is wrong with a mount it cannot read', () => {
    assert.throws(() => parseRunMount('type=volume,target=/x', '/'), /RUN --mount=type=volume,target=\/x: unknown mount type "volume"; use bind, cache, tmpfs, secret or ssh/);
    assert.throws(() => parseRunMount('type=cache', '/'), /a target is required/);
    assert.throws(() => parseRunMount('type=cache,target=/x,colour=red', '/'), /unknown option "colour"/);
    assert.throws(() => parseRunMount('type=cache,target=/x,sharing=sometimes', '/'), /sharing must be shared, private or locked/);
    assert.throws(() => parseRunMount('type=cache,target=/x,uid=me', '/'), /uid must be a number/);
  });
});

describe('engine: RUN --mount and --network (classic builder)', function () {
  this.timeout(180_000);
  let engine: TestEngine;
  const build = (dir: string, args: string[] = []) => engine.docker(['build', ...args, dir], { timeoutMs: 120_000 });
  const runIn = (image: string, script: string) => engine.docker(['run', '--rm', image, 'sh', '-c', script]);

  before(async () => {
    process.env.DOCKER_BUILDKIT = '0';
    engine = await startTestEngine();
  });
  after(async () => engine?.stop());

  it('keeps a cache mount between builds, by id, and out of the image', () => {
    const dir = contextDir({
      Dockerfile: ['FROM busybox:latest', 'ARG CACHE_ID=pkgs', 'RUN --mount=type=cache,id=${CACHE_ID},target=/var/cache/pkgs echo run >> /var/cache/pkgs/log && wc -l < /var/cache/pkgs/log > /runs'].join('\n'),
    });
    for (const expected of ['1', '2']) {
      const r = build(dir, ['--no-cache', '-t', `cached:${expected}`]);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.equal(runIn(`cached:${expected}`, 'cat /runs').stdout.trim(), expected);
    }
    // Neither the cache's files nor the directory made to mount it.
    assert.equal(runIn('cached:2', 'ls -d /var/cache/pkgs 2>/dev/null | wc -l').stdout.trim(), '0', 'the cache mount left its mark in the image');
    // Another id is another directory.
    const other = build(dir, ['--no-cache', '--build-arg', 'CACHE_ID=other', '-t', 'cached:other']);
    assert.equal(other.status, 0, other.stdout + other.stderr);
    assert.equal(runIn('cached:other', 'cat /runs').stdout.trim(), '1');
  });

  it('binds context files read-only (rw gets a copy), keys the step by their content, leaves them out of the image', () => {
    const dir = contextDir({
      Dockerfile: [
        'FROM busybox:latest',
        'RUN --mount=type=bind,source=conf,target=/conf cat /conf/app.conf > /seen && ! touch /conf/new 2>/dev/null',
        'RUN --mount=type=bind,source=conf,target=/conf,rw echo changed > /conf/app.conf && cat /conf/app.conf > /written',
        'COPY conf/app.conf /copied',
      ].join('\n'),
      'conf/app.conf': 'first\n',
    });
    const first = build(dir, ['-t', 'bound:1']);
    assert.equal(first.status, 0, first.stdout + first.stderr);
    assert.equal(runIn('bound:1', 'cat /seen /written /copied; ls /conf 2>/dev/null | wc -l').stdout, 'first\nchanged\nfirst\n0\n');
    const again = build(dir, ['-t', 'bound:1']);
    assert.equal((again.stdout.match(/Using cache/g) ?? []).length, 3, again.stdout);
    writeFileSync(join(dir, 'conf/app.conf'), 'second\n');
    const changed = build(dir, ['-t', 'bound:2']);
    assert.equal(changed.status, 0, changed.stdout + changed.stderr);
    assert.doesNotMatch(changed.stdout, /Using cache/);
    assert.equal(runIn('bound:2', 'cat /seen').stdout, 'second\n');
  });

  it('binds from an earlier stage, mounts a tmpfs, runs without a network', () => {
    const dir = contextDir({
      Dockerfile: [
        'FROM busybox:latest AS tools',
        'RUN echo tool > /tool.txt',
        'FROM busybox:latest',
        'RUN --mount=type=bind,from=tools,source=/tool.txt,target=/mnt/tool.txt cat /mnt/tool.txt > /got',
        'RUN --mount=type=tmpfs,target=/scratch,size=1m grep -q " /scratch tmpfs" /proc/mounts && echo x > /scratch/f',
        'RUN --network=none sh -c "! ip link show eth0 && ip link show lo" > /links',
      ].join('\n'),
    });
    const r = build(dir, ['-t', 'staged:1']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(runIn('staged:1', 'cat /got; ls -d /scratch /mnt/tool.txt 2>/dev/null | wc -l').stdout, 'tool\n0\n');
    assert.deepEqual(mountsUnder(engine.dataRoot).filter((m) => m.includes('/build-')), [], 'a stage mounted for the step was left mounted');
  });

  it('skips a secret it cannot be given, refuses a required one, and says why', () => {
    const optional = contextDir({ Dockerfile: 'FROM busybox:latest\nRUN --mount=type=secret,id=token sh -c "test ! -e /run/secrets/token"\n' });
    const ok = build(optional, ['-t', 'secretless:1']);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    const required = contextDir({ Dockerfile: 'FROM busybox:latest\nRUN --mount=type=secret,id=token,required cat /run/secrets/token\n' });
    const refused = build(required, ['-t', 'secretless:2']);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stdout + refused.stderr, /secret token is required, but this builder is not given secrets/);
    const badType = contextDir({ Dockerfile: 'FROM busybox:latest\nRUN --mount=type=volume,target=/x true\n' });
    const typed = build(badType);
    assert.notEqual(typed.status, 0);
    assert.match(typed.stdout + typed.stderr, /unknown mount type "volume"/);
    const hostNet = contextDir({ Dockerfile: 'FROM busybox:latest\nRUN --network=host true\n' });
    const host = build(hostNet);
    assert.notEqual(host.status, 0);
    assert.match(host.stdout + host.stderr, /network\.host entitlement/);
  });
});
