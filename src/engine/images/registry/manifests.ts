// Image manifests as registries serve them: Docker schema2 and OCI image
// manifests, and the lists/indexes that point to one manifest per platform.

import { hostArchitecture } from '../image-config.js';

export const MEDIA = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
} as const;

/** What a pull accepts, in order of preference (no schema1: it is long deprecated and unsigned). */
export const MANIFEST_ACCEPT = [MEDIA.dockerList, MEDIA.ociIndex, MEDIA.dockerManifest, MEDIA.ociManifest].join(', ');

/** Manifests and configs are small; anything larger is a mistake or an attack. */
export const DOCUMENT_LIMIT = 4 * 1024 * 1024;

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
}

export type Manifest = { kind: 'image'; config: Descriptor; layers: Descriptor[] } | { kind: 'list'; manifests: Descriptor[] };

const DIGEST = /^sha256:[0-9a-f]{64}$/;

function descriptor(d: unknown, what: string): Descriptor {
  const o = d as Partial<Descriptor> | null;
  if (!o || typeof o !== 'object' || typeof o.digest !== 'string' || !DIGEST.test(o.digest)) {
    throw new Error(`${what} has no sha256 digest`);
  }
  if (typeof o.size !== 'number' || !Number.isSafeInteger(o.size) || o.size < 0) throw new Error(`${what} has no valid size`);
  return { mediaType: typeof o.mediaType === 'string' ? o.mediaType : '', digest: o.digest, size: o.size, platform: o.platform };
}

/** Parses a manifest, telling an image manifest from a list by media type (header first, then body). */
export function parseManifest(bytes: Buffer, contentType: string | null): Manifest {
  let doc: { schemaVersion?: number; mediaType?: string; manifests?: unknown[]; config?: unknown; layers?: unknown[] };
  try {
    doc = JSON.parse(bytes.toString('utf8')) as typeof doc;
  } catch (e) {
    throw new Error(`manifest is not JSON: ${(e as Error).message}`);
  }
  if (doc.schemaVersion !== 2) throw new Error(`unsupported manifest schema version ${String(doc.schemaVersion)} (only schema 2 and OCI are pulled)`);
  const type = doc.mediaType ?? contentType?.split(';')[0]?.trim() ?? '';
  if (type === MEDIA.dockerList || type === MEDIA.ociIndex || (!doc.config && Array.isArray(doc.manifests))) {
    return { kind: 'list', manifests: (doc.manifests ?? []).map((m, i) => descriptor(m, `manifest list entry ${i}`)) };
  }
  if (!doc.config) throw new Error(`manifest of type ${type || 'unknown'} has no config`);
  return { kind: 'image', config: descriptor(doc.config, 'manifest config'), layers: (doc.layers ?? []).map((l, i) => descriptor(l, `manifest layer ${i}`)) };
}

/** `linux/arm64/v8` → platform; undefined for ''. */
export function parsePlatform(text: string | null | undefined): Platform | undefined {
  if (!text) return undefined;
  const [os, architecture, variant] = text.toLowerCase().split('/');
  if (!os || !architecture) throw new Error(`invalid platform ${JSON.stringify(text)}: expected os/arch[/variant]`);
  return { os, architecture: architecture === 'x86_64' ? 'amd64' : architecture === 'aarch64' ? 'arm64' : architecture, variant };
}

export function hostPlatform(): Platform {
  const architecture = hostArchitecture();
  // Docker's default variants: arm64 images are v8, 32-bit arm ones v7 on the hosts Node runs on.
  const variant = architecture === 'arm64' ? 'v8' : architecture === 'arm' ? 'v7' : undefined;
  return { os: 'linux', architecture, variant };
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** The list entry for the platform: os and architecture must match; a matching variant wins, an absent one is accepted. */
export function pickPlatform(list: Descriptor[], want: Platform): Descriptor | undefined {
  const candidates = list.filter((d) => d.platform && d.platform.os === want.os && d.platform.architecture === want.architecture);
  if (!want.variant) return candidates.find((d) => !d.platform?.variant) ?? candidates[0];
  // arm64 images often carry no variant at all: `v8` is implied.
  return candidates.find((d) => d.platform?.variant === want.variant) ?? candidates.find((d) => !d.platform?.variant);
}

/** Layer media types a pull can unpack: gzip and plain tars (zstd is refused, clearly). */
export function layerProblem(mediaType: string): string | undefined {
  if (/zstd/.test(mediaType)) return `layer media type ${mediaType} (zstd) is not supported by this engine`;
  if (/foreign|nondistributable/.test(mediaType)) return `layer media type ${mediaType} (foreign layers) is not supported by this engine`;
  if (mediaType && !/tar(\+gzip|\.gzip)?$/.test(mediaType)) return `unknown layer media type ${mediaType}`;
  return undefined;
}
