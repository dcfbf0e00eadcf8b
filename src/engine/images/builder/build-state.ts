// What a stage carries from one instruction to the next: the image config
// so far (history included), the registered image whose layers match it,
// the cache chain key, and the ARG values in scope.

import { createHash } from 'node:crypto';
import type { ImageRuntimeConfig } from '../../containers/docker-types.js';
import type { ImageConfigFile } from '../image-config.js';
import type { Lookup } from './word-expansion.js';

export interface StageState {
  name?: string;
  config: ImageConfigFile;
  /** An image whose layers are exactly config's (RUN containers start from it); none for a layerless scratch. */
  imageId?: string;
  /** Chain key: the base, then every instruction as it was expanded. */
  key: string;
  args: Map<string, string>;
  /** CMD set in this stage: ENTRYPOINT clears only an inherited one. */
  cmdSet: boolean;
}

export class BuildError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
    this.name = 'BuildError';
  }
}

export function runtimeOf(state: StageState): ImageRuntimeConfig {
  return (state.config.config ??= {});
}

export function envValue(env: string[] | undefined | null, name: string): string | undefined {
  for (const e of [...(env ?? [])].reverse()) {
    const eq = e.indexOf('=');
    if ((eq < 0 ? e : e.slice(0, eq)) === name) return eq < 0 ? '' : e.slice(eq + 1);
  }
  return undefined;
}

/** ENV wins over ARG of the same name, as in docker. */
export function lookupIn(state: StageState): Lookup {
  return (name) => envValue(runtimeOf(state).Env, name) ?? state.args.get(name);
}

export function chainKey(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}

/** The id the config would have as an image (shown for steps that register none). */
export function configId(config: ImageConfigFile): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(config)).digest('hex')}`;
}

export function emptyConfig(arch: string): ImageConfigFile {
  return { architecture: arch, os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [] }, history: [] };
}

export function cloneConfig(c: ImageConfigFile): ImageConfigFile {
  return JSON.parse(JSON.stringify(c)) as ImageConfigFile;
}

/** Proxy build args docker passes to RUN without an ARG for them. */
export const PREDEFINED_ARGS = new Set(['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']);
