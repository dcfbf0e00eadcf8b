// `devices: ["/dev/ttyUSB0:/dev/ttyUSB1:rwm"]` → `{source, target, permissions}`,
// with the target defaulting to the source and permissions to rwm.

import { unresolved, valueError, type Rule } from './site.js';

export const device: Rule = (value, site) => {
  if (typeof value !== 'string') return value;
  const parts = value.split(':');
  if (parts.length > 3) {
    if (unresolved(site, value)) return value;
    throw valueError(
      site,
      `device "${value}" has too many colons`,
      'use HOST_PATH[:CONTAINER_PATH[:PERMISSIONS]], or the long form {source, target, permissions}',
    );
  }
  const source = parts[0]!;
  const target = parts[1] || source;
  return { source, target, permissions: parts[2] ?? 'rwm' };
};
