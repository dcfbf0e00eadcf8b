import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { canonicalize } from '../../../src/spec/canonical.js';
import { contextFor, plain, treeOf } from './yaml-tree.js';

const dependsOn = (yaml: string) =>
  (plain(canonicalize(treeOf(`services:\n  web:\n    depends_on:\n${yaml}`), contextFor()).services) as any).web.depends_on;

describe('canonical: services.*.depends_on', () => {
  it('a list becomes started, required dependencies', () => {
    assert.deepEqual(dependsOn('      - db\n      - cache\n'), {
      db: { condition: 'service_started', required: true },
      cache: { condition: 'service_started', required: true },
    });
  });

  it('the long form gets required: true; restart only where written', () => {
    const out = dependsOn(
      '      db:\n        condition: service_healthy\n      job:\n        required: "false"\n        restart: "true"\n        condition: service_completed_successfully\n',
    );
    assert.deepEqual(out, {
      db: { condition: 'service_healthy', required: true },
      job: { condition: 'service_completed_successfully', restart: true, required: false },
    });
    assert.deepEqual(Object.keys(out.job), ['condition', 'restart', 'required']);
  });

  it('a long entry without condition starts after the dependency started', () => {
    assert.deepEqual(dependsOn('      db: {restart: true}\n'), { db: { condition: 'service_started', restart: true, required: true } });
  });
});
