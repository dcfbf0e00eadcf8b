import { posix } from 'node:path';
import type { ContainerConfig, ImageRuntimeConfig } from '../docker-types.js';
import { BundleError } from './bundle-error.js';

// What the container's first process runs, as docker derives it from the
// create request layered over the image config.

export interface ResolvedProcess {
  args: string[];
  env: string[];
  cwd: string;
  /** The unresolved docker `User` string; resolveUser turns it into ids. */
  user: string;
}

export interface ProcessContext {
  /** The user's home from the container's passwd; runc's fallback is `/`. */
  home?: string;
}

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const envKey = (entry: string) => {
  const eq = entry.indexOf('=');
  return eq < 0 ? entry : entry.slice(0, eq);
};

/**
 * Docker's create-time merge: the request's entries first, then the image's
 * entries whose names the request did not set.
 */
function mergeEnv(image: string[], request: string[]): string[] {
  const requested = new Set(request.map(envKey));
  return [...request, ...image.filter((e) => !requested.has(envKey(e)))];
}

/**
 * Laying container env over the daemon's defaults: a `NAME=value` replaces
 * or appends, a bare `NAME` removes the default.
 */
function overlayEnv(defaults: string[], overrides: string[]): string[] {
  const result = new Map<string, string | undefined>(defaults.map((e) => [envKey(e), e]));
  for (const entry of overrides) result.set(envKey(entry), entry.includes('=') ? entry : undefined);
  return [...result.values()].filter((e): e is string => e !== undefined);
}

function resolveArgs(config: ContainerConfig, image: ImageRuntimeConfig): string[] {
  const requestEntrypoint = config.Entrypoint ?? undefined;
  const requestCmd = config.Cmd ?? [];
  let entrypoint: string[];
  let cmd: string[];
  if (requestEntrypoint === undefined || requestEntrypoint.length === 0) {
    // No entrypoint in the request: an explicit `[]` still clears the image's.
    entrypoint = requestEntrypoint ?? image.Entrypoint ?? [];
    cmd = requestCmd.length > 0 ? requestCmd : (image.Cmd ?? []);
  } else {
    // A request entrypoint takes the image's Cmd away with the image's entrypoint.
    entrypoint = requestEntrypoint;
    cmd = requestCmd;
  }
  // `--entrypoint ""` arrives as [""]: a reset, not a program named "".
  if (entrypoint.length === 1 && entrypoint[0] === '') entrypoint = [];
  const args = [...entrypoint, ...cmd];
  if (args.length === 0) throw new BundleError('No command specified');
  return args;
}

function resolveCwd(config: ContainerConfig, image: ImageRuntimeConfig): string {
  const dir = config.WorkingDir || image.WorkingDir || '/';
  if (!dir.startsWith('/')) {
    throw new BundleError(`the working directory '${dir}' is invalid, it needs to be an absolute path`);
  }
  return posix.normalize(dir).replace(/(.)\/+$/, '$1');
}

export function resolveProcess(
  config: ContainerConfig,
  image: ImageRuntimeConfig,
  context: ProcessContext = {},
): ResolvedProcess {
  const containerEnv = mergeEnv(image.Env ?? [], config.Env ?? []);
  const daemonEnv = [`PATH=${DEFAULT_PATH}`, `HOSTNAME=${config.Hostname ?? ''}`];
  if (config.Tty) daemonEnv.push('TERM=xterm');
  const env = overlayEnv(daemonEnv, containerEnv);
  if (!env.some((e) => envKey(e) === 'HOME')) env.push(`HOME=${context.home || '/'}`);
  return {
    args: resolveArgs(config, image),
    env,
    cwd: resolveCwd(config, image),
    user: config.User || image.User || '',
  };
}
