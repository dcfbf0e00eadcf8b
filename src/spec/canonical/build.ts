// `build: ./dir` → `{context: /abs/dir}`; in the long form the context and
// additional contexts become absolute unless they name a URL, a git
// repository, an image or another service. `dockerfile` stays as written:
// it is relative to the context, not to the compose file.

import { isMapping, type Mapping, type Node } from '../tree.js';
import { absoluteContext, absolutePath } from './host-paths.js';
import { MappingBuilder } from './reshape.js';
import { valueError, type Rule } from './site.js';

export const build: Rule = (value, site) => {
  if (typeof value === 'string') return { context: absoluteContext(value, site.ctx) };
  if (!isMapping(value)) return value;
  if (typeof value.context === 'string') value.context = absoluteContext(value.context, site.ctx);
  return value;
};

function textPairs(value: Node[], site: Parameters<Rule>[1], what: string, hint: string, bareAllowed: (k: string) => boolean): Mapping {
  const out = new MappingBuilder(value);
  for (let i = 0; i < value.length; i++) {
    const item = String(value[i]);
    const eq = item.indexOf('=');
    if (eq < 0) {
      if (!bareAllowed(item)) throw valueError(site, `${what} "${item}" has no "="`, hint, i);
      out.set(item, null, i);
    } else out.set(item.slice(0, eq), item.slice(eq + 1), i);
  }
  return out.out;
}

/** `additional_contexts: [name=./dir]` → `{name: /abs/dir}`. */
export const additionalContexts: Rule = (value, site) => {
  const m = Array.isArray(value)
    ? textPairs(value, site, 'additional context', 'use NAME=PATH_OR_URL, e.g. "assets=./assets"', () => false)
    : value;
  if (!isMapping(m)) return value;
  for (const k of Object.keys(m)) {
    const v = m[k];
    if (typeof v === 'string') m[k] = absoluteContext(v, site.ctx);
  }
  return m;
};

/** `ssh: [default, key=~/.ssh/id]` → `{default: null, key: /home/me/.ssh/id}`. */
export const buildSsh: Rule = (value, site) => {
  const m = Array.isArray(value)
    ? textPairs(value, site, 'ssh entry', 'use ID=PATH, e.g. "default=~/.ssh/id_ed25519", or "default"', (k) => k === 'default')
    : value;
  if (!isMapping(m)) return value;
  for (const k of Object.keys(m)) {
    const v = m[k];
    // An agent socket or key file on the host.
    if (typeof v === 'string' && v !== '') m[k] = absolutePath(v, site.ctx);
  }
  return m;
};
