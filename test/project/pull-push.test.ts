// pull and push through dockerd against a real local registry.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type EngineClient } from '../../src/engine-client/index.js';
import { pull, push, type ProgressEvent } from '../../src/project/index.js';
import { startRegistry, type LocalRegistry } from './local-registry.js';

describe('pull and push with a local registry #distribution', function () {
  this.timeout(120_000);
  const id = randomBytes(4).toString('hex');
  let registry: LocalRegistry;
  let engine: EngineClient;
  let dir: string;
  let image: string;
  const load = () => ({ workingDir: dir, projectName: `gt${id}`, env: { PATH: process.env.PATH ?? '', HOME: dir } });

  before(async () => {
    registry = await startRegistry();
    engine = await connect({});
    image = `${registry.host}/gt-${id}/busybox:1`;
    dir = await mkdtemp(join(tmpdir(), 'gt-pull-'));
    await writeFile(join(dir, 'Dockerfile'), 'FROM busybox:latest\n');
    await writeFile(
      join(dir, 'compose.yaml'),
      `services:\n  app:\n    build: .\n    image: ${image}\n  plain:\n    image: ${image}\n  local:\n    build: .\n  missing:\n    image: ${registry.host}/gt-${id}/nothing:1\n    profiles: [broken]\n`,
    );
    await engine.images.tag('busybox:latest', image);
  });
  after(async () => {
    await engine.images.remove(image, { force: true }).catch(() => {});
    await registry?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('push sends the images of services that build and name them, skips the others', async () => {
    const events: ProgressEvent[] = [];
    const result = await push(load(), { onProgress: (e) => events.push(e) });
    assert.deepEqual(result.map((r) => [r.service, r.outcome]), [['app', 'pushed'], ['local', 'skipped'], ['plain', 'skipped']]);
    assert.ok(events.some((e) => e.object === 'Image' && e.name === image && e.status === 'Pushed' && e.done));
    const tags = (await (await fetch(`http://${registry.host}/v2/gt-${id}/busybox/tags/list`)).json()) as { tags: string[] };
    assert.deepEqual(tags.tags, ['1']);
  });

  it('pull fetches each image once, skips build-only services; --policy missing skips present images', async () => {
    await engine.images.remove(image, { force: true });
    const events: ProgressEvent[] = [];
    const result = await pull(load(), { onProgress: (e) => events.push(e) });
    assert.deepEqual(result.map((r) => [r.service, r.outcome]), [['app', 'pulled'], ['local', 'skipped'], ['plain', 'pulled']]);
    assert.equal(result.find((r) => r.service === 'local')!.detail, 'No image to be pulled');
    assert.equal(events.filter((e) => e.status === 'Pulled').length, 1);
    assert.ok(await engine.images.inspect(image));
    const again = await pull(load(), { policy: 'missing', services: ['plain'] });
    assert.deepEqual(again.map((r) => [r.service, r.outcome, r.detail]), [['plain', 'skipped', 'Image is already present locally']]);
  });

  it('a failed pull names the service; --ignore-pull-failures makes it a result', async () => {
    await assert.rejects(pull(load(), { services: ['missing'] }), (e: Error) => /^service "missing": pull image .*nothing:1: .*(not found|unknown)/i.test(e.message));
    const r = await pull(load(), { services: ['missing'], ignorePullFailures: true });
    assert.equal(r[0]!.outcome, 'failed');
  });

  it('sends the credentials stored in ~/.docker/config.json', async () => {
    const { registryAuth } = await import('../../src/project/registry-auth.js');
    await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from('me:secret').toString('base64') } } }));
    assert.deepEqual(await registryAuth(image, { DOCKER_CONFIG: dir }), { username: 'me', password: 'secret', identitytoken: undefined, registrytoken: undefined, serveraddress: registry.host });
    assert.deepEqual(await registryAuth('busybox', { DOCKER_CONFIG: dir }), {});
  });
});
