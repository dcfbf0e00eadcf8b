// The builder's reading of Dockerfile words and lines, without an engine.

import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { blankContinuationComments, parseDockerfile } from '../../../src/engine/images/builder/dockerfile-stages.js';
import { expandWord, expandWords } from '../../../src/engine/images/builder/word-expansion.js';

const vars: Record<string, string> = { A: 'x', EMPTY: '', SP: 'a b' };
const lookup = (n: string) => vars[n];

describe('builder: words and lines', () => {
  it('expands $VAR, ${VAR}, ${VAR:-d}, ${VAR-d}, ${VAR:+w} and leaves single quotes alone', () => {
    assert.deepEqual(expandWords('$A ${A}y ${NONE:-def} ${EMPTY:-d1} ${EMPTY-d2} ${A:+set} ${NONE:+no}', lookup), ['x', 'xy', 'def', 'd1', 'set']);
    assert.deepEqual(expandWords(`'$A' "$A b" \\$A k="$SP"`, lookup), ['$A', 'x b', '$A', 'k=a b']);
    assert.equal(expandWord('  /srv/$A dir  ', lookup), '/srv/x dir');
    assert.deepEqual(expandWords('`$A b', lookup, '`'), ['$A', 'b']);
  });

  it('refuses unclosed quotes and bad substitutions', () => {
    assert.throws(() => expandWords('"open', lookup), /double-quote/);
    assert.throws(() => expandWords('${A', lookup), /substitution/);
    assert.deepEqual(expandWords('"" $EMPTY', lookup), ['']);
    assert.throws(() => expandWords('${NONE:?must be set}', lookup), /NONE: must be set/);
  });

  it('reads stages, flags, the escape directive and comments inside continuations', () => {
    const df = parseDockerfile('# escape=`\nARG V=1\nFROM busybox:${V} AS one\nRUN echo a `\n      # dropped\n  b\nCOPY --from=one --chown=1:2 /a /b\nFROM one\n');
    assert.equal(df.escape, '`');
    assert.equal(df.globalArgs.length, 1);
    assert.equal(df.stages.length, 2);
    assert.equal(df.stages[0]!.steps[0]!.args.replace(/\s+/g, ' '), 'echo a b');
    assert.deepEqual(df.stages[0]!.steps[1]!.flags, { from: 'one', chown: '1:2' });
    assert.equal(blankContinuationComments('RUN a \\\n    # c\n  b', '\\'), 'RUN a \\\n\n  b');
    assert.throws(() => parseDockerfile('RUN x\nFROM busybox'), /before the first FROM/);
    assert.throws(() => parseDockerfile('FROM busybox\nFOO bar'), /unknown instruction: FOO/);
  });
});
