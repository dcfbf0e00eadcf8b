import assert from 'node:assert/strict';
import { ALL_CAPABILITIES, capabilitySets, normalizeCapability, resolveCapabilities } from '../../../src/engine/containers/bundle/capabilities.js';
import { DEFAULT_CAPABILITIES } from '../../../src/engine/containers/bundle/defaults.js';

describe('bundle: capabilities', () => {
  it('normalizes names with or without CAP_, in any case', () => {
    assert.equal(normalizeCapability('net_admin'), 'CAP_NET_ADMIN');
    assert.equal(normalizeCapability('CAP_sys_admin'), 'CAP_SYS_ADMIN');
    assert.equal(normalizeCapability('all'), 'ALL');
    assert.throws(() => normalizeCapability('FLY'), /unknown capability: "CAP_FLY"/);
  });

  it("gives docker's fourteen by default", () => {
    assert.equal(DEFAULT_CAPABILITIES.length, 14);
    assert.deepEqual(resolveCapabilities({}), DEFAULT_CAPABILITIES);
  });

  it('drops then adds', () => {
    const caps = resolveCapabilities({ capDrop: ['chown', 'CAP_KILL'], capAdd: ['NET_ADMIN', 'cap_net_raw'] });
    assert.ok(!caps.includes('CAP_CHOWN') && !caps.includes('CAP_KILL'));
    assert.ok(caps.includes('CAP_NET_ADMIN'));
    assert.equal(caps.filter((c) => c === 'CAP_NET_RAW').length, 1);
  });

  it('understands ALL on either side', () => {
    assert.deepEqual(resolveCapabilities({ capDrop: ['ALL'], capAdd: ['net_admin'] }), ['CAP_NET_ADMIN']);
    assert.deepEqual(resolveCapabilities({ capDrop: ['all'] }), []);
    const most = resolveCapabilities({ capAdd: ['ALL'], capDrop: ['SYS_ADMIN'] });
    assert.equal(most.length, ALL_CAPABILITIES.length - 1);
    assert.ok(!most.includes('CAP_SYS_ADMIN'));
  });

  it('gives a privileged container everything', () => {
    assert.deepEqual(resolveCapabilities({ privileged: true, capDrop: ['ALL'] }), ALL_CAPABILITIES);
  });

  it('bounds "all" by what the engine itself holds', () => {
    const available = ['CAP_CHOWN', 'CAP_KILL', 'CAP_SYS_ADMIN'];
    assert.deepEqual(resolveCapabilities({ privileged: true, available }), available);
    assert.deepEqual(resolveCapabilities({ capAdd: ['ALL'], capDrop: ['kill'], available }), ['CAP_CHOWN', 'CAP_SYS_ADMIN']);
  });

  it('leaves a non-root user only the bounding set', () => {
    assert.deepEqual(capabilitySets(['CAP_KILL'], 0), { bounding: ['CAP_KILL'], effective: ['CAP_KILL'], permitted: ['CAP_KILL'] });
    assert.deepEqual(capabilitySets(['CAP_KILL'], 1000), { bounding: ['CAP_KILL'] });
  });
});
