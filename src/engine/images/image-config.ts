// The image config JSON (docker/OCI `application/vnd.oci.image.config.v1+json`)
// whose sha256 is the image id.

import type { ImageRuntimeConfig } from '../containers/docker-types.js';

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

export interface ImageConfigFile {
  architecture: string;
  os: string;
  variant?: string;
  created?: string;
  author?: string;
  comment?: string;
  docker_version?: string;
  config?: ImageRuntimeConfig;
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: HistoryEntry[];
}

/** Docker's architecture names for Node's. */
export function hostArchitecture(): string {
  const map: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return map[process.arch] ?? process.arch;
}

export function parseImageConfig(bytes: Buffer): ImageConfigFile {
  let c: ImageConfigFile;
  try {
    c = JSON.parse(bytes.toString('utf8')) as ImageConfigFile;
  } catch (e) {
    throw new Error(`image config is not JSON: ${(e as Error).message}`);
  }
  if (!c || typeof c !== 'object' || c.rootfs?.type !== 'layers' || !Array.isArray(c.rootfs.diff_ids)) {
    throw new Error('image config has no rootfs.diff_ids');
  }
  for (const d of c.rootfs.diff_ids) if (!/^sha256:[0-9a-f]{64}$/.test(d)) throw new Error(`image config has a bad diff id ${JSON.stringify(d)}`);
  return c;
}
