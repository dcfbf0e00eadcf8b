// `compose version`: gantry's own version and, when an engine answers, the
// engine's. An engine that cannot be reached is not an error here: the
// version of the tool must print on a machine with no engine at all.

import { readFileSync } from 'node:fs';
import type { EngineOptions } from './session.js';
import { openEngine } from './session.js';

export interface VersionInfo {
  /** gantry's version, from its package.json. */
  version: string;
  /** Present when an engine answered. */
  engine?: { version: string; apiVersion: string; os?: string; arch?: string };
  /** Why the engine part is missing, when it was asked for. */
  engineError?: string;
}

export interface VersionOptions extends EngineOptions {
  /** Ask the engine too (default true). */
  engine?: boolean;
}

export async function version(opts: VersionOptions = {}): Promise<VersionInfo> {
  const info: VersionInfo = { version: gantryVersion() };
  if (opts.engine === false) return info;
  try {
    // Asking for a version never starts an engine: it reports one that runs.
    const engine = await openEngine({ ...opts, startEmbedded: false, signal: opts.signal ?? AbortSignal.timeout(3000) });
    const v = await engine.system.version();
    info.engine = { version: v.Version, apiVersion: v.ApiVersion, os: v.Os, arch: v.Arch };
  } catch (e) {
    info.engineError = (e as Error).message;
  }
  return info;
}

let cached: string | undefined;

/** The package's version; package.json sits two levels up from src/ and three from dist/src/. */
export function gantryVersion(): string {
  if (cached) return cached;
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (!pkg.version) continue;
      cached = pkg.version;
      return cached;
    } catch {
      // not at this depth
    }
  }
  return 'unknown';
}
