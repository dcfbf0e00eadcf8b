// `depends_on: [db]` → `{db: {condition: service_started, required: true}}`;
// the long form gets the same defaults. `restart` stays only where written.

import { isMapping, type Mapping } from '../tree.js';
import { MappingBuilder, reorder } from './reshape.js';
import type { Rule } from './site.js';

const DEPENDENCY_KEYS = ['condition', 'restart', 'required'];

export const dependsOn: Rule = (value) => {
  if (Array.isArray(value)) {
    const out = new MappingBuilder(value);
    for (let i = 0; i < value.length; i++) {
      out.set(String(value[i]), { condition: 'service_started', required: true }, i);
    }
    return out.out;
  }
  if (!isMapping(value)) return value;
  for (const name of Object.keys(value)) {
    const dep = value[name];
    if (!isMapping(dep)) continue;
    const d: Mapping = dep;
    if (d.condition === undefined) d.condition = 'service_started';
    if (d.required === undefined) d.required = true;
    reorder(d, DEPENDENCY_KEYS);
  }
  return value;
};
