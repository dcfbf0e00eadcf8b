import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GantryError } from '../../src/common/errors.js';
import { parseDotEnv } from '../../src/spec/dotenv.js';
import { buildEnvironment, splitList } from '../../src/spec/environment.js';
import { scratchDir } from '../scratch-dir.js';

describe('.env syntax', () => {
  it('reads KEY=VALUE lines, export, comments and blanks', () => {
    assert.deepEqual(parseDotEnv('# c\nA=1\n\nexport B=two\nC=\n', '.env'), { A: '1', B: 'two', C: '' });
  });

  it('treats quotes as docker compose does', () => {
    const text = [`S='lit $A \\n'`, 'D="tab\\there\\nnew $A"', 'U=  spaced value  # comment', 'H=a#b', 'M="line1', 'line2"'].join('\n');
    const v = parseDotEnv(`A=x\n${text}\n`, '.env');
    assert.equal(v.S, 'lit $A \\n');
    assert.equal(v.D, 'tab\there\nnew x');
    assert.equal(v.U, 'spaced value');
    assert.equal(v.H, 'a#b');
    assert.equal(v.M, 'line1\nline2');
  });

  it('interpolates from earlier keys, then the lookup', () => {
    assert.deepEqual(parseDotEnv('A=1\nB=${A}-${OUT}\nC=${NOPE:-d}\n', '.env', (n) => (n === 'OUT' ? 'o' : undefined)), { A: '1', B: '1-o', C: 'd' });
  });

  it('a bare KEY takes the caller value if set, else is left out', () => {
    assert.deepEqual(parseDotEnv('HOME_DIR\nMISSING\n', '.env', (n) => (n === 'HOME_DIR' ? '/h' : undefined)), { HOME_DIR: '/h' });
  });

  it('names file:line for bad lines', () => {
    for (const [text, line, re] of [
      ['A=1\n=2\n', 2, /invalid variable name/],
      ['A=1\nB C=2\n', 2, /invalid variable name "B C"/],
      ['A="open\nB=1\n', 1, /unterminated double-quoted value for A/],
      ["A='x' trailing\n", 1, /unexpected text after the quoted value/],
    ] as const) {
      assert.throws(() => parseDotEnv(text, 'app.env'), (e: GantryError) => e.kind === 'file' && re.test(e.message) && e.position?.line === line && e.position.file === 'app.env' && Boolean(e.hint));
    }
  });
});

describe('the interpolation environment', () => {
  const dir = scratchDir('gantry-env-');
  writeFileSync(join(dir, '.env'), 'A=from-dotenv\nB=from-dotenv\n');
  writeFileSync(join(dir, 'one.env'), 'A=one\nC=one\n');
  writeFileSync(join(dir, 'two.env'), 'C=two-${A}\n');

  it('the process environment wins over .env', () => {
    const e = buildEnvironment({ processEnv: { B: 'shell' }, projectDir: dir });
    assert.equal(e.variables.A, 'from-dotenv');
    assert.equal(e.variables.B, 'shell');
    assert.equal(e.lookup('B'), 'shell');
    assert.deepEqual(e.files, [join(dir, '.env')]);
  });

  it('--env-file replaces .env; later files win and see earlier ones', () => {
    const e = buildEnvironment({ processEnv: {}, projectDir: dir, envFiles: [join(dir, 'one.env'), join(dir, 'two.env')] });
    assert.equal(e.variables.B, undefined);
    assert.equal(e.variables.C, 'two-one');
  });

  it('a missing .env is fine; a missing --env-file is an error', () => {
    assert.deepEqual(buildEnvironment({ processEnv: {}, projectDir: join(dir, 'nowhere') }).files, []);
    assert.throws(() => buildEnvironment({ processEnv: {}, projectDir: dir, envFiles: [join(dir, 'nope.env')] }), (e: GantryError) => e.kind === 'file' && /not found/.test(e.message));
  });

  it('splits lists such as COMPOSE_PROFILES', () => {
    assert.deepEqual(splitList(' a, b,,c '), ['a', 'b', 'c']);
    assert.deepEqual(splitList(undefined), []);
  });
});
