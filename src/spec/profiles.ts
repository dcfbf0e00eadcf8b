// Stage 7: profiles decide which services take part. A service without
// profiles always does; one with profiles only when one of them is active
// (`*` activates all) or when it is named on the command line.

import { isMapping, type Mapping } from './tree.js';

/** Moves the services that are not enabled out of `doc.services` and returns them. */
export function applyProfiles(doc: Mapping, active: string[], named: string[]): Mapping {
  const disabled: Mapping = {};
  const services = doc.services;
  if (!isMapping(services)) return disabled;
  const all = active.includes('*');
  for (const [name, svc] of Object.entries(services)) {
    if (!isMapping(svc)) continue;
    const profiles = Array.isArray(svc.profiles) ? svc.profiles.filter((p): p is string => typeof p === 'string') : [];
    const enabled = profiles.length === 0 || all || named.includes(name) || profiles.some((p) => active.includes(p));
    if (!enabled) {
      disabled[name] = svc;
      delete services[name];
    }
  }
  return disabled;
}
