// Images written straight into a registry through its API (blobs, manifests,
// lists), for cases a docker push never makes: other architectures, manifest
// lists, zstd layers.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { tarBuffer } from '../../../src/engine/images/tar-writer.js';

export const digestOf = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export async function putBlob(host: string, repo: string, blob: Buffer): Promise<string> {
  const digest = digestOf(blob);
  const start = await fetch(`http://${host}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  assert.equal(start.status, 202, await start.text());
  const url = new URL(start.headers.get('location')!, `http://${host}`);
  url.searchParams.set('digest', digest);
  const put = await fetch(url, { method: 'PUT', body: blob, headers: { 'Content-Type': 'application/octet-stream' } });
  assert.equal(put.status, 201, await put.text());
  return digest;
}

export async function putManifest(host: string, repo: string, ref: string, mediaType: string, doc: unknown): Promise<{ digest: string; size: number }> {
  const body = Buffer.from(JSON.stringify(doc));
  const res = await fetch(`http://${host}/v2/${repo}/manifests/${ref}`, { method: 'PUT', body, headers: { 'Content-Type': mediaType } });
  assert.equal(res.status, 201, await res.text());
  return { digest: digestOf(body), size: body.length };
}

export interface HandMade {
  manifest: { digest: string; size: number };
  diffId: string;
  configDigest: string;
}

/** A one-layer image whose only file is /arch, for the given platform. */
export async function pushArchImage(
  host: string,
  repo: string,
  platform: { architecture: string; variant?: string },
  layerMediaType = 'application/vnd.docker.image.rootfs.diff.tar.gzip',
): Promise<HandMade> {
  const tar = await tarBuffer([{ path: 'arch', data: Buffer.from(`${platform.architecture}\n`) }]);
  const layer = layerMediaType.endsWith('.tar') ? tar : gzipSync(tar);
  const layerDigest = await putBlob(host, repo, layer);
  const diffId = digestOf(tar);
  const config = Buffer.from(
    JSON.stringify({ architecture: platform.architecture, ...(platform.variant ? { variant: platform.variant } : {}), os: 'linux', config: { Cmd: ['cat', '/arch'] }, rootfs: { type: 'layers', diff_ids: [diffId] } }),
  );
  const configDigest = await putBlob(host, repo, config);
  const manifest = await putManifest(host, repo, `arch-${platform.architecture}`, 'application/vnd.docker.distribution.manifest.v2+json', {
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: configDigest },
    layers: [{ mediaType: layerMediaType, size: layer.length, digest: layerDigest }],
  });
  return { manifest, diffId, configDigest };
}

/** An image of several one-file layers, tagged `tag`; returns its diff ids in order. */
export async function pushLayeredImage(host: string, repo: string, tag: string, files: string[]): Promise<{ diffIds: string[]; configDigest: string }> {
  const layers: Array<{ digest: string; size: number; diffId: string }> = [];
  for (const f of files) {
    // Big enough that downloads overlap and report progress.
    const tar = await tarBuffer([{ path: f, data: Buffer.alloc(512 * 1024, f) }]);
    const gz = gzipSync(tar, { level: 1 });
    layers.push({ digest: await putBlob(host, repo, gz), size: gz.length, diffId: digestOf(tar) });
  }
  const diffIds = layers.map((l) => l.diffId);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: diffIds } }));
  const configDigest = await putBlob(host, repo, config);
  await putManifest(host, repo, tag, 'application/vnd.oci.image.manifest.v1+json', {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', size: config.length, digest: configDigest },
    layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: l.size, digest: l.digest })),
  });
  return { diffIds, configDigest };
}
