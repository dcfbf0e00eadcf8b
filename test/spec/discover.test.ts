import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GantryError } from '../../src/common/errors.js';
import { discoverFiles, normalizeProjectName, resolveProjectName } from '../../src/spec/discover.js';
import { scratchDir } from '../scratch-dir.js';

function tree(files: Record<string, string>): string {
  const root = scratchDir('gantry-discover-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

describe('discoverFiles', () => {
  it('finds compose.yaml and its override beside it', () => {
    const root = tree({ 'compose.yaml': 'services: {}', 'compose.override.yaml': 'services: {}' });
    const d = discoverFiles({ workingDir: root, env: {} });
    assert.deepEqual(d.files, [join(root, 'compose.yaml'), join(root, 'compose.override.yaml')]);
  });

  it('walks up to a parent directory', () => {
    const root = tree({ 'docker-compose.yml': 'services: {}', 'a/b/.keep': '' });
    const d = discoverFiles({ workingDir: join(root, 'a', 'b'), env: {} });
    assert.deepEqual(d.files, [join(root, 'docker-compose.yml')]);
  });

  it('prefers compose.yaml and warns when several names exist', () => {
    const root = tree({ 'compose.yaml': '', 'docker-compose.yml': '' });
    const d = discoverFiles({ workingDir: root, env: {} });
    assert.deepEqual(d.files, [join(root, 'compose.yaml')]);
    assert.match(d.warnings[0]!, /multiple config files/);
  });

  it('uses COMPOSE_FILE with the path separator', () => {
    const root = tree({ 'a.yml': '', 'b.yml': '' });
    const d = discoverFiles({ workingDir: root, env: { COMPOSE_FILE: 'a.yml:b.yml' } });
    assert.deepEqual(d.files, [join(root, 'a.yml'), join(root, 'b.yml')]);
    const e = discoverFiles({ workingDir: root, env: { COMPOSE_FILE: 'a.yml;b.yml', COMPOSE_PATH_SEPARATOR: ';' } });
    assert.equal(e.files.length, 2);
  });

  it('-f wins over COMPOSE_FILE and keeps stdin as -', () => {
    const root = tree({ 'a.yml': '', 'b.yml': '' });
    const d = discoverFiles({ workingDir: root, files: ['b.yml', '-'], env: { COMPOSE_FILE: 'a.yml' } });
    assert.deepEqual(d.files, [join(root, 'b.yml'), '-']);
  });

  it('says what to do when nothing is found or a file is missing', () => {
    const root = tree({ 'x/.keep': '' });
    assert.throws(() => discoverFiles({ workingDir: '/', env: {} }), (e: GantryError) => e.kind === 'file' && /no configuration file/.test(e.message) && /-f/.test(e.hint ?? ''));
    assert.throws(() => discoverFiles({ workingDir: root, files: ['nope.yml'], env: {} }), (e: GantryError) => e.kind === 'file' && /nope\.yml/.test(e.message));
    assert.throws(() => discoverFiles({ workingDir: root, files: ['x'], env: {} }), /is a directory/);
  });
});

describe('project names', () => {
  it('normalizes derived names the way docker compose does', () => {
    assert.equal(normalizeProjectName('My_App.v2'), 'my_appv2');
    assert.equal(normalizeProjectName('--x'), 'x');
    assert.equal(normalizeProjectName('Über Dienst'), 'berdienst');
  });

  it('takes -p, then COMPOSE_PROJECT_NAME, then name:, then the directory', () => {
    assert.equal(resolveProjectName({ flag: 'a', env: 'b', declared: 'c', projectDir: '/x/d' }), 'a');
    assert.equal(resolveProjectName({ env: 'b', declared: 'c', projectDir: '/x/d' }), 'b');
    assert.equal(resolveProjectName({ declared: 'C!', projectDir: '/x/d' }), 'c');
    assert.equal(resolveProjectName({ projectDir: '/x/My Project' }), 'myproject');
  });

  it('rejects an invalid -p with the rule and a suggestion', () => {
    assert.throws(
      () => resolveProjectName({ flag: 'My App', projectDir: '/x' }),
      (e: GantryError) => e.kind === 'usage' && /lowercase letters, digits, dashes and underscores/.test(e.message) && e.hint === 'try "myapp"',
    );
  });

  it('fails clearly when no name can be derived', () => {
    assert.throws(() => resolveProjectName({ projectDir: '/x/___' }), (e: GantryError) => /-p NAME/.test(e.hint ?? ''));
  });
});
