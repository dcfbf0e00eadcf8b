// Stage 7: profiles decide which services are part of this run.
import type { Mapping } from './tree.js';

/**
 * Move services none of whose profiles is active (and that are not named in
 * `named`) out of `doc.services`; returns them. `*` activates every profile.
 */
export function applyProfiles(doc: Mapping, active: string[], named: string[]): Mapping {
  void doc; void active; void named;
  return {};
}
