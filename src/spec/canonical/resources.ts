// Top-level networks, volumes, secrets and configs: an empty entry is an
// empty mapping, and the legacy `external: {name: x}` becomes
// `external: true` with `name: x`.

import { childPosition, isMapping, setChildPosition } from '../tree.js';
import { localBindDevice } from './file-refs.js';
import { valueError, warnAt, type Rule } from './site.js';

export const resource: Rule = (value, site) => {
  if (value === null) return {};
  if (!isMapping(value)) return value;
  const ext = value.external;
  if (isMapping(ext)) {
    value.external = true;
    const legacy = ext.name;
    if (legacy !== undefined) {
      warnAt(site, '`external.name` is deprecated; set `name` and `external: true`', 'external');
      if (value.name !== undefined && value.name !== legacy) {
        throw valueError(
          site,
          `name "${String(value.name)}" and external.name "${String(legacy)}" conflict`,
          'keep only `name:` with `external: true`',
          'external',
        );
      }
      if (value.name === undefined) setChildPosition(value, 'name', childPosition(ext, 'name'));
      value.name = legacy;
    }
  }
  return value;
};

/** Volumes also resolve a `local` bind device to an absolute host path. */
export const volumeResource: Rule = (value, site) => localBindDevice(resource(value, site), site);
