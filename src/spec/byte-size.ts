// Byte sizes as compose writes them: `512m`, `1g`, `1.5GB`, `100kb`, `2b`,
// `1024`. compose-go (types.UnitBytes) first tries a plain integer (so `-1`
// passes) and then docker's units.RAMInBytes, where every unit is binary
// (k = 1024) whatever its spelling: `1GB` and `1GiB` are both 2^30. Docker's
// units.FromHumanSize reads the same text with decimal units (k = 1000); it
// is offered for callers that follow the CLI flags that use it.

import { GantryError, type ErrorDetails } from '../common/errors.js';
import type { Bytes } from './types.js';

export type ByteSizeReading = { ok: true; bytes: Bytes } | { ok: false; problem: string };

export type ByteUnits = 'binary' | 'decimal';

const MULTIPLIER: Record<ByteUnits, Record<string, number>> = {
  binary: { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 },
  decimal: { k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15 },
};

export const BYTE_SIZE_HINT =
  'write a whole number of bytes or a number with a unit b, k, m, g, t or p (optionally followed by "b" or "ib"): "1024", "512m", "1g", "1.5GB", "100kb"';

const INTEGER = /^[+-]?[0-9]+$/;
// strconv.ParseFloat's decimal form (hex floats, "inf" and "nan" are not sizes anyone writes).
const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const MAX_BYTES = 9223372036854775807;

/** Read a size without throwing; `problem` says what is wrong in words. */
export function readByteSize(text: string, units: ByteUnits = 'binary'): ByteSizeReading {
  if (INTEGER.test(text)) return { ok: true, bytes: Number(text) };

  let num: string;
  let suffix: string;
  const space = text.indexOf(' ');
  if (space >= 0) {
    num = text.slice(0, space);
    suffix = text.slice(space + 1);
  } else {
    let sep = -1;
    for (let i = text.length - 1; i >= 0; i--) {
      const c = text.charCodeAt(i);
      if ((c >= 48 && c <= 57) || c === 46) {
        sep = i;
        break;
      }
    }
    if (sep < 0) return { ok: false, problem: 'it has no number in it' };
    num = text.slice(0, sep + 1);
    suffix = text.slice(sep + 1);
  }
  if (!DECIMAL.test(num)) return { ok: false, problem: `"${num}" is not a number` };
  let size = Number(num);
  if (size < 0) return { ok: false, problem: 'a size cannot be negative' };

  if (suffix.length > 0) {
    const sfx = suffix.toLowerCase();
    const bad = { ok: false as const, problem: `"${suffix}" is not a size unit` };
    if (sfx.length > 3) return bad;
    if (sfx[0] === 'b') {
      if (sfx.length > 1) return bad;
    } else {
      const mul = MULTIPLIER[units][sfx[0]!];
      if (mul === undefined) return bad;
      if (sfx.length === 2 && sfx[1] !== 'b') return bad;
      if (sfx.length === 3 && sfx.slice(1) !== 'ib') return bad;
      size *= mul;
    }
  }
  if (size > MAX_BYTES) return { ok: false, problem: 'it is too large' };
  // Go converts to int64 by dropping the fraction: "1.5b" is 1 byte.
  return { ok: true, bytes: Math.trunc(size) };
}

/** Read a size or throw a `value` GantryError that says where and how to fix it. */
export function parseByteSize(text: string, where: ErrorDetails = {}, units: ByteUnits = 'binary'): Bytes {
  const r = readByteSize(text, units);
  if (r.ok) return r.bytes;
  throw new GantryError('value', `invalid size "${text}": ${r.problem}`, { hint: BYTE_SIZE_HINT, ...where });
}
