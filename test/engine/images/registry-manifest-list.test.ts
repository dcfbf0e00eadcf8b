// Manifest lists: the engine picks the host's platform (or the one asked
// for), says clearly when there is none, and refuses zstd layers by name.

import assert from 'node:assert/strict';
import { hostArchitecture } from '../../../src/engine/images/image-config.js';
import { startTestEngine, type TestEngine } from '../engine-fixture.js';
import { pushArchImage, putManifest, type HandMade } from './registry-hand-made.js';
import { startTestRegistry, type TestRegistry } from './registry-fixture.js';

describe('embedded engine: manifest lists', function () {
  this.timeout(180_000);
  let registry: TestRegistry;
  let engine: TestEngine;
  let amd64: HandMade;
  let arm64: HandMade;
  let index: { digest: string };
  const repo = 'multi/arch';
  const ok = (args: string[]) => {
    const r = engine.docker(args);
    assert.equal(r.status, 0, `docker ${args.join(' ')}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const inspect = (ref: string) => JSON.parse(ok(['image', 'inspect', ref]))[0] as { Id: string; Architecture: string; Variant?: string; RepoDigests: string[]; RootFS: { Layers: string[] } };

  before(async () => {
    registry = await startTestRegistry();
    engine = await startTestEngine({ image: false });
    amd64 = await pushArchImage(registry.host, repo, { architecture: 'amd64' });
    arm64 = await pushArchImage(registry.host, repo, { architecture: 'arm64', variant: 'v8' });
    const entry = (m: HandMade, platform: Record<string, string>) => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: m.manifest.digest, size: m.manifest.size, platform });
    index = await putManifest(registry.host, repo, 'multi', 'application/vnd.oci.image.index.v1+json', {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [entry(arm64, { os: 'linux', architecture: 'arm64', variant: 'v8' }), entry(amd64, { os: 'linux', architecture: 'amd64' })],
    });
  });
  after(async () => {
    await engine?.stop();
    await registry?.stop();
  });

  it('picks the host platform from an OCI index and records the index digest', () => {
    const name = `${registry.host}/${repo}:multi`;
    const out = ok(['pull', name]);
    assert.match(out, new RegExp(`Digest: ${index.digest}`));
    const img = inspect(name);
    const host = hostArchitecture();
    assert.equal(img.Architecture, host);
    assert.deepEqual(img.RootFS.Layers, [(host === 'arm64' ? arm64 : amd64).diffId]);
    assert.equal(img.Id, (host === 'arm64' ? arm64 : amd64).configDigest);
    assert.ok(img.RepoDigests.includes(`${registry.host}/${repo}@${index.digest}`), JSON.stringify(img.RepoDigests));
  });

  it('--platform picks another entry', () => {
    const other = hostArchitecture() === 'arm64' ? 'amd64' : 'arm64';
    const name = `${registry.host}/${repo}:multi`;
    ok(['pull', '--platform', `linux/${other}`, name]);
    const img = inspect(name);
    assert.equal(img.Architecture, other);
    assert.equal(img.Id, (other === 'arm64' ? arm64 : amd64).configDigest);
  });

  it('a platform the list lacks is a clear error', () => {
    const r = engine.docker(['pull', '--platform', 'linux/s390x', `${registry.host}/${repo}:multi`]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /no matching manifest for linux\/s390x in the manifest list entries.*linux\/arm64\/v8, linux\/amd64/);
  });

  it('zstd layers are refused by name, and nothing is registered', async () => {
    const zstd = await pushArchImage(registry.host, 'zstd/img', { architecture: hostArchitecture() }, 'application/vnd.oci.image.layer.v1.tar+zstd');
    await putManifest(registry.host, 'zstd/img', 'z', 'application/vnd.docker.distribution.manifest.v2+json', await (await fetch(`http://${registry.host}/v2/zstd/img/manifests/${zstd.manifest.digest}`, { headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' } })).json());
    const before = ok(['images', '-q', '--no-trunc']);
    const r = engine.docker(['pull', `${registry.host}/zstd/img:z`]);
    assert.notEqual(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr + r.stdout, /zstd\) is not supported/);
    assert.equal(ok(['images', '-q', '--no-trunc']), before);
    assert.notEqual(engine.docker(['image', 'inspect', `${registry.host}/zstd/img:z`]).status, 0);
  });
});
