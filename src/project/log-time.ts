// Times for `logs --since/--until` and `events --since/--until`, read the way
// the docker CLI reads them, then written as the engine wants them: unix
// seconds with nanoseconds (`1700000000.123456789`). The engine itself reads
// no RFC 3339 and no relative durations, so the client converts:
//   42m, 1h30m, 1.5h, 300ms   → that long before now (Go duration syntax)
//   2013-01-02T13:23:37Z       → RFC 3339, with Z or a ±hh:mm offset
//   2013-01-02T13:23:37        → local time; also 2013-01-02, 2013-01-02T13
//   1700000000[.123]           → unix seconds, passed through

import { GantryError } from '../common/errors.js';

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const DURATION = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;
const DATE = /^(\d{4})-(\d\d)-(\d\d)(?:T(\d\d)(?::(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)?)?([zZ]|[+-]\d\d:\d\d)?$/;
const UNIX = /^\d+(?:\.\d{1,9})?$/;

/** The engine's form of a `--since`/`--until` value; `flag` names it in errors. */
export function engineTime(value: string, flag = '--since', now = Date.now()): string {
  const v = value.trim();
  if (v !== '0' && DURATION.test(v)) {
    // Kept to the millisecond (docker rounds to the second, which hides the last second's events).
    const ms = Math.floor(now - durationNs(v) / 1e6);
    return `${Math.floor(ms / 1000)}.${String(((ms % 1000) + 1000) % 1000).padStart(3, '0')}000000`;
  }
  if (UNIX.test(v)) return v;
  const m = DATE.exec(v);
  if (m) {
    const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1, 7) as string[];
    const fraction = (m[7] ?? '').padEnd(9, '0');
    const zone = m[8];
    let ms: number;
    if (zone === undefined) ms = new Date(+y!, +mo! - 1, +d!, +h, +mi, +s).getTime();
    else {
      ms = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s);
      if (zone !== 'Z' && zone !== 'z') {
        const sign = zone[0] === '-' ? -1 : 1;
        ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
      }
    }
    if (Number.isFinite(ms) && validDate(+y!, +mo!, +d!, +h, +mi, +s)) return `${Math.floor(ms / 1000)}.${fraction}`;
  }
  throw new GantryError('usage', `invalid ${flag} value "${value}"`, {
    hint: 'give a time like 2013-01-02T13:23:37Z (RFC 3339), a unix timestamp, or a duration before now like 42m or 1h30m',
  });
}

function durationNs(v: string): number {
  let total = 0;
  for (const [, n, unit] of v.matchAll(DURATION_PART)) total += Number(n) * UNIT_NS[unit!]!;
  return v.startsWith('-') ? -total : total;
}

function validDate(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate() && h < 24 && mi < 60 && s < 60;
}

/**
 * The engine's `since` that resumes right after a line stamped `stamp`
 * (RFC 3339 with nanoseconds): one nanosecond later, since the engine's
 * `since` keeps lines stamped exactly at it.
 */
export function justAfter(stamp: string): string | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?([zZ]|[+-]\d\d:\d\d)$/.exec(stamp);
  if (!m) return undefined;
  const seconds = Math.floor(Date.parse(`${m[1]}${m[3]!.toUpperCase()}`) / 1000);
  if (!Number.isFinite(seconds)) return undefined;
  let nanos = Number((m[2] ?? '').padEnd(9, '0')) + 1;
  let whole = seconds;
  if (nanos >= 1e9) {
    nanos -= 1e9;
    whole += 1;
  }
  return `${whole}.${String(nanos).padStart(9, '0')}`;
}

/** Orders two engine timestamps (RFC 3339 with nanoseconds); negative when a is earlier. */
export function compareStamps(a: string, b: string): number {
  // dockerd writes them in UTC with a fixed nine-digit fraction: text order is time order.
  if (a.length === b.length && a.endsWith('Z') && b.endsWith('Z')) return a < b ? -1 : a > b ? 1 : 0;
  const x = justAfter(a);
  const y = justAfter(b);
  if (!x || !y) return a < b ? -1 : a > b ? 1 : 0;
  const [xs, xn] = x.split('.').map(Number) as [number, number];
  const [ys, yn] = y.split('.').map(Number) as [number, number];
  return xs - ys || xn - yn;
}
