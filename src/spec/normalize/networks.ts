// The implicit `default` network, and the engine-side names of every
// top-level network, volume, secret and config.

import { isMapping, type Mapping } from '../tree.js';

/**
 * A service that says nothing about networking joins `default`; the
 * top-level `default` network exists only when some service uses it.
 */
export function attachDefaultNetwork(doc: Mapping): void {
  const services = isMapping(doc.services) ? doc.services : {};
  let used = false;
  for (const name of Object.keys(services)) {
    const svc = services[name];
    if (!isMapping(svc) || svc.provider !== undefined || svc.network_mode !== undefined) continue;
    const nets = svc.networks;
    if (!isMapping(nets) || Object.keys(nets).length === 0) {
      svc.networks = { default: null };
      used = true;
    } else if (Object.hasOwn(nets, 'default')) used = true;
  }
  if (!used) return;
  if (!isMapping(doc.networks)) doc.networks = {};
  const networks = doc.networks as Mapping;
  if (!Object.hasOwn(networks, 'default')) networks.default = {};
}

const RESOURCE_KINDS = ['networks', 'volumes', 'secrets', 'configs'] as const;

/** `name`: as written; else the key for external resources; else `<project>_<key>`. */
export function nameResources(doc: Mapping, projectName: string): void {
  for (const kind of RESOURCE_KINDS) {
    const group = doc[kind];
    if (!isMapping(group)) continue;
    for (const key of Object.keys(group)) {
      let res = group[key];
      if (!isMapping(res)) res = group[key] = {};
      if (res.name === undefined || res.name === null) {
        res.name = res.external === true ? key : `${projectName}_${key}`;
      }
    }
  }
}
