// Building service images on a real engine (dockerd here; the embedded
// engine in the acceptance run): `build`, `up` building what is missing,
// `up --build` recreating containers whose image changed, and the CLI.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type EngineClient } from '../../src/engine-client/index.js';
import { build, down, up, type ProgressEvent } from '../../src/project/index.js';

const COMPOSE = `services:
  app:
    build:
      context: ./app
      args:
        GREETING: hello
      target: final
    command: ["sleep", "300"]
    stop_grace_period: 1s
  inline:
    build:
      context: ./app
      dockerfile_inline: |
        FROM busybox:latest
        COPY message.txt /inline.txt
    image: gtbuild-inline-\${SUFFIX}:1
    command: ["sleep", "300"]
    stop_grace_period: 1s
`;

const DOCKERFILE = `FROM busybox:latest AS base
ARG GREETING=unset
RUN echo "$GREETING from the build" > /greeting
FROM base AS final
COPY message.txt /message.txt
COPY . /context/
`;

describe('build on an engine', function () {
  this.timeout(180_000);
  const suffix = randomBytes(4).toString('hex');
  const name = `gtb${suffix}`;
  let engine: EngineClient;
  let dir: string;
  const load = () => ({ workingDir: dir, projectName: name, env: { PATH: process.env.PATH ?? '', SUFFIX: suffix } });
  const run = async (image: string, cmd: string[]) => {
    const r = spawnSync('docker', ['-H', process.env.DOCKER_HOST!, 'run', '--rm', image, ...cmd], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };

  before(async () => {
    engine = await connect({});
    dir = mkdtempSync(join(tmpdir(), 'gt-build-'));
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'compose.yaml'), COMPOSE);
    writeFileSync(join(dir, 'app', 'Dockerfile'), DOCKERFILE);
    writeFileSync(join(dir, 'app', 'message.txt'), 'first\n');
    writeFileSync(join(dir, 'app', 'secret.txt'), 'never sent\n');
    writeFileSync(join(dir, 'app', '.dockerignore'), 'secret.txt\n');
  });
  after(async () => {
    await down(load(), { removeOrphans: true, timeout: 0, rmi: 'all' }).catch(() => {});
    await engine.images.remove(`gtbuild-inline-${suffix}:1`, { force: true }).catch(() => {});
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('builds each service image from its context, args, target and inline Dockerfile, leaving out what .dockerignore says', async () => {
    const events: ProgressEvent[] = [];
    const output: string[] = [];
    const built = await build(load(), { onProgress: (e) => events.push(e), onOutput: (s, t) => output.push(`${s}:${t}`) });
    assert.deepEqual(built, [{ service: 'app', image: `${name}-app` }, { service: 'inline', image: `gtbuild-inline-${suffix}:1` }]);
    assert.ok(events.some((e) => e.object === 'Image' && e.name === `${name}-app` && e.status === 'Built' && e.done));
    assert.ok(output.some((l) => l.startsWith('app:Step 1/')), output.join(''));
    assert.equal(await run(`${name}-app`, ['cat', '/greeting', '/message.txt']), 'hello from the build\nfirst\n');
    assert.equal(await run(`${name}-app`, ['ls', '/context']), 'Dockerfile\nmessage.txt\n');
    assert.equal(await run(`gtbuild-inline-${suffix}:1`, ['cat', '/inline.txt']), 'first\n');
  });

  it('--build-arg overrides the file, and a failing step names the service', async () => {
    await build(load(), { services: ['app'], buildArgs: { GREETING: 'howdy' } });
    assert.equal(await run(`${name}-app`, ['cat', '/greeting']), 'howdy from the build\n');
    writeFileSync(join(dir, 'app', 'Dockerfile'), 'FROM busybox:latest AS final\nRUN exit 7\n');
    try {
      await assert.rejects(build(load(), { services: ['app'] }), /service "app".*returned a non-zero code: 7/);
    } finally {
      writeFileSync(join(dir, 'app', 'Dockerfile'), DOCKERFILE);
    }
    await assert.rejects(build(load(), { services: ['nope'] }), /no such service: nope/);
  });

  it('up builds a missing image; up --build rebuilds and recreates only what changed image', async () => {
    await engine.images.remove(`${name}-app`, { force: true });
    await up(load(), { services: ['app'] });
    const first = await engine.containers.inspect(`${name}-app-1`);
    assert.equal(first?.State.Running, true);
    const { plan: unchanged } = await up(load(), { services: ['app'], dryRun: true });
    assert.deepEqual(unchanged.services.app!.map((a) => a.kind), ['keep-container']);

    writeFileSync(join(dir, 'app', 'message.txt'), 'second\n');
    const { plan } = await up(load(), { services: ['app'], build: true });
    assert.deepEqual(plan.services.app!.map((a) => [a.kind, a.reason]), [['recreate-container', 'image changed']]);
    const second = await engine.containers.inspect(`${name}-app-1`);
    assert.notEqual(second!.Image, first!.Image);
    const r = spawnSync('docker', ['-H', process.env.DOCKER_HOST!, 'exec', `${name}-app-1`, 'cat', '/message.txt'], { encoding: 'utf8' });
    assert.equal(r.stdout, 'second\n');
  });

  it('compose build on the command line builds the named service and shows its steps', () => {
    const r = spawnSync(process.execPath, [resolve('dist/src/cli/main.js'), '-p', name, '--progress', 'plain', 'build', '--build-arg', 'GREETING=cli', 'app'], { cwd: dir, encoding: 'utf8', env: { ...process.env, SUFFIX: suffix }, timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /app {2}\| Step 1\/\d+ : FROM busybox:latest AS base/);
    const check = spawnSync('docker', ['-H', process.env.DOCKER_HOST!, 'run', '--rm', `${name}-app`, 'cat', '/greeting'], { encoding: 'utf8' });
    assert.equal(check.stdout, 'cli from the build\n');
  });

  it('down --rmi local removes the images built without an image: name, and leaves the named one', async () => {
    const { plan } = await down(load(), { rmi: 'local', timeout: 0 });
    assert.deepEqual(plan.cleanup.filter((a) => a.kind === 'remove-image').map((a) => a.name), [`${name}-app`]);
    assert.equal(await engine.images.inspect(`${name}-app`), undefined);
    assert.ok(await engine.images.inspect(`gtbuild-inline-${suffix}:1`));
  });
});
