// Secrets and configs: a service's `- name` → `{source: name}`; a mode
// written as text is octal, as in `chmod`; a top-level `file:` is a host path.

import { isMapping } from '../tree.js';
import { absolutePath } from './host-paths.js';
import { unresolved, valueError, type Rule } from './site.js';

export const fileReference: Rule = (value) => {
  if (typeof value === 'string') return { source: value };
  return value;
};

/** `mode: "0440"` → 288; a number is kept as the YAML reader gave it. */
export const fileMode: Rule = (value, site) => {
  if (typeof value !== 'string' || unresolved(site, value)) return value;
  const s = value.trim().replace(/^0o/i, '');
  if (/^[0-7]+$/.test(s)) return parseInt(s, 8);
  throw valueError(site, `file mode ${JSON.stringify(value)} is not an octal number`, 'use octal digits, e.g. "0440"');
};

/** A `local` volume whose options bind a host directory: that device is a host path. */
export const localBindDevice: Rule = (value, site) => {
  if (!isMapping(value) || value.driver !== 'local' || !isMapping(value.driver_opts)) return value;
  const opts = value.driver_opts;
  if (opts.o === 'bind' && typeof opts.device === 'string') opts.device = absolutePath(opts.device, site.ctx);
  return value;
};
