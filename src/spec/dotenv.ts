// `.env` and `env_file` syntax, as docker compose reads it: `KEY=VALUE`,
// optional `export `, `#` comments, 'single quotes' taken literally,
// "double quotes" with escapes and interpolation, unquoted values trimmed and
// interpolated, ` #` starting a comment after an unquoted value, multi-line
// quoted values, and `KEY` alone meaning "the caller's KEY, if set".

import { GantryError } from '../common/errors.js';
import type { Lookup } from './context.js';
import { interpolateString } from './interpolate.js';

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function parseDotEnv(text: string, file: string, lookup: Lookup = () => undefined): Record<string, string> {
  const vars: Record<string, string> = {};
  const see: Lookup = (name) => (Object.hasOwn(vars, name) ? vars[name] : lookup(name));
  const src = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let i = 0;
  let line = 1;
  const fail = (message: string, hint: string, at = line): never => {
    throw new GantryError('file', `${message} in env file ${file}`, { position: { file, line: at, col: 1 }, hint });
  };
  while (i < src.length) {
    const eol = src.indexOf('\n', i);
    const end = eol < 0 ? src.length : eol;
    const raw = src.slice(i, end);
    const startLine = line;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i = end + 1;
      line++;
      continue;
    }
    const body = trimmed.replace(/^export\s+/, '');
    const eq = body.indexOf('=');
    const key = (eq < 0 ? body : body.slice(0, eq)).trim();
    if (!KEY.test(key)) {
      fail(`invalid variable name "${key}"`, 'names start with a letter or _ and contain letters, digits, _ . -; write KEY=VALUE');
    }
    if (eq < 0) {
      const inherited = lookup(key);
      if (inherited !== undefined) vars[key] = inherited;
      i = end + 1;
      line++;
      continue;
    }
    // The value starts after '=' on this line; a quoted one may run over several lines.
    const valueStart = i + raw.indexOf(body) + eq + 1;
    let j = valueStart;
    while (src[j] === ' ' || src[j] === '\t') j++;
    const quote = src[j];
    if (quote === "'" || quote === '"') {
      let k = j + 1;
      let value = '';
      for (; k < src.length && src[k] !== quote; k++) {
        if (src[k] === '\n') line++;
        if (quote === '"' && src[k] === '\\' && k + 1 < src.length) {
          const e = src[++k]!;
          value += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === '\\' ? '\\' : e === '"' ? '"' : e === '$' ? '$$' : `\\${e}`;
          continue;
        }
        value += src[k];
      }
      if (k >= src.length) fail(`unterminated ${quote === '"' ? 'double' : 'single'}-quoted value for ${key}`, `close the value with ${quote}`, startLine);
      vars[key] = quote === '"' ? interpolate(value, see, file, startLine, key) : value;
      // Anything after the closing quote must be a comment.
      const restEnd = src.indexOf('\n', k + 1);
      const rest = src.slice(k + 1, restEnd < 0 ? src.length : restEnd).trim();
      if (rest !== '' && !rest.startsWith('#')) fail(`unexpected text after the quoted value of ${key}: ${rest}`, 'put comments after a space and #', line);
      i = restEnd < 0 ? src.length : restEnd + 1;
      line++;
      continue;
    }
    let value = src.slice(j, end);
    const comment = value.search(/\s#/);
    if (comment >= 0) value = value.slice(0, comment);
    vars[key] = interpolate(value.trim(), see, file, startLine, key);
    i = end + 1;
    line++;
  }
  return vars;
}

function interpolate(value: string, lookup: Lookup, file: string, line: number, key: string): string {
  try {
    return interpolateString(value, lookup, [key]);
  } catch (e) {
    if (e instanceof GantryError) throw new GantryError(e.kind, `${e.message} (in env file ${file})`, { position: { file, line, col: 1 }, hint: e.hint, path: key });
    throw e;
  }
}
