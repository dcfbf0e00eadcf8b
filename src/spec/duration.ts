// Compose durations: `1m30s`, `500ms`, `2.5s`, `1h`, `1d`. Read as compose-go
// reads them (go-str2duration: Go's time.ParseDuration plus `d` and `w`
// units), written back as Go's time.Duration.String() writes them, so that
// `compose config` prints what `docker compose config` prints (`1m30s`,
// `1h0m0s`, `1.5µs`).
//
// Values are nanoseconds in a JS number: exact up to 2^53 ns (about 104
// days); longer durations are accepted like Go accepts them, with the
// rounding of a double.

import { GantryError, type ErrorDetails } from '../common/errors.js';
import type { Nanoseconds } from './types.js';

export type DurationReading = { ok: true; ns: Nanoseconds } | { ok: false; problem: string };

const NS_PER_UNIT: Record<string, number> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5 micro sign, what Go prints
  'μs': 1e3, // U+03BC Greek mu, what people type
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
  d: 86400e9,
  w: 604800e9,
};

/** Go's int64 limit: a duration beyond it is an overflow in compose-go too. */
const MAX_NS = 9223372036854775807;

export const DURATION_HINT =
  'write a number followed by a unit (ns, us, ms, s, m, h, d, w), several may follow each other: "30s", "1m30s", "500ms", "2.5s", "1h"';

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Read a duration without throwing; `problem` says what is wrong in words. */
export function readDuration(text: string): DurationReading {
  let s = text;
  let negative = false;
  if (s.length > 0 && (s[0] === '-' || s[0] === '+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  // A bare zero is the one value Go accepts without a unit.
  if (s === '0') return { ok: true, ns: 0 };
  if (s === '') return { ok: false, problem: 'it is empty' };

  let total = 0;
  let i = 0;
  while (i < s.length) {
    const start = i;
    let whole = 0;
    while (i < s.length && isDigit(s.charCodeAt(i))) whole = whole * 10 + (s.charCodeAt(i++) - 48);
    const hadWhole = i > start;
    let fraction = 0;
    let scale = 1;
    let hadFraction = false;
    if (i < s.length && s[i] === '.') {
      i++;
      const fracStart = i;
      while (i < s.length && isDigit(s.charCodeAt(i))) {
        // Beyond 15 digits a double cannot tell more; Go also stops counting.
        if (scale < 1e15) {
          fraction = fraction * 10 + (s.charCodeAt(i) - 48);
          scale *= 10;
        }
        i++;
      }
      hadFraction = i > fracStart;
    }
    if (!hadWhole && !hadFraction) {
      return { ok: false, problem: `"${s.slice(start)}" does not start with a number` };
    }
    const unitStart = i;
    while (i < s.length && s[i] !== '.' && !isDigit(s.charCodeAt(i))) i++;
    const unit = s.slice(unitStart, i);
    if (unit === '') return { ok: false, problem: 'a unit is missing after the number' };
    const perUnit = NS_PER_UNIT[unit];
    if (perUnit === undefined) return { ok: false, problem: `"${unit}" is not a duration unit` };
    // Go truncates the fractional part of the last unit to whole nanoseconds.
    total += whole * perUnit + (fraction > 0 ? Math.floor(fraction * (perUnit / scale)) : 0);
    if (total > MAX_NS) return { ok: false, problem: 'it is too long (more than about 292 years)' };
  }
  return { ok: true, ns: negative ? -total : total };
}

/** Read a duration or throw a `value` GantryError that says where and how to fix it. */
export function parseDuration(text: string, where: ErrorDetails = {}): Nanoseconds {
  const r = readDuration(text);
  if (r.ok) return r.ns;
  throw new GantryError('value', `invalid duration "${text}": ${r.problem}`, { hint: DURATION_HINT, ...where });
}

/** Go's fmtFrac: `v / 10^prec` as ".123" with trailing zeros (and a bare dot) left out. */
function fraction(v: number, prec: number): string {
  let digits = '';
  let printing = false;
  for (let k = 0; k < prec; k++) {
    const d = v % 10;
    printing ||= d !== 0;
    if (printing) digits = String(d) + digits;
    v = (v - d) / 10;
  }
  return printing ? '.' + digits : '';
}

/** Nanoseconds as Go's time.Duration.String(): `1h2m3.5s`, `1m0s`, `500ms`, `1.5µs`, `0s`. */
export function formatDuration(ns: Nanoseconds): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  const u = Math.abs(Math.trunc(ns));
  if (u < 1e3) return `${sign}${u}ns`;
  if (u < 1e6) return `${sign}${Math.floor(u / 1e3)}${fraction(u % 1e3, 3)}µs`;
  if (u < 1e9) return `${sign}${Math.floor(u / 1e6)}${fraction(u % 1e6, 6)}ms`;
  let seconds: number;
  let nanos: number;
  if (Number.isSafeInteger(u)) {
    // `%` is exact on integers; dividing first and flooring is not near 2^53.
    nanos = u % 1e9;
    seconds = (u - nanos) / 1e9;
  } else {
    const big = BigInt(u);
    nanos = Number(big % 1_000_000_000n);
    seconds = Number(big / 1_000_000_000n);
  }
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  let out = `${seconds % 60}${fraction(nanos, 9)}s`;
  if (minutes > 0) {
    out = `${minutes % 60}m` + out;
    if (hours > 0) out = `${hours}h` + out;
  }
  return sign + out;
}
