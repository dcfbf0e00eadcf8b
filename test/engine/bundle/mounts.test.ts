import assert from 'node:assert/strict';
import { cleanTarget, resolveMounts, tmpfsOptions } from '../../../src/engine/containers/bundle/mounts.js';

const etcFiles = { hosts: '/run/c/hosts', resolvConf: '/run/c/resolv.conf', hostname: '/run/c/hostname' };

describe('bundle: mounts', () => {
  it('spells bind, volume and tmpfs mounts in OCI form', () => {
    const mounts = resolveMounts({
      mounts: [
        { type: 'bind', source: '/host/src', target: '/app/src', readOnly: true, propagation: 'rslave' },
        { type: 'volume', source: '/var/lib/gantry/volumes/data/_data', target: '/data/' },
        { type: 'tmpfs', target: '/scratch', tmpfsSize: 1048576, tmpfsMode: 0o1777 },
      ],
    });
    assert.deepEqual(mounts, [
      { destination: '/data', type: 'bind', source: '/var/lib/gantry/volumes/data/_data', options: ['rbind', 'rprivate'] },
      { destination: '/scratch', type: 'tmpfs', source: 'tmpfs', options: ['noexec', 'nosuid', 'nodev', 'size=1048576', 'mode=1777'] },
      { destination: '/app/src', type: 'bind', source: '/host/src', options: ['rbind', 'rslave', 'ro'] },
    ]);
  });

  it('parses HostConfig.Tmpfs option strings over the hardened defaults', () => {
    assert.deepEqual(tmpfsOptions('rw,size=64m,exec', 'f'), ['nosuid', 'nodev', 'rw', 'size=64m', 'exec']);
    assert.deepEqual(tmpfsOptions('', 'f'), ['noexec', 'nosuid', 'nodev']);
    assert.throws(() => tmpfsOptions('rw,bogus', 'HostConfig.Tmpfs["/run"]'), /HostConfig.Tmpfs\["\/run"\]: invalid tmpfs option "bogus"/);
    const [run] = resolveMounts({ mounts: [], tmpfs: { '/run': 'rw,size=64m' } });
    assert.deepEqual(run, { destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['noexec', 'nosuid', 'nodev', 'rw', 'size=64m'] });
  });

  it('adds the engine files unless the user mounted over them', () => {
    const mounts = resolveMounts({
      mounts: [{ type: 'bind', source: '/mine/hosts', target: '/etc/hosts' }],
      etcFiles,
      readonlyRootfs: true,
    });
    assert.deepEqual(
      mounts.map((m) => [m.destination, m.source, m.options?.includes('ro')]),
      [
        ['/etc/hosts', '/mine/hosts', false],
        ['/etc/resolv.conf', '/run/c/resolv.conf', true],
        ['/etc/hostname', '/run/c/hostname', true],
      ],
    );
  });

  it('mounts parents before children', () => {
    const targets = resolveMounts({
      mounts: [
        { type: 'bind', source: '/a', target: '/srv/app/cache' },
        { type: 'bind', source: '/b', target: '/srv' },
        { type: 'bind', source: '/c', target: '/srv/app' },
      ],
      etcFiles,
    }).map((m) => m.destination);
    assert.ok(targets.indexOf('/srv') < targets.indexOf('/srv/app'));
    assert.ok(targets.indexOf('/srv/app') < targets.indexOf('/srv/app/cache'));
  });

  it('rejects bad targets naming the field', () => {
    assert.equal(cleanTarget('/a//b/../c/', 'x'), '/a/c');
    assert.throws(() => cleanTarget('rel/path', 'HostConfig.Mounts[0].Target'), /HostConfig.Mounts\[0\].Target: invalid mount path: 'rel\/path' mount path must be absolute/);
    assert.throws(
      () => resolveMounts({ mounts: [{ type: 'bind', source: '/x', target: '/.', origin: 'HostConfig.Mounts[0]' }] }),
      /HostConfig.Mounts\[0\].Target: invalid specification: destination can't be '\/'/,
    );
    assert.throws(
      () =>
        resolveMounts({
          mounts: [
            { type: 'bind', source: '/x', target: '/data', origin: 'HostConfig.Mounts[0]' },
            { type: 'volume', source: '/y', target: '/data/', origin: 'HostConfig.Mounts[1]' },
          ],
        }),
      /HostConfig.Mounts\[1\].Target: Duplicate mount point: \/data/,
    );
    assert.throws(
      () => resolveMounts({ mounts: [{ type: 'tmpfs', target: '/run' }], tmpfs: { '/run/': '' } }),
      /HostConfig.Tmpfs\["\/run\/"\]: Duplicate mount point: \/run/,
    );
    assert.throws(() => resolveMounts({ mounts: [{ type: 'bind', source: 'relative', target: '/x' }] }), /Mounts\[0\].Source/);
  });
});
