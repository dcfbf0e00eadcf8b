// loadProject reads without positions first and again with them only when
// it has something to report: what a person sees must not change.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GantryError, GantryErrors } from '../../src/common/errors.js';
import type { Warning } from '../../src/spec/context.js';
import { loadProject } from '../../src/spec/index.js';
import { scratchDir } from '../scratch-dir.js';

function scratch(files: Record<string, string>): string {
  const dir = scratchDir('gantry-passes-');
  for (const [n, t] of Object.entries(files)) writeFileSync(join(dir, n), t);
  return dir;
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

describe('loadProject: positions only when something is reported', () => {
  it('a warning keeps its position and is given once', async () => {
    const dir = scratch({ 'compose.yaml': 'services:\n  web:\n    image: busybox\n    environment:\n      A: ${NOT_SET}\n' });
    const warnings: Warning[] = [];
    const project = await loadProject({ workingDir: dir, env: {}, onWarning: (w) => warnings.push(w) });
    assert.equal(project.services.web?.environment.A, '');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.message, /NOT_SET/);
    assert.deepEqual(warnings[0]!.position, { file: join(dir, 'compose.yaml'), line: 5, col: 10 });
  });

  it('a late error (a semantic check after merge) names the line of the file that caused it', async () => {
    const dir = scratch({
      'compose.yaml': 'services:\n  web:\n    image: busybox\n',
      'compose.override.yaml': 'services:\n  web:\n    depends_on: [db]\n',
    });
    const e = await failure(loadProject({ workingDir: dir, env: {} }));
    assert.match(e.message, /db/);
    assert.equal(e.position?.file, join(dir, 'compose.override.yaml'));
    assert.equal(e.position?.line, 3);
  });

  it('an error in an extended file is positioned in that file', async () => {
    const dir = scratch({
      'compose.yaml': 'services:\n  web:\n    extends: { file: base.yaml, service: base }\n',
      'base.yaml': 'services:\n  base:\n    image: busybox\n    ports: ["99999:80"]\n',
    });
    const e = await failure(loadProject({ workingDir: dir, env: {} }));
    assert.equal(e.position?.file, join(dir, 'base.yaml'));
    assert.equal(e.position?.line, 4);
  });

  it('standard input is read once even when the load runs again', async () => {
    let reads = 0;
    const stdin = async () => {
      reads++;
      return 'services:\n  web:\n    image: busybox\n    environment: { A: "${NOT_SET}" }\n';
    };
    const warnings: Warning[] = [];
    const project = await loadProject({ files: ['-'], stdin, workingDir: tmpdir(), projectName: 'p', env: {}, onWarning: (w) => warnings.push(w) });
    assert.equal(reads, 1);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.position?.file, '(stdin)');
    assert.equal(project.services.web?.image, 'busybox');
  });

  it('a clean load reports nothing and gives the same project as always', async () => {
    const dir = scratch({ 'compose.yaml': 'x-a: &a\n  image: busybox\nservices:\n  web:\n    <<: *a\n    ports: ["8080:80"]\n' });
    const warnings: Warning[] = [];
    const project = await loadProject({ workingDir: dir, env: {}, onWarning: (w) => warnings.push(w) });
    assert.deepEqual(warnings, []);
    assert.equal(project.services.web?.image, 'busybox');
    assert.equal(project.services.web?.ports?.[0]?.published, '8080');
  });
});
