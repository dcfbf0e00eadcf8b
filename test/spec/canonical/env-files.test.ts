import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { canonicalize } from '../../../src/spec/canonical.js';
import { positionAt } from '../../../src/spec/tree.js';
import { contextFor, FILE, plain, treeOf } from './yaml-tree.js';

const web = (yaml: string) => (plain(canonicalize(treeOf(`services:\n  web:\n${yaml}`), contextFor()).services) as any).web;

describe('canonical: env_file and label_file', () => {
  it('a string → one required file with an absolute path', () => {
    assert.deepEqual(web('    env_file: .env\n').env_file, [{ path: '/project/.env', required: true }]);
  });

  it('a list mixing strings and long forms', () => {
    assert.deepEqual(
      web('    env_file:\n      - ./common.env\n      - path: ~/secret.env\n        required: "false"\n      - {format: raw, path: /etc/raw.env}\n').env_file,
      [
        { path: '/project/common.env', required: true },
        { path: '/home/me/secret.env', required: false },
        { path: '/etc/raw.env', required: true, format: 'raw' },
      ],
    );
  });

  it('entries keep the position of their line', () => {
    const doc = canonicalize(treeOf('services:\n  web:\n    env_file:\n      - a.env\n      - b.env\n'), contextFor());
    assert.deepEqual(positionAt(doc, ['services', 'web', 'env_file', 1, 'path']), { file: FILE, line: 5, col: 9 });
  });

  it('label_file: string or list of absolute paths', () => {
    assert.deepEqual(web('    label_file: ./labels\n').label_file, ['/project/labels']);
    assert.deepEqual(web('    label_file: [a, /b]\n').label_file, ['/project/a', '/b']);
  });
});
