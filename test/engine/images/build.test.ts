// `docker build` (classic builder, DOCKER_BUILDKIT=0) against the embedded
// engine: real RUN containers through runc, real overlay layers.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { tarBuffer } from '../../../src/engine/images/tar-writer.js';
import { mountsUnder, startTestEngine, type TestEngine } from '../engine-fixture.js';

function contextDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-build-ctx-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function postTar(socketPath: string, path: string, body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method: 'POST', path, headers: { 'Content-Type': 'application/x-tar' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('engine: POST /build (classic builder)', function () {
  this.timeout(180_000);
  let engine: TestEngine;
  const dirs: string[] = [];
  const build = (dir: string, args: string[]) => engine.docker(['build', ...args, dir], { timeoutMs: 120_000 });

  before(async () => {
    process.env.DOCKER_BUILDKIT = '0';
    engine = await startTestEngine();
  });
  after(async () => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await engine?.stop();
  });

  it('builds a multi-stage Dockerfile up to a target, with build args, labels and several tags', () => {
    const dockerfile = [
      '# syntax=docker/dockerfile:1',
      'ARG BASE=busybox:latest',
      'FROM ${BASE} AS builder',
      'ARG GREETING=hello',
      'ENV APP_DIR=/app',
      'WORKDIR ${APP_DIR}/src',
      'COPY files/ ./',
      'RUN echo "$GREETING from build" > built.txt \\',
      '    && mkdir -p /out \\',
      '    # a comment inside the continuation',
      '    && cp built.txt data.txt /out/',
      'FROM busybox:latest AS final',
      'ARG VERSION',
      'ENV VERSION=${VERSION:-none} HOME_DIR="/home/app dir"',
      'COPY --from=builder /out/ /opt/out/',
      'COPY --chown=1000:1001 files/data.txt /opt/owned.txt',
      'RUN ["mkdir", "-p", "/home/app"]',
      'USER 1000',
      'WORKDIR /home/app',
      'CMD ["sh", "-c", "cat /opt/out/built.txt"]',
      'LABEL stage=final "with space"="a b"',
      'EXPOSE 8080',
      'FROM final AS never',
      'RUN exit 9',
    ].join('\n');
    const dir = contextDir({ Dockerfile: dockerfile, 'files/data.txt': 'data\n' });
    dirs.push(dir);
    const r = build(dir, ['--target', 'final', '--build-arg', 'GREETING=hi', '--build-arg', 'VERSION=1.2', '--label', 'built=yes', '-t', 'multi:one', '-t', 'other/multi:two']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Step 1\/17 : FROM \$\{BASE\} AS builder/);
    assert.match(r.stdout, /Successfully built [0-9a-f]{12}/);
    assert.match(r.stdout, /Successfully tagged multi:one/);
    assert.match(r.stdout, /Successfully tagged other\/multi:two/);
    assert.doesNotMatch(r.stdout, /exit 9/, 'stages after the target are not built');

    const cmd = engine.docker(['run', '--rm', 'multi:one']);
    assert.equal(cmd.stdout, 'hi from build\n', cmd.stderr);
    const check = engine.docker(['run', '--rm', 'other/multi:two', 'sh', '-c', 'id -u; pwd; echo "$VERSION|$HOME_DIR"; stat -c %u:%g /opt/owned.txt; cat /opt/out/data.txt']);
    assert.equal(check.stdout, '1000\n/home/app\n1.2|/home/app dir\n1000:1001\ndata\n', check.stderr);

    const [img] = JSON.parse(engine.docker(['image', 'inspect', 'multi:one']).stdout) as Array<{ Config: { Labels: Record<string, string>; ExposedPorts: Record<string, unknown> }; RepoTags: string[] }>;
    assert.deepEqual(img!.Config.Labels, { stage: 'final', 'with space': 'a b', built: 'yes' });
    assert.ok('8080/tcp' in img!.Config.ExposedPorts);
    assert.deepEqual([...img!.RepoTags].sort(), ['multi:one', 'other/multi:two']);
  });

  it('honours .dockerignore', () => {
    const dir = contextDir({
      Dockerfile: 'FROM busybox:latest\nCOPY . /ctx/\nCMD ["ls", "-A", "/ctx", "/ctx/sub"]',
      '.dockerignore': '# comment\nsecret.txt\nsub/*.log\n!sub/keep.log\n',
      'secret.txt': 'no',
      'keep.txt': 'yes',
      'sub/a.log': 'no',
      'sub/keep.log': 'yes',
    });
    dirs.push(dir);
    const r = build(dir, ['-t', 'ignoring']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const ls = engine.docker(['run', '--rm', 'ignoring']);
    assert.equal(ls.stdout, '/ctx:\n.dockerignore\nDockerfile\nkeep.txt\nsub\n\n/ctx/sub:\nkeep.log\n', ls.stderr);
  });

  it('reports a failing RUN and leaves no container, mount or layer behind', async () => {
    const layersDir = join(engine.dataRoot, 'images', 'layers');
    const layersBefore = readdirSync(layersDir).sort();
    const dir = contextDir({ Dockerfile: 'FROM busybox:latest\nRUN echo before && exit 3\nRUN echo never' });
    dirs.push(dir);
    const r = build(dir, ['-t', 'broken']);
    assert.notEqual(r.status, 0);
    assert.match(r.stdout, /before/);
    assert.match(r.stderr, /The command '\/bin\/sh -c echo before && exit 3' returned a non-zero code: 3/);
    assert.equal(engine.docker(['ps', '-aq']).stdout.trim(), '', 'no intermediate container left');
    await new Promise((res) => setTimeout(res, 300));
    assert.deepEqual(mountsUnder(engine.dataRoot), [], 'nothing mounted');
    assert.deepEqual(readdirSync(join(engine.dataRoot, 'rootfs')).filter((d) => !d.startsWith('.')), [], 'no container layers of changes');
    assert.deepEqual(readdirSync(layersDir).sort(), layersBefore, 'no new image layer');
    assert.equal(engine.docker(['image', 'inspect', 'broken']).status, 1);
  });

  it('refuses a context that climbs out with ../ and contains an absolute symlink', async () => {
    const outside = `/tmp/gantry-build-escape-${engine.id}`;
    rmSync(outside, { force: true });
    const climbing = await tarBuffer([
      { path: 'Dockerfile', data: 'FROM busybox:latest\n' },
      { path: `../../../../../..${outside}`, data: 'escaped' },
    ]);
    const r1 = await postTar(engine.socketPath, '/build?t=escape', climbing);
    assert.equal(r1.status, 400, r1.body);
    assert.match(r1.body, /path contains \.\./);
    assert.ok(!existsSync(outside), 'nothing written outside the context');

    const viaLink = await tarBuffer([
      { path: 'Dockerfile', data: 'FROM busybox:latest\n' },
      { path: 'link', type: 'SymbolicLink', linkpath: '/tmp' },
      { path: `link/gantry-build-escape-${engine.id}`, data: 'escaped' },
    ]);
    const r2 = await postTar(engine.socketPath, '/build?t=escape', viaLink);
    assert.equal(r2.status, 400, r2.body);
    assert.match(r2.body, /parent link is a symlink/);
    assert.ok(!existsSync(outside), 'nothing written through the symlink');

    // An absolute symlink is kept but read inside the context: /etc/hostname of the host is not found there.
    const reading = await tarBuffer([
      { path: 'Dockerfile', data: 'FROM busybox:latest\nCOPY host/hostname /stolen\n' },
      { path: 'host', type: 'SymbolicLink', linkpath: '/etc' },
    ]);
    const r3 = await postTar(engine.socketPath, '/build?t=escape', reading);
    assert.equal(r3.status, 200);
    assert.match(r3.body, /"errorDetail".*file not found in build context/);
  });

  it('reuses cached steps on a second identical build', () => {
    const dir = contextDir({ Dockerfile: 'FROM busybox:latest\nCOPY a.txt /a.txt\nRUN cat /a.txt > /b.txt && date +%s%N > /stamp\nENV X=1\n', 'a.txt': 'one\n' });
    dirs.push(dir);
    const first = build(dir, ['-t', 'cached']);
    assert.equal(first.status, 0, first.stdout + first.stderr);
    assert.doesNotMatch(first.stdout, /Using cache/);
    const second = build(dir, ['-t', 'cached']);
    assert.equal(second.status, 0, second.stdout + second.stderr);
    assert.equal(second.stdout.match(/Using cache/g)?.length, 2, second.stdout);
    const idOf = (out: string) => /Successfully built ([0-9a-f]{12})/.exec(out)?.[1];
    assert.equal(idOf(second.stdout), idOf(first.stdout));

    writeFileSync(join(dir, 'a.txt'), 'two\n');
    const third = build(dir, ['-t', 'cached']);
    assert.doesNotMatch(third.stdout, /Using cache/, 'a changed COPY source misses the cache');
    assert.equal(engine.docker(['run', '--rm', 'cached', 'cat', '/b.txt']).stdout, 'two\n');
    const fourth = build(dir, ['--no-cache', '-t', 'cached']);
    assert.doesNotMatch(fourth.stdout, /Using cache/);
  });

  it('extracts a local tar with ADD, refuses ADD of a URL, and prints only the id when quiet', async () => {
    const dir = contextDir({ Dockerfile: 'FROM busybox:latest\nADD pack.tar /opt/\nRUN test -f /opt/x/y.txt\nHEALTHCHECK --interval=5s CMD true\nSTOPSIGNAL SIGINT\n' });
    dirs.push(dir);
    writeFileSync(join(dir, 'pack.tar'), await tarBuffer([{ path: 'x/', type: 'Directory' }, { path: 'x/y.txt', data: 'inside\n' }]));
    const r = build(dir, ['-q', '-t', 'added']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^sha256:[0-9a-f]{64}\n$/);
    assert.equal(engine.docker(['run', '--rm', 'added', 'cat', '/opt/x/y.txt']).stdout, 'inside\n');
    const [img] = JSON.parse(engine.docker(['image', 'inspect', 'added']).stdout) as Array<{ Config: { Healthcheck: { Test: string[]; Interval: number }; StopSignal: string } }>;
    assert.deepEqual(img!.Config.Healthcheck, { Test: ['CMD-SHELL', 'true'], Interval: 5e9 });
    assert.equal(img!.Config.StopSignal, 'SIGINT');

    const url = contextDir({ Dockerfile: 'FROM busybox:latest\nADD http://example.com/file /file\n' });
    dirs.push(url);
    const u = build(url, ['-t', 'from-url']);
    assert.notEqual(u.status, 0);
    assert.match(u.stderr, /ADD from a URL is not supported/);
  });
});
