// Attributes that take one string or a list of them become lists; lists of
// names become mappings of names (`networks: [front]` → `{front: null}`).

import { type Node } from '../tree.js';
import { ListBuilder, MappingBuilder } from './reshape.js';
import type { Rule } from './site.js';

/** `dns: 8.8.8.8` → `[8.8.8.8]`. */
export const stringOrList: Rule = (value) => (typeof value === 'string' ? [value] : value);

/** Like stringOrList, and empty entries (an unset `${DNS}`) are dropped, as compose-go does. */
export const dnsServers: Rule = (value) => {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) return value;
  if (!list.some((v) => v === '' || v === null)) return list;
  const out = new ListBuilder(list);
  list.forEach((v: Node, i) => {
    if (v !== '' && v !== null) out.push(v, i);
  });
  return out.out;
};

/** `networks: [front, back]` → `{front: null, back: null}`. */
export const namesToMapping: Rule = (value) => {
  if (!Array.isArray(value)) return value;
  const out = new MappingBuilder(value);
  for (let i = 0; i < value.length; i++) out.set(String(value[i]), null, i);
  return out.out;
};

/** `gpus: all` → `[{count: all}]`. */
export const gpus: Rule = (value) => (typeof value === 'string' ? [{ count: 'all' }] : value);
