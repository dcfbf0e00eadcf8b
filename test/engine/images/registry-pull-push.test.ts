// Pull and push between the embedded engine and a real registry (Debian's
// docker-registry on loopback), driven by Debian's docker CLI.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestEngine, type TestEngine } from '../engine-fixture.js';
import { startRegistry, type LocalRegistry } from '../../project/local-registry.js';
import { pushLayeredImage } from './registry-hand-made.js';

describe('embedded engine: pull and push with a registry', function () {
  this.timeout(180_000);
  let registry: LocalRegistry;
  let engine: TestEngine;
  const repo = () => `${registry.host}/gt-${randomBytes(3).toString('hex')}/busybox`;
  const ok = (args: string[]) => {
    const r = engine.docker(args);
    assert.equal(r.status, 0, `docker ${args.join(' ')}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const inspect = (ref: string) => JSON.parse(ok(['image', 'inspect', ref]))[0] as { Id: string; RepoDigests: string[]; RepoTags: string[]; Architecture: string };

  before(async () => {
    registry = await startRegistry();
    engine = await startTestEngine();
  });
  after(async () => {
    await engine?.stop();
    await registry?.stop();
  });

  it('pushes busybox, pulls it back after removal: same image id, runs', async () => {
    const name = repo();
    const id = inspect('busybox:latest').Id;
    ok(['tag', 'busybox:latest', `${name}:1`]);
    const pushed = ok(['push', `${name}:1`]);
    assert.match(pushed, new RegExp(`The push refers to repository \\[${name.replace(/[.]/g, '\\.')}\\]`));
    assert.match(pushed, /Pushed/);
    const digest = /1: digest: (sha256:[0-9a-f]{64}) size: \d+/.exec(pushed)?.[1];
    assert.ok(digest, pushed);
    const tags = (await (await fetch(`http://${name.replace(registry.host, registry.host + '/v2')}/tags/list`)).json()) as { tags: string[] };
    assert.deepEqual(tags.tags, ['1']);
    assert.ok(inspect(`${name}:1`).RepoDigests.includes(`${name}@${digest}`));

    // A second push finds every blob there already.
    assert.match(ok(['push', `${name}:1`]), /Layer already exists/);

    ok(['rmi', `${name}:1`, 'busybox:latest']);
    assert.notEqual(engine.docker(['image', 'inspect', id]).status, 0, 'the image should be gone');
    const pulled = ok(['pull', `${name}:1`]);
    assert.match(pulled, /Pull complete/);
    assert.match(pulled, new RegExp(`Digest: ${digest}`));
    assert.match(pulled, /Status: Downloaded newer image for/);
    const back = inspect(`${name}:1`);
    assert.equal(back.Id, id);
    assert.ok(back.RepoDigests.includes(`${name}@${digest}`), JSON.stringify(back.RepoDigests));
    assert.equal(ok(['run', '--rm', `${name}:1`, 'echo', 'hi']).trim(), 'hi');
    // Pulled by digest, the same image.
    assert.match(ok(['pull', `${name}@${digest}`]), /Image is up to date/);
    ok(['tag', `${name}:1`, 'busybox:latest']);
  });

  it('a second pull says the image is up to date', () => {
    const name = repo();
    ok(['tag', 'busybox:latest', `${name}:2`]);
    ok(['push', `${name}:2`]);
    const again = ok(['pull', `${name}:2`]);
    assert.match(again, new RegExp(`Status: Image is up to date for ${name.replace(/[.]/g, '\\.')}:2`));
    assert.doesNotMatch(again, /Pull complete/);
  });

  it('layers the store already has are not downloaded again', () => {
    const name = repo();
    ok(['tag', 'busybox:latest', `${name}:3`]);
    ok(['push', `${name}:3`]);
    ok(['rmi', `${name}:3`]);
    const pulled = ok(['pull', `${name}:3`]);
    assert.match(pulled, /Already exists/);
    assert.doesNotMatch(pulled, /Downloading|Pull complete/);
    assert.match(pulled, /Status: Downloaded newer image/);
    assert.equal(inspect(`${name}:3`).Id, inspect('busybox:latest').Id);
  });

  it('pulls an OCI image of several layers at once, in the config order, and pushes it back unchanged', async () => {
    const name = repo();
    const path = name.slice(registry.host.length + 1);
    const made = await pushLayeredImage(registry.host, path, 'many', ['a', 'b', 'c', 'd', 'e']);
    const pulled = ok(['pull', `${name}:many`]);
    assert.equal((pulled.match(/Pull complete/g) ?? []).length, 5, pulled);
    const img = inspect(`${name}:many`) as ReturnType<typeof inspect> & { RootFS: { Layers: string[] } };
    assert.equal(img.Id, made.configDigest);
    assert.deepEqual(img.RootFS.Layers, made.diffIds);
    // Pushed elsewhere, the pulled compressed blobs go as they are: every one is already there.
    ok(['tag', `${name}:many`, `${name}:again`]);
    const pushed = ok(['push', `${name}:again`]);
    assert.equal((pushed.match(/Layer already exists/g) ?? []).length, 5, pushed);
  });

  it('an unknown tag is a clear 404 before any progress', async () => {
    const name = repo();
    const r = engine.docker(['pull', `${name}:nope`]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, new RegExp(`manifest for ${name.replace(/[.]/g, '\\.')}:nope not found: manifest unknown`));
    const api = await engine.request('POST', `/images/create?fromImage=${encodeURIComponent(name)}&tag=nope`);
    assert.equal(api.status, 404);
    assert.match(JSON.parse(api.body).message, /not found: manifest unknown/);
    // Nothing left behind in the store's scratch space.
    assert.deepEqual(readdirSync(join(engine.dataRoot, 'images', 'tmp')), []);
  });

  it('an unreachable registry fails the pull with the address it tried', () => {
    const r = engine.docker(['pull', '127.0.0.1:3/nothing/here:1']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /127\.0\.0\.1:3\/v2\/.*(ECONNREFUSED|connect)/);
  });

  it('a registry port the HTTP client blocks is named as such', () => {
    const r = engine.docker(['pull', '127.0.0.1:6000/nothing/here:1']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /port 6000 is one the HTTP client refuses to use/);
  });

  it('push of an image that does not exist is a 404', () => {
    const r = engine.docker(['push', `${registry.host}/nothing/there:1`]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /An image does not exist locally with the tag/);
  });
});
