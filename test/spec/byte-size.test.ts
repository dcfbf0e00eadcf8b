import assert from 'node:assert/strict';
import { GantryError } from '../../src/common/errors.js';
import { parseByteSize, readByteSize } from '../../src/spec/byte-size.js';

const KiB = 1024;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

function problemOf(text: string): string {
  const r = readByteSize(text);
  assert.equal(r.ok, false, `${JSON.stringify(text)} was accepted`);
  return r.ok ? '' : r.problem;
}

describe('readByteSize', () => {
  it('reads sizes as compose-go does: a plain integer, else binary units (RAMInBytes)', () => {
    const cases: [string, number][] = [
      ['1024', 1024],
      ['0', 0],
      ['-1', -1],
      ['+5', 5],
      ['2b', 2],
      ['2B', 2],
      ['100k', 100 * KiB],
      ['100kb', 100 * KiB],
      ['100KiB', 100 * KiB],
      ['512m', 512 * MiB],
      ['512M', 512 * MiB],
      ['1g', GiB],
      ['1.5GB', 1.5 * GiB],
      ['1 GiB', GiB],
      ['10 k', 10 * KiB],
      ['2t', 2 * 1024 ** 4],
      ['1p', 1024 ** 5],
      ['.5k', 512],
      ['1.5', 1],
      ['1.5b', 1],
      ['1e3', 1000],
    ];
    for (const [text, bytes] of cases) assert.deepEqual(readByteSize(text), { ok: true, bytes }, text);
  });

  it('reads decimal units like FromHumanSize when asked to', () => {
    assert.deepEqual(readByteSize('1.5GB', 'decimal'), { ok: true, bytes: 1.5e9 });
    assert.deepEqual(readByteSize('100kb', 'decimal'), { ok: true, bytes: 100_000 });
    assert.deepEqual(readByteSize('44kB', 'decimal'), { ok: true, bytes: 44_000 });
  });

  it('says what is wrong with a malformed size', () => {
    assert.match(problemOf(''), /no number/);
    assert.match(problemOf('abc'), /no number/);
    assert.match(problemOf('1x'), /"x" is not a size unit/);
    assert.match(problemOf('1kbb'), /"kbb" is not a size unit/);
    assert.match(problemOf('1bb'), /"bb" is not a size unit/);
    assert.match(problemOf('1mi'), /"mi" is not a size unit/);
    assert.match(problemOf('1kibb'), /"kibb" is not a size unit/);
    assert.match(problemOf('1.2.3m'), /"1.2.3" is not a number/);
    assert.match(problemOf('-1k'), /negative/);
    assert.match(problemOf('1 k b'), /"k b" is not a size unit/);
    assert.match(problemOf('99999999p'), /too large/);
  });
});

describe('parseByteSize', () => {
  it('returns bytes', () => {
    assert.equal(parseByteSize('512m'), 512 * MiB);
  });

  it('throws a value error with the place and examples of valid values', () => {
    const where = { path: 'services.web.mem_limit', position: { file: 'compose.yaml', line: 3, col: 16 } };
    assert.throws(
      () => parseByteSize('12 parsecs', where),
      (e: unknown) =>
        e instanceof GantryError &&
        e.kind === 'value' &&
        e.path === where.path &&
        e.position === where.position &&
        e.message.includes('"12 parsecs"') &&
        /512m/.test(e.hint ?? ''),
    );
  });
});
