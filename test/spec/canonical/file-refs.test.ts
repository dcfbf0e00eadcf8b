import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { GantryError } from '../../../src/common/errors.js';
import { canonicalize } from '../../../src/spec/canonical.js';
import { contextFor, plain, treeOf } from './yaml-tree.js';

const docOf = (yaml: string) => plain(canonicalize(treeOf(yaml), contextFor())) as any;

describe('canonical: secrets and configs', () => {
  it('a service reference by name → {source}; long forms stay, text modes are octal', () => {
    const d = docOf('services:\n  web:\n    secrets: [db_pw, {source: api, target: /k, mode: "0440", uid: "1000"}]\n    configs: [conf]\n');
    assert.deepEqual(d.services.web.secrets, [{ source: 'db_pw' }, { source: 'api', target: '/k', mode: 0o440, uid: '1000' }]);
    assert.deepEqual(d.services.web.configs, [{ source: 'conf' }]);
  });

  it('a mode that is not octal is an error', () => {
    assert.throws(
      () => docOf('services:\n  web:\n    configs: [{source: c, mode: "0999"}]\n'),
      (e: GantryError) => e.kind === 'value' && e.path === 'services.web.configs[0].mode' && /octal/.test(e.message),
    );
  });

  it('top-level file paths become absolute', () => {
    const d = docOf('secrets:\n  pw:\n    file: ./pw.txt\n  env:\n    environment: PW\nconfigs:\n  c:\n    file: ~/c.conf\n');
    assert.deepEqual(d.secrets, { pw: { file: '/project/pw.txt' }, env: { environment: 'PW' } });
    assert.deepEqual(d.configs, { c: { file: '/home/me/c.conf' } });
  });
});
