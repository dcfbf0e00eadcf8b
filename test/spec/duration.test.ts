import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GantryError } from '../../src/common/errors.js';
import { formatDuration, parseDuration, readDuration } from '../../src/spec/duration.js';

const S = 1e9;

function problemOf(text: string): string {
  const r = readDuration(text);
  assert.equal(r.ok, false, `${JSON.stringify(text)} was accepted`);
  return r.ok ? '' : r.problem;
}

describe('readDuration', () => {
  it('reads Go durations and the d and w units compose-go adds', () => {
    const cases: [string, number][] = [
      ['1h2m3s', 3723 * S],
      ['1m30s', 90 * S],
      ['500ms', 5e8],
      ['10us', 10_000],
      ['10µs', 10_000],
      ['10μs', 10_000],
      ['7ns', 7],
      ['2.5s', 2.5 * S],
      ['.5s', 0.5 * S],
      ['1.s', S],
      ['1.5h', 5400 * S],
      ['1d', 86400 * S],
      ['1w2d', 9 * 86400 * S],
      ['0', 0],
      ['-0', 0],
      ['0s', 0],
      ['+5s', 5 * S],
      ['-1m', -60 * S],
      ['1h1h', 7200 * S],
      ['1.000000001s', S + 1],
    ];
    for (const [text, ns] of cases) assert.deepEqual(readDuration(text), { ok: true, ns }, text);
  });

  it('says what is wrong with a malformed duration', () => {
    assert.match(problemOf(''), /empty/);
    assert.match(problemOf('10'), /unit is missing/);
    assert.match(problemOf('1h30'), /unit is missing/);
    assert.match(problemOf('1x'), /"x" is not a duration unit/);
    assert.match(problemOf('1 s'), /" s" is not a duration unit/);
    assert.match(problemOf('1S'), /"S" is not a duration unit/);
    assert.match(problemOf('abc'), /does not start with a number/);
    assert.match(problemOf('s'), /does not start with a number/);
    assert.match(problemOf('.s'), /does not start with a number/);
    assert.match(problemOf('-'), /empty/);
    assert.match(problemOf('99999999999999999999h'), /too long/);
  });
});

describe('parseDuration', () => {
  it('returns nanoseconds', () => {
    assert.equal(parseDuration('1m30s'), 90 * S);
  });

  it('throws a value error with the place and examples of valid values', () => {
    const where = { path: 'services.web.healthcheck.interval', position: { file: 'compose.yaml', line: 5, col: 17 } };
    assert.throws(
      () => parseDuration('10', where),
      (e: unknown) =>
        e instanceof GantryError &&
        e.kind === 'value' &&
        e.path === where.path &&
        e.position === where.position &&
        e.message.includes('"10"') &&
        /1m30s/.test(e.hint ?? ''),
    );
  });
});

describe('formatDuration', () => {
  it('writes what Go time.Duration.String() writes', () => {
    const cases: [number, string][] = [
      [0, '0s'],
      [1, '1ns'],
      [999, '999ns'],
      [1100, '1.1µs'],
      [2_200_000, '2.2ms'],
      [500_000_000, '500ms'],
      [3.3 * S, '3.3s'],
      [60 * S, '1m0s'],
      [90 * S, '1m30s'],
      [245 * S, '4m5s'],
      [245_001_000_000, '4m5.001s'],
      [(5 * 3600 + 6 * 60 + 7) * S + 1_000_000, '5h6m7.001s'],
      [480 * S + 1, '8m0.000000001s'],
      [3600 * S, '1h0m0s'],
      [86400 * S, '24h0m0s'],
      [-S, '-1s'],
      [-1500, '-1.5µs'],
      // Beyond 2^53: exact through BigInt (2^60 ns).
      [2 ** 60, '320255h58m24.606846976s'],
    ];
    for (const [ns, text] of cases) assert.equal(formatDuration(ns), text, String(ns));
  });

  it('is read back to the same number of nanoseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (ns) => {
        assert.deepEqual(readDuration(formatDuration(ns)), { ok: true, ns: ns === 0 ? 0 : ns });
      }),
      { numRuns: 2000 },
    );
    for (const unit of [1, 1e3, 1e6, S, 60 * S, 3600 * S]) {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: Math.floor(Number.MAX_SAFE_INTEGER / unit) }), (n) => {
          const ns = n * unit;
          assert.deepEqual(readDuration(formatDuration(ns)), { ok: true, ns });
        }),
        { numRuns: 300 },
      );
    }
  });
});
