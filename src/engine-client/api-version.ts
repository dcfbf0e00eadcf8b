// API version negotiation, as the docker CLI does it: talk the lower of the
// server's version and the newest this client knows. Below 1.41 (dockerd 20.10)
// the calls compose needs differ too much to paper over, so that is refused.

import { GantryError } from '../common/errors.js';

/** The oldest API this client can drive. */
export const MIN_API_VERSION = '1.41';
/** The newest API whose differences this client knows about. */
export const MAX_API_VERSION = '1.45';

/** Negative, zero or positive as `a` is older, equal or newer than `b` (`1.9` < `1.41`). */
export function compareApiVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The version to use with an engine that announced `server` in its `Api-Version`
 * header. An engine that announces nothing is assumed to speak the minimum.
 */
export function negotiateApiVersion(server: string | undefined, where: string): string {
  if (server === undefined || !/^\d+\.\d+$/.test(server)) return MIN_API_VERSION;
  if (compareApiVersions(server, MIN_API_VERSION) < 0) {
    throw new GantryError('engine', `the container engine at ${where} speaks Docker API ${server}, older than the ${MIN_API_VERSION} gantry needs`, {
      hint: 'upgrade the engine (Docker 20.10 or newer), or unset DOCKER_HOST to use gantry\'s own engine',
    });
  }
  return compareApiVersions(server, MAX_API_VERSION) < 0 ? server : MAX_API_VERSION;
}
