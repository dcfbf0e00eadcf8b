import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { GantryError } from '../../../src/common/errors.js';
import { canonicalize } from '../../../src/spec/canonical.js';
import { contextFor, plain, treeOf } from './yaml-tree.js';

const hostsOf = (yaml: string) =>
  (plain(canonicalize(treeOf(`services:\n  web:\n    extra_hosts:${yaml}`), contextFor()).services) as any).web.extra_hosts;

describe('canonical: services.*.extra_hosts', () => {
  it('host=ip and legacy host:ip become host=ip', () => {
    assert.deepEqual(hostsOf(' ["somehost=162.242.195.82", "otherhost:50.31.209.229", "v6host:::1"]\n'), [
      'somehost=162.242.195.82',
      'otherhost=50.31.209.229',
      'v6host=::1',
    ]);
  });

  it('a mapping, with one or several addresses, and bracketed IPv6', () => {
    assert.deepEqual(hostsOf('\n      db: 10.0.0.2\n      multi: ["10.0.0.3", "[::1]"]\n'), ['db=10.0.0.2', 'multi=10.0.0.3', 'multi=::1']);
  });

  it('comma-separated addresses become several entries', () => {
    assert.deepEqual(hostsOf(' ["h=10.0.0.1,10.0.0.2"]\n'), ['h=10.0.0.1', 'h=10.0.0.2']);
  });

  it('an entry without an address is an error', () => {
    assert.throws(
      () => hostsOf(' [lonely]\n'),
      (e: GantryError) => e.kind === 'value' && e.path === 'services.web.extra_hosts[0]' && /HOST=IP/.test(e.hint ?? ''),
    );
  });
});
