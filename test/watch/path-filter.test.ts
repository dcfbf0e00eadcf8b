// The ignore rules of a watch rule: defaults, its own patterns, the build
// context's .dockerignore, include.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ignoreLines, isDefaultIgnored, PathFilter, readContextIgnore } from '../../src/watch/index.js';

const rule = (ignore: string[] = [], include: string[] = []) => ({ path: '/proj/src', ignore, include });

describe('watch path filter', () => {
  it('skips .git and editor temporary files at any depth, not look-alikes', () => {
    for (const p of ['.git', '.git/HEAD', 'a/.git/objects/x', 'a.txt~', '.a.txt.swp', 'd/.x.swx', '4913', 'd/4913', '.#a.txt', '#a.txt#', 'x___jb_tmp___']) {
      assert.ok(isDefaultIgnored(p), p);
    }
    for (const p of ['a.txt', '.gitignore', 'git/x', 'a.swp', '49130', 'a#b']) assert.ok(!isDefaultIgnored(p), p);
  });

  it('applies the rule\'s patterns relative to its path, with .dockerignore semantics', () => {
    const f = new PathFilter(rule(['node_modules/', '*.tmp', '**/*.log', '!keep.log']));
    assert.ok(f.skips('/proj/src/node_modules'));
    assert.ok(f.skips('/proj/src/node_modules/x/y.js'));
    assert.ok(f.skips('/proj/src/a.tmp'));
    assert.ok(!f.skips('/proj/src/sub/a.tmp'), '* stays within one level');
    assert.ok(f.skips('/proj/src/sub/deep/a.log'));
    assert.ok(!f.skips('/proj/src/keep.log'), '! re-includes');
    assert.ok(!f.skips('/proj/src/main.js'));
    assert.ok(!f.skips('/proj/src'), 'the watched path itself');
  });

  it('is outside its path: skipped, not covered', () => {
    const f = new PathFilter(rule());
    assert.ok(!f.covers('/proj/srcx/a'));
    assert.ok(!f.covers('/proj'));
    assert.ok(f.skips('/proj/other.txt'));
    assert.ok(!f.accepts('/proj/other.txt'));
  });

  it('with include, only matching files count; directories are still walked', () => {
    const f = new PathFilter(rule([], ['*.js', 'lib/**']));
    assert.ok(f.accepts('/proj/src/a.js'));
    assert.ok(!f.accepts('/proj/src/a.css'));
    assert.ok(f.accepts('/proj/src/lib/x/y.css'));
    assert.ok(f.accepts('/proj/src/sub', true));
    assert.ok(!f.skips('/proj/src/a.css'), 'include narrows what counts, it does not stop the walk');
  });

  describe('the build context\'s ignore file', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'gantry-ignore-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('reads .dockerignore lines without comments and blanks', () => {
      assert.deepEqual(ignoreLines('# c\n\nnode_modules\r\n  *.md  \n!README.md\n'), ['node_modules', '*.md', '!README.md']);
    });

    it('drops paths inside the context that it ignores, relative to the context', () => {
      writeFileSync(join(dir, '.dockerignore'), 'dist\n*.md\n!README.md\n');
      const ctx = readContextIgnore(dir)!;
      const f = new PathFilter({ path: join(dir, 'app'), ignore: [], include: [] }, ctx);
      assert.ok(!f.skips(join(dir, 'app/a.js')));
      const whole = new PathFilter({ path: dir, ignore: [], include: [] }, ctx);
      assert.ok(whole.skips(join(dir, 'dist/bundle.js')));
      assert.ok(whole.skips(join(dir, 'notes.md')));
      assert.ok(!whole.accepts(join(dir, 'notes.md')));
      assert.ok(whole.accepts(join(dir, 'README.md')));
      assert.ok(!f.skips(join(dir, 'app/notes.md')), '*.md is top-level only in the context');
    });

    it('<Dockerfile>.dockerignore wins over .dockerignore; none at all is undefined', () => {
      writeFileSync(join(dir, 'Dockerfile.dev.dockerignore'), 'secret\n');
      const ctx = readContextIgnore(dir, 'Dockerfile.dev')!;
      const f = new PathFilter({ path: dir, ignore: [], include: [] }, ctx);
      assert.ok(f.skips(join(dir, 'secret')));
      assert.ok(!f.skips(join(dir, 'notes.md')));
      assert.equal(readContextIgnore(join(dir, 'nowhere')), undefined);
    });
  });
});
