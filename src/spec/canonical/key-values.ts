// Attributes written either as a mapping or as a list of `KEY=VALUE`
// (environment, labels, sysctls, build args, …) become a mapping of text.
// Two kinds, as in compose-go: environment-like mappings keep a bare `KEY`
// as null (to be resolved later); label-like mappings make it "".

import { isMapping } from '../tree.js';
import { asText } from './casts.js';
import { MappingBuilder } from './reshape.js';
import { valueError, type Rule } from './site.js';

function keyValues(bare: null | '', checkKey: boolean): Rule {
  return (value, site) => {
    if (isMapping(value)) {
      for (const k of Object.keys(value)) {
        const v = value[k]!;
        value[k] = v === null ? bare : asText(v);
      }
      return value;
    }
    if (!Array.isArray(value)) return value;
    const out = new MappingBuilder(value);
    for (let i = 0; i < value.length; i++) {
      const item = value[i]!;
      if (typeof item !== 'string') {
        out.set(String(item), bare, i);
        continue;
      }
      const eq = item.indexOf('=');
      const key = eq < 0 ? item : item.slice(0, eq);
      if (checkKey && /\s$/.test(key)) {
        throw valueError(
          site,
          `variable "${key.trimEnd()}" is declared with a trailing space in "${item}"`,
          `write "${key.trimEnd()}=${eq < 0 ? '' : item.slice(eq + 1).trimStart()}" without spaces around "="`,
          i,
        );
      }
      out.set(key, eq < 0 ? bare : item.slice(eq + 1), i);
    }
    return out.out;
  };
}

/** environment, build.args, hook environments: `KEY` alone stays null (resolved at normalize). */
export const environmentMapping: Rule = keyValues(null, true);

/** labels, annotations, sysctls, …: `KEY` alone is an empty value. */
export const labelMapping: Rule = keyValues('', false);
