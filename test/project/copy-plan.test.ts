// docker cp's rules for where a copy lands, without an engine.

import assert from 'node:assert/strict';
import { cleanPath, planCopy, rebaseEntry, splitPathDirEntry } from '../../src/project/copy-plan.js';
import { splitCopyArg } from '../../src/project/cp.js';

const dest = (path: string, exists = false, isDir = false) => ({ path, exists, isDir, shown: path });

describe('copy plan', () => {
  it('splits paths as docker does, keeping a trailing /.', () => {
    assert.deepEqual(splitPathDirEntry('/a/b'), ['/a', 'b']);
    assert.deepEqual(splitPathDirEntry('/a/b/'), ['/a', 'b']);
    assert.deepEqual(splitPathDirEntry('/a/b/.'), ['/a/b', '.']);
    assert.deepEqual(splitPathDirEntry('/b'), ['/', 'b']);
    assert.deepEqual(splitPathDirEntry('b'), ['.', 'b']);
    assert.equal(cleanPath('/a/./b/../c//'), '/a/c');
    assert.equal(cleanPath('../x'), '../x');
  });

  it('into an existing directory: no rename (unless -L named it)', () => {
    assert.deepEqual(planCopy({ isDir: false, root: 'a.txt' }, dest('/out', true, true)), { dir: '/out' });
    assert.deepEqual(planCopy({ isDir: false, root: 'a.txt', name: 'link' }, dest('/out', true, true)), { dir: '/out', rename: { from: 'a.txt', to: 'link' } });
  });

  it('onto an existing file or a new path: the destination\'s name', () => {
    assert.deepEqual(planCopy({ isDir: false, root: 'a.txt' }, dest('/out/b.txt', true)), { dir: '/out', rename: { from: 'a.txt', to: 'b.txt' } });
    assert.deepEqual(planCopy({ isDir: true, root: 'd' }, dest('/out/new')), { dir: '/out', rename: { from: 'd', to: 'new' } });
    assert.deepEqual(planCopy({ isDir: true, root: '.' }, dest('/out/new')), { dir: '/out', rename: { from: '.', to: 'new' } });
    assert.deepEqual(planCopy({ isDir: false, root: 'same' }, dest('/out/same')), { dir: '/out' });
  });

  it('refuses a directory onto a file, and a file into a missing directory', () => {
    assert.throws(() => planCopy({ isDir: true, root: 'd' }, dest('/out/f', true)), /cannot copy a directory to a file/);
    assert.throws(() => planCopy({ isDir: false, root: 'a' }, dest('/out/missing/')), /destination directory \/out\/missing\/ does not exist/);
  });

  it('renames only the root of each entry', () => {
    const r = { from: 'd', to: 'new' };
    assert.equal(rebaseEntry('d/', r), 'new/');
    assert.equal(rebaseEntry('d/x/d/y', r), 'new/x/d/y');
    assert.equal(rebaseEntry('dd/x', r), 'dd/x');
    assert.equal(rebaseEntry('./x', { from: '.', to: 'new' }), 'new/x');
  });

  it('tells a service path from a local one', () => {
    assert.deepEqual(splitCopyArg('web:/etc/hosts'), { service: 'web', path: '/etc/hosts' });
    assert.deepEqual(splitCopyArg('/abs/with:colon'), { path: '/abs/with:colon' });
    assert.deepEqual(splitCopyArg('./rel:colon'), { path: './rel:colon' });
    assert.deepEqual(splitCopyArg('plain'), { path: 'plain' });
    assert.deepEqual(splitCopyArg('-'), { path: '-' });
  });
});
