import assert from 'node:assert/strict';
import { checkPermissions, deviceRules, hostDevices, resolveDevices } from '../../../src/engine/containers/bundle/devices.js';

describe('bundle: devices', () => {
  it('looks up a host node and places it where the request says', async () => {
    const [fuse] = await resolveDevices({ Devices: [{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/myfuse', CgroupPermissions: 'rw' }] });
    assert.deepEqual(fuse, {
      device: { type: 'c', path: '/dev/myfuse', major: 10, minor: 229, fileMode: fuse!.device.fileMode, uid: 0, gid: 0 },
      access: 'rw',
    });
    assert.deepEqual(deviceRules([fuse!]), [{ allow: true, type: 'c', major: 10, minor: 229, access: 'rw' }]);
  });

  it('defaults the container path and the permissions', async () => {
    const [tun] = await resolveDevices({ Devices: [{ PathOnHost: '/dev/net/tun', PathInContainer: '', CgroupPermissions: '' }] });
    assert.equal(tun!.device.path, '/dev/net/tun');
    assert.equal(tun!.access, 'rwm');
  });

  it("lists the host's device nodes for privileged containers", async () => {
    const paths = (await hostDevices()).map((d) => d.path);
    for (const expected of ['/dev/null', '/dev/fuse', '/dev/net/tun']) assert.ok(paths.includes(expected), expected);
    assert.ok(!paths.includes('/dev/console'));
    assert.ok(!paths.some((p) => p.startsWith('/dev/pts/') || p.startsWith('/dev/shm/')));
  });

  it('names the bad entry', async () => {
    await assert.rejects(
      resolveDevices({ Devices: [{ PathOnHost: '/dev/null', PathInContainer: '/dev/null', CgroupPermissions: 'rw' }, { PathOnHost: '/etc/hostname', PathInContainer: '/dev/x', CgroupPermissions: 'r' }] }),
      /HostConfig.Devices\[1\]: .*"\/etc\/hostname": not a device node/,
    );
    await assert.rejects(resolveDevices({ Devices: [{ PathOnHost: '/dev/nope', PathInContainer: '/dev/nope', CgroupPermissions: 'r' }] }), /ENOENT/);
    assert.throws(() => checkPermissions('rx', 'HostConfig.Devices[0].CgroupPermissions'), /HostConfig.Devices\[0\].CgroupPermissions: invalid device cgroup permissions 'rx'/);
  });
});
