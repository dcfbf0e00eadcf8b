// A registry that lies: a proxy in front of a real one swaps a layer for
// other bytes, serves a huge manifest, or hands out a layer that climbs out
// of its directory. The engine refuses each before anything is registered
// and leaves no scratch files behind.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { hostArchitecture } from '../../../src/engine/images/image-config.js';
import { tarBuffer } from '../../../src/engine/images/tar-writer.js';
import { startTestEngine, type TestEngine } from '../engine-fixture.js';
import { dockerAsync, freePort, startTestRegistry, type TestRegistry } from './registry-fixture.js';
import { digestOf, pushArchImage, putBlob, putManifest } from './registry-hand-made.js';

describe('embedded engine: pulling from a registry that lies', function () {
  this.timeout(180_000);
  let registry: TestRegistry;
  let engine: TestEngine;
  let proxy: Server;
  let proxyHost: string;
  /** Blob digest → bytes the proxy serves instead of the registry's. */
  const swapped = new Map<string, Buffer>();
  const hugeManifest = '/v2/lies/huge/manifests/1';

  before(async () => {
    registry = await startTestRegistry();
    engine = await startTestEngine({ image: false });
    const port = await freePort();
    proxyHost = `127.0.0.1:${port}`;
    proxy = createServer((req, res) => {
      const blob = /\/blobs\/(sha256:[0-9a-f]{64})$/.exec(req.url ?? '')?.[1];
      if (req.method === 'GET' && blob && swapped.has(blob)) {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        res.end(swapped.get(blob));
        return;
      }
      if (req.url === hugeManifest) {
        // Chunked, so only counting the bytes can stop it.
        res.writeHead(200, { 'Content-Type': 'application/vnd.docker.distribution.manifest.v2+json' });
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        for (let i = 0; i < 6; i++) res.write(chunk);
        res.end('{}');
        return;
      }
      const up = request({ host: '127.0.0.1', port: Number(registry.host.split(':')[1]), method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    });
    await new Promise<void>((r) => proxy.listen(port, '127.0.0.1', r));
  });
  after(async () => {
    await new Promise((r) => proxy?.close(r));
    await engine?.stop();
    await registry?.stop();
  });

  const leftovers = () => readdirSync(join(engine.dataRoot, 'images', 'tmp'));
  const storedLayers = () => readdirSync(join(engine.dataRoot, 'images', 'layers'));
  const pull = (ref: string) => dockerAsync(engine.host, ['pull', `${proxyHost}/${ref}`]);

  it('a layer whose bytes do not match its digest is refused before it is unpacked', async () => {
    // A plain tar layer, so a same-sized stand-in gets past every check but the digest.
    const img = await pushArchImage(registry.host, 'lies/swap', { architecture: hostArchitecture() }, 'application/vnd.docker.image.rootfs.diff.tar');
    const manifest = (await (await fetch(`http://${registry.host}/v2/lies/swap/manifests/${img.manifest.digest}`, { headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' } })).json()) as { layers: Array<{ digest: string }> };
    const original = await (await fetch(`http://${registry.host}/v2/lies/swap/blobs/${manifest.layers[0]!.digest}`)).arrayBuffer();
    const stand = await tarBuffer([{ path: 'evil', data: Buffer.from('x') }]);
    assert.equal(stand.length, original.byteLength, 'the stand-in layer should be as long as the real one');
    swapped.set(manifest.layers[0]!.digest, stand);
    const r = await pull(`lies/swap@${img.manifest.digest}`);
    assert.notEqual(r.status, 0, r.stdout);
    assert.match(r.stderr + r.stdout, /digest mismatch/);
    assert.deepEqual(leftovers(), []);
    assert.deepEqual(storedLayers(), []);
    assert.notEqual(engine.docker(['image', 'inspect', img.configDigest]).status, 0);
  });

  it('a manifest over 4 MiB is refused', async () => {
    const r = await pull('lies/huge:1');
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /larger than the 4194304-byte limit/);
  });

  it('a layer that climbs out of its directory is refused and writes nothing outside', async () => {
    const outside = `/tmp/gantry-escape-${randomBytes(4).toString('hex')}`;
    const tar = await tarBuffer([{ path: `../../../../../../..${outside}`, data: Buffer.from('escaped') }]);
    const layer = gzipSync(tar);
    const layerDigest = await putBlob(registry.host, 'lies/escape', layer);
    const config = Buffer.from(JSON.stringify({ architecture: hostArchitecture(), os: 'linux', rootfs: { type: 'layers', diff_ids: [digestOf(tar)] } }));
    const configDigest = await putBlob(registry.host, 'lies/escape', config);
    await putManifest(registry.host, 'lies/escape', '1', 'application/vnd.docker.distribution.manifest.v2+json', {
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: configDigest },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: layer.length, digest: layerDigest }],
    });
    const r = await pull('lies/escape:1');
    assert.notEqual(r.status, 0, r.stdout);
    assert.equal(existsSync(outside), false, 'the layer wrote outside the store');
    assert.deepEqual(leftovers(), []);
    assert.deepEqual(storedLayers(), []);
    assert.notEqual(engine.docker(['image', 'inspect', `${proxyHost}/lies/escape:1`]).status, 0);
  });
});
