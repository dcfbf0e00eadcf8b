import assert from 'node:assert/strict';
import { GantryError } from '../../src/common/errors.js';
import { compareApiVersions, MAX_API_VERSION, negotiateApiVersion } from '../../src/engine-client/api-version.js';
import { callLogger, namespaceEnabled } from '../../src/engine-client/debug-log.js';

describe('API version negotiation', () => {
  it('compares versions numerically, not as text', () => {
    assert.ok(compareApiVersions('1.9', '1.41') < 0);
    assert.ok(compareApiVersions('1.45', '1.44') > 0);
    assert.equal(compareApiVersions('1.41', '1.41'), 0);
  });

  it('uses the lower of the engine version and the newest known', () => {
    assert.equal(negotiateApiVersion('1.41', 'x'), '1.41');
    assert.equal(negotiateApiVersion('1.43', 'x'), '1.43');
    assert.equal(negotiateApiVersion('1.51', 'x'), MAX_API_VERSION);
    assert.equal(negotiateApiVersion(undefined, 'x'), '1.41');
  });

  it('refuses an engine older than 1.41, saying what to do', () => {
    assert.throws(
      () => negotiateApiVersion('1.40', 'tcp://old:2375'),
      (e: unknown) => e instanceof GantryError && e.kind === 'engine' && /tcp:\/\/old:2375 speaks Docker API 1\.40/.test(e.message) && /upgrade/.test(e.hint ?? ''),
    );
  });
});

describe('debug logging switch', () => {
  it('matches GANTRY_DEBUG patterns like the debug package', () => {
    assert.equal(namespaceEnabled('engine-client', 'engine-client'), true);
    assert.equal(namespaceEnabled('*', 'engine-client'), true);
    assert.equal(namespaceEnabled('spec, engine-*', 'engine-client'), true);
    assert.equal(namespaceEnabled('spec', 'engine-client'), false);
    assert.equal(namespaceEnabled('*,-engine-client', 'engine-client'), false);
  });

  it('is absent when off, and writes one prefixed line per call when on', () => {
    assert.equal(callLogger(undefined), undefined);
    assert.equal(callLogger('spec'), undefined);
    const lines: string[] = [];
    callLogger('*', (s) => lines.push(s))!('GET /_ping 200 1ms');
    assert.deepEqual(lines, ['engine-client GET /_ping 200 1ms\n']);
  });
});
