import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { GantryError } from '../../../src/common/errors.js';
import { canonicalize } from '../../../src/spec/canonical.js';
import { contextFor, plain, treeOf } from './yaml-tree.js';

const devicesOf = (yaml: string) =>
  (plain(canonicalize(treeOf(`services:\n  web:\n    devices:${yaml}`), contextFor()).services) as any).web.devices;

describe('canonical: services.*.devices', () => {
  it('short forms → {source, target, permissions}', () => {
    assert.deepEqual(devicesOf(' ["/dev/ttyUSB0", "/dev/sda:/dev/xvda", "/dev/snd:/dev/snd:r"]\n'), [
      { source: '/dev/ttyUSB0', target: '/dev/ttyUSB0', permissions: 'rwm' },
      { source: '/dev/sda', target: '/dev/xvda', permissions: 'rwm' },
      { source: '/dev/snd', target: '/dev/snd', permissions: 'r' },
    ]);
  });

  it('the long form stays', () => {
    assert.deepEqual(devicesOf(' [{source: /dev/a, target: /dev/b}]\n'), [{ source: '/dev/a', target: '/dev/b' }]);
  });

  it('too many colons is an error', () => {
    assert.throws(() => devicesOf(' ["/a:/b:rw:x"]\n'), (e: GantryError) => e.kind === 'value' && e.path === 'services.web.devices[0]');
  });
});
