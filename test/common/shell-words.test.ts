import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'mocha';
import { ShellSyntaxError, splitShellWords } from '../../src/common/shell-words.js';

const words = (s: string) => splitShellWords(s).words;

describe('shell words', () => {
  it('splits on blanks, any amount', () => {
    assert.deepEqual(words('  a \t b\nc  '), ['a', 'b', 'c']);
    assert.deepEqual(words(''), []);
    assert.deepEqual(words('   '), []);
  });

  it('single quotes are literal', () => {
    assert.deepEqual(words(`'a b' 'x\\y' '"q"'`), ['a b', 'x\\y', '"q"']);
  });

  it('double quotes escape only $ ` " \\ and newline', () => {
    assert.deepEqual(words(`"a \\"b\\" \\$c \\\\ \\n"`), ['a "b" $c \\ \\n']);
  });

  it('quotes join with the text around them; empty quotes make an empty word', () => {
    assert.deepEqual(words(`--name="a b"x '' ""`), ['--name=a bx', '', '']);
  });

  it('a backslash outside quotes escapes the next character; backslash-newline continues the line', () => {
    assert.deepEqual(words('a\\ b c\\\nd'), ['a b', 'cd']);
  });

  it('nothing is expanded', () => {
    assert.deepEqual(words('echo $HOME `id` $(pwd) ~'), ['echo', '$HOME', '`id`', '$(pwd)', '~']);
  });

  it('operators are kept as text and reported', () => {
    assert.deepEqual(splitShellWords('a && b; c | d > e'), {
      words: ['a', '&&', 'b;', 'c', '|', 'd', '>', 'e'],
      operators: ['&&', ';', '|', '>'],
    });
    assert.deepEqual(splitShellWords(`sh -c 'a && b'`).operators, []);
  });

  it('unclosed quotes and a trailing backslash are errors with the offset', () => {
    assert.throws(() => splitShellWords(`echo 'oops`), (e: ShellSyntaxError) => e.offset === 5 && /single quote/.test(e.message));
    assert.throws(() => splitShellWords(`a "b`), (e: ShellSyntaxError) => e.offset === 2);
    assert.throws(() => splitShellWords('a\\'), ShellSyntaxError);
  });

  it('single-quoting any words and splitting gives them back', () => {
    const quote = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 8 }), (ws) => {
        assert.deepEqual(words(ws.map(quote).join(' ')), ws);
      }),
    );
  });
});
