// The whole loader, end to end, on fixture projects under test/fixtures/load.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GantryError, GantryErrors } from '../../src/common/errors.js';
import type { Warning } from '../../src/spec/context.js';
import { loadProject, projectToDocument, toYaml, type LoadOptions } from '../../src/spec/index.js';
import { scratchDir } from '../scratch-dir.js';

const fixtures = resolve('test/fixtures/load');

function load(dir: string, opts: LoadOptions = {}, env: Record<string, string> = {}) {
  const warnings: Warning[] = [];
  const project = loadProject({ workingDir: join(fixtures, dir), env, onWarning: (w) => warnings.push(w), ...opts });
  return project.then((p) => ({ project: p, warnings }));
}

async function failure(p: Promise<unknown>): Promise<GantryError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GantryErrors) return e.errors[0]!;
    if (e instanceof GantryError) return e;
    throw e;
  }
  assert.fail('expected the load to fail');
}

function scratch(files: Record<string, string>): string {
  const dir = scratchDir('gantry-load-');
  for (const [n, t] of Object.entries(files)) writeFileSync(join(dir, n), t);
  return dir;
}

describe('loadProject', () => {
  it('merges the override file, interpolates from .env, lets the shell win', async () => {
    const { project, warnings } = await load('basic', {}, { MODE: 'from-shell', FROM_SHELL: 'yes' });
    const web = project.services.web!;
    assert.equal(project.name, 'basic');
    assert.equal(web.image, 'busybox:1.36');
    assert.deepEqual(web.ports?.map((p) => `${p.published}:${p.target}`), ['8080:80', '9443:443']);
    assert.equal(web.environment.MODE, 'from-shell');
    assert.equal(web.environment.FROM_SHELL, 'yes');
    assert.equal(web.environment.EXTRA, '1');
    assert.deepEqual(project.services.db!.command, ['sleep', '60']);
    assert.equal(web.volumes?.[0]?.source, join(fixtures, 'basic', 'data'));
    assert.deepEqual(web.depends_on, { db: { condition: 'service_started', required: true } });
    assert.deepEqual(Object.keys(project.networks), ['default']);
    assert.equal(project.networks.default!.name, 'basic_default');
    assert.deepEqual(warnings, []);
  });

  it('--env-file replaces .env and env_file feeds the container environment', async () => {
    const { project } = await load('envfile', { envFiles: ['custom.env'] });
    const app = project.services.app!;
    assert.equal(app.labels?.stage, 'from-custom');
    assert.deepEqual(app.environment, { A: '1', B: 'overridden' });
    const dflt = await load('envfile');
    assert.equal(dflt.project.services.app!.labels?.stage, 'from-dotenv');
    assert.equal(dflt.project.name, 'envfile');
  });

  it('resolves paths of an extended service against the file that declared them', async () => {
    const { project } = await load('extends');
    const web = project.services.web!;
    assert.equal(web.image, 'busybox');
    assert.equal(web.volumes?.[0]?.source, join(fixtures, 'extends', 'common', 'conf'));
    assert.deepEqual(web.environment, { ROLE: 'web', SHARED: 'yes' });
    assert.equal(web.extends, undefined);
  });

  it('includes a sub-project with its own directory and .env', async () => {
    const { project } = await load('include');
    const api = project.services.api!;
    assert.equal(api.image, 'busybox:from-sub-dotenv');
    assert.equal(api.volumes?.[0]?.source, join(fixtures, 'include', 'sub', 'api-data'));
    assert.ok(project.services.web);
  });

  it('leaves out services of inactive profiles unless named', async () => {
    assert.deepEqual(Object.keys((await load('profiles')).project.services).sort(), ['web']);
    assert.deepEqual(Object.keys((await load('profiles', { profiles: ['debug'] })).project.services).sort(), ['debug', 'tools', 'web']);
    assert.deepEqual(Object.keys((await load('profiles', {}, { COMPOSE_PROFILES: 'tools' })).project.services).sort(), ['tools', 'web']);
    assert.deepEqual(Object.keys((await load('profiles', { services: ['tools'] })).project.services).sort(), ['debug', 'tools', 'web']);
    assert.deepEqual(Object.keys((await load('profiles', { profiles: ['*'] })).project.services).sort(), ['debug', 'tools', 'web']);
  });

  it('reads -f - from standard input', async () => {
    const project = await loadProject({ files: ['-'], stdin: 'services:\n  a:\n    image: busybox\n', workingDir: join(fixtures, 'profiles'), env: {} });
    assert.equal(project.name, 'profiles');
    assert.deepEqual(project.configFiles, ['-']);
  });

  it('rejects an unknown service named on the command line', async () => {
    const e = await failure(load('profiles', { services: ['nope'] }));
    assert.equal(e.kind, 'usage');
    assert.match(e.message, /no such service: nope/);
  });

  describe('errors name the file, line and column', () => {
    it('for ${VAR:?message}', async () => {
      const dir = scratch({ 'compose.yaml': 'services:\n  web:\n    image: busybox:${BB_TAG:?BB_TAG must be set}\n' });
      const e = await failure(loadProject({ workingDir: dir, env: {} }));
      assert.equal(e.kind, 'interpolation');
      assert.match(e.message, /BB_TAG must be set/);
      assert.equal(e.position?.file, join(dir, 'compose.yaml'));
      assert.equal(e.position?.line, 3);
      assert.equal(e.path, 'services.web.image');
    });

    it('for an unknown key, with a did-you-mean', async () => {
      const dir = scratch({ 'compose.yaml': 'services:\n  web:\n    image: busybox\n    restart_policy: always\n' });
      const e = await failure(loadProject({ workingDir: dir, env: {} }));
      assert.equal(e.kind, 'schema');
      assert.deepEqual(e.position, { file: join(dir, 'compose.yaml'), line: 4, col: 5 });
      assert.match(e.message, /restart_policy/);
      assert.match(e.hint ?? '', /restart/);
    });

    it('for a YAML syntax error', async () => {
      const dir = scratch({ 'compose.yaml': 'services:\n  web:\n    image: busybox\n    command: [sleep, "3600"\n' });
      const e = await failure(loadProject({ workingDir: dir, env: {} }));
      assert.equal(e.kind, 'yaml');
      assert.equal(e.position?.file, join(dir, 'compose.yaml'));
      assert.ok((e.position?.line ?? 0) >= 4);
    });

    it('for a dependency cycle, in the file that declares it', async () => {
      const dir = scratch({ 'compose.yaml': 'services:\n  web:\n    image: busybox\n    depends_on: [db]\n  db:\n    image: busybox\n    depends_on: [web]\n' });
      const e = await failure(loadProject({ workingDir: dir, env: {} }));
      assert.equal(e.kind, 'cycle');
      assert.equal(e.message, 'dependency cycle: web -> db -> web');
      assert.equal(e.position?.line, 4);
    });

    it('for a malformed port, through the override file', async () => {
      const dir = scratch({ 'compose.yaml': 'services:\n  web:\n    image: busybox\n', 'compose.override.yaml': 'services:\n  web:\n    ports:\n      - "80:abc"\n' });
      const e = await failure(loadProject({ workingDir: dir, env: {} }));
      assert.equal(e.kind, 'value');
      assert.equal(e.position?.file, join(dir, 'compose.override.yaml'));
      assert.equal(e.position?.line, 4);
    });
  });

  it('config output loads again to the same output', async () => {
    const { project } = await load('basic', {}, { MODE: 'm', FROM_SHELL: 's' });
    const first = toYaml(projectToDocument(project));
    const again = await loadProject({ files: ['-'], stdin: first, workingDir: join(fixtures, 'basic'), env: {} });
    assert.equal(toYaml(projectToDocument(again)), first);
  });
});
