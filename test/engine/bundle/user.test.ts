import assert from 'node:assert/strict';
import { BundleError } from '../../../src/engine/containers/bundle/bundle-error.js';
import { resolveUser } from '../../../src/engine/containers/bundle/user.js';

const passwd = [
  'root:x:0:0:root:/root:/bin/sh',
  '# a comment',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'app:x:1000:1000:App:/home/app:/bin/sh',
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
].join('\n');
const group = [
  'root:x:0:',
  'daemon:x:1:',
  'wheel:x:10:root,app',
  'audio:x:29:app',
  'app:x:1000:',
  'nogroup:x:65534:',
].join('\n');

describe('bundle: resolveUser', () => {
  it('defaults to root with its home and groups', () => {
    assert.deepEqual(resolveUser('', passwd, group), { uid: 0, gid: 0, additionalGids: [10], home: '/root' });
  });

  it('resolves a name to its ids, home and group memberships', () => {
    assert.deepEqual(resolveUser('app', passwd, group), { uid: 1000, gid: 1000, additionalGids: [10, 29], home: '/home/app' });
    assert.deepEqual(resolveUser('nobody', passwd, group), { uid: 65534, gid: 65534, additionalGids: [], home: '/nonexistent' });
  });

  it('takes a numeric uid with or without a passwd entry', () => {
    assert.deepEqual(resolveUser('1000', passwd, group), { uid: 1000, gid: 1000, additionalGids: [10, 29], home: '/home/app' });
    assert.deepEqual(resolveUser('4242', passwd, group), { uid: 4242, gid: 0, additionalGids: [], home: '/' });
    assert.deepEqual(resolveUser('4242:4343', undefined, undefined), { uid: 4242, gid: 4343, additionalGids: [], home: '/' });
  });

  it('uses an explicit group and then drops the membership groups', () => {
    assert.deepEqual(resolveUser('app:audio', passwd, group), { uid: 1000, gid: 29, additionalGids: [], home: '/home/app' });
    assert.deepEqual(resolveUser('app:5000', passwd, group), { uid: 1000, gid: 5000, additionalGids: [], home: '/home/app' });
    assert.deepEqual(resolveUser(':10', passwd, group), { uid: 0, gid: 10, additionalGids: [], home: '/root' });
  });

  it('adds GroupAdd by name or number', () => {
    assert.deepEqual(resolveUser('nobody', passwd, group, ['audio', '777', 'audio']).additionalGids, [29, 777]);
  });

  it('names the unknown user or group like runc does', () => {
    assert.throws(() => resolveUser('xyz', passwd, group), (e: unknown) => {
      assert.ok(e instanceof BundleError);
      assert.equal(e.message, 'unable to find user xyz: no matching entries in passwd file');
      return true;
    });
    assert.throws(() => resolveUser('app', undefined, group), /unable to find user app: no matching entries in passwd file/);
    assert.throws(() => resolveUser('app:staff', passwd, group), /unable to find group staff: no matching entries in group file/);
    assert.throws(() => resolveUser('app', passwd, group, ['staff']), /Unable to find group staff/);
    assert.throws(() => resolveUser('99999999999', passwd, group), /uids and gids must be in range/);
  });
});
