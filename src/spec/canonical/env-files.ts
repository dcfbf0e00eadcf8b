// `env_file` → `[{path: /abs, required: true}]` and `label_file` → `[/abs]`.
// The files are read later, at normalize, once the project is merged.

import { isMapping, type Mapping } from '../tree.js';
import { absolutePath } from './host-paths.js';
import { reorder } from './reshape.js';
import type { Rule } from './site.js';

const ENV_FILE_KEYS = ['path', 'required', 'format'];

// Entries are rewritten in place, so each keeps the position of its line.
export const envFiles: Rule = (value, site) => {
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items)) return value;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (typeof item === 'string') {
      items[i] = { path: absolutePath(item, site.ctx), required: true };
    } else if (isMapping(item)) {
      const m: Mapping = item;
      if (typeof m.path === 'string') m.path = absolutePath(m.path, site.ctx);
      if (m.required === undefined) m.required = true;
      reorder(m, ENV_FILE_KEYS);
    }
  }
  return items;
};

export const labelFiles: Rule = (value, site) => {
  if (typeof value === 'string') return [absolutePath(value, site.ctx)];
  if (!Array.isArray(value)) return value;
  for (let i = 0; i < value.length; i++) {
    const v = value[i]!;
    if (typeof v === 'string') value[i] = absolutePath(v, site.ctx);
  }
  return value;
};
