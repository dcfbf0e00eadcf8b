import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GantryError } from '../../src/common/errors.js';
import { applyInclude, type IncludeRequest } from '../../src/spec/include.js';
import { applyProfiles } from '../../src/spec/profiles.js';
import { parseComposeYaml } from '../../src/spec/read.js';
import type { Mapping } from '../../src/spec/tree.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-include-'));
  for (const [n, t] of Object.entries(files)) {
    mkdirSync(join(dir, n, '..'), { recursive: true });
    writeFileSync(join(dir, n), t);
  }
  return dir;
}

async function include(dir: string, text: string, subs: Record<string, Mapping>, chain: string[] = []) {
  const requests: IncludeRequest[] = [];
  const doc = parseComposeYaml(text, join(dir, 'compose.yaml'));
  await applyInclude(doc, {
    file: join(dir, 'compose.yaml'),
    baseDir: dir,
    chain: [...chain, join(dir, 'compose.yaml')],
    warn: () => {},
    loadProject: async (req) => {
      requests.push(req);
      return subs[req.files[0]!] ?? {};
    },
  });
  return { doc, requests };
}

describe('include', () => {
  const dir = project({ 'sub/compose.yaml': '', 'sub/extra.yaml': '', 'other/c.yaml': '', 'e.env': '' });

  it('short form: each file is a project in its own directory', async () => {
    const { doc, requests } = await include(dir, 'include: [sub/compose.yaml]\nservices:\n  web: {image: a}\n', { [join(dir, 'sub/compose.yaml')]: { services: { api: { image: 'b' } }, volumes: { data: {} } } });
    assert.deepEqual(requests, [{ files: [join(dir, 'sub/compose.yaml')], projectDirectory: join(dir, 'sub'), envFiles: [] }]);
    assert.deepEqual(doc, { services: { web: { image: 'a' }, api: { image: 'b' } }, volumes: { data: {} } });
  });

  it('long form: path lists, project_directory and env_file', async () => {
    const { requests } = await include(dir, 'include:\n  - path: [sub/compose.yaml, sub/extra.yaml]\n    project_directory: other\n    env_file: e.env\n', {});
    assert.deepEqual(requests, [{ files: [join(dir, 'sub/compose.yaml'), join(dir, 'sub/extra.yaml')], projectDirectory: join(dir, 'other'), envFiles: [join(dir, 'e.env')] }]);
  });

  it('a conflicting definition is an error naming both files; an identical one is fine', async () => {
    const sub = { [join(dir, 'sub/compose.yaml')]: { services: { web: { image: 'other' } } } };
    await assert.rejects(include(dir, 'include: [sub/compose.yaml]\nservices:\n  web: {image: a}\n', sub), (e: GantryError) => e.kind === 'reference' && /service "web" is defined both in .*compose\.yaml and in the included .*sub\/compose\.yaml/.test(e.message) && e.position?.line === 1);
    const same = { [join(dir, 'sub/compose.yaml')]: { services: { web: { image: 'a' } } } };
    await include(dir, 'include: [sub/compose.yaml]\nservices:\n  web: {image: a}\n', same);
  });

  it('a missing file and a cycle are errors at the include entry', async () => {
    await assert.rejects(include(dir, 'include:\n  - nope.yaml\n', {}), (e: GantryError) => e.kind === 'file' && /nope\.yaml/.test(e.message) && e.position?.line === 2);
    await assert.rejects(include(dir, 'include: [sub/compose.yaml]\n', {}, [join(dir, 'sub/compose.yaml')]), (e: GantryError) => e.kind === 'cycle' && /include cycle/.test(e.message));
  });
});

describe('profiles', () => {
  const doc = (): Mapping => ({ services: { web: { image: 'a' }, debug: { image: 'a', profiles: ['debug'] }, both: { image: 'a', profiles: ['debug', 'tools'] } } });
  const names = (d: Mapping) => Object.keys(d.services as Mapping).sort();

  it('services without profiles are always on; others need an active profile', () => {
    const d = doc();
    const disabled = applyProfiles(d, [], []);
    assert.deepEqual(names(d), ['web']);
    assert.deepEqual(Object.keys(disabled).sort(), ['both', 'debug']);
    const t = doc();
    applyProfiles(t, ['tools'], []);
    assert.deepEqual(names(t), ['both', 'web']);
  });

  it('* enables all; naming a service enables it', () => {
    const all = doc();
    applyProfiles(all, ['*'], []);
    assert.deepEqual(names(all), ['both', 'debug', 'web']);
    const named = doc();
    applyProfiles(named, [], ['debug']);
    assert.deepEqual(names(named), ['debug', 'web']);
  });
});
