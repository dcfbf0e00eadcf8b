import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { detectRuntime, isHybridCgroup } from '../../../src/engine/containers/runtime/detect-runtime.js';

const HYBRID = [
  '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
  '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
].join('\n');
const UNIFIED = '30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate';
const LEGACY = '32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu';

describe('runtime: detectRuntime', () => {
  it('tells hybrid cgroup hosts from unified and legacy ones', () => {
    assert.equal(isHybridCgroup(HYBRID), true);
    assert.equal(isHybridCgroup(UNIFIED), false);
    assert.equal(isHybridCgroup(LEGACY), false);
    assert.equal(isHybridCgroup(''), false);
  });

  it('finds runc on this machine, with its version, and says why crun was not chosen', async () => {
    const info = await detectRuntime();
    assert.equal(info.name, 'runc', 'this host is hybrid (or lacks crun), so runc is the one');
    assert.match(info.path, /\/runc$/);
    assert.match(info.version, /^\d+\.\d+/);
    assert.ok(info.reason, 'the reason crun was passed over is reported');
    const hybridHere = isHybridCgroup(readFileSync('/proc/self/mountinfo', 'utf8'));
    if (hybridHere) assert.match(info.reason!, /hybrid|not installed/);
  });

  it('skips crun on a hybrid host with a reason, whether or not crun is installed', async () => {
    const info = await detectRuntime(undefined, HYBRID);
    assert.equal(info.name, 'runc');
    assert.match(info.reason!, /crun (skipped: cgroups in hybrid mode|is not installed)/);
  });

  it('honours an explicit runc, by name or by path', async () => {
    const byName = await detectRuntime('runc');
    assert.equal(byName.name, 'runc');
    const byPath = await detectRuntime(byName.path);
    assert.deepEqual(byPath, byName);
  });

  it('names what it looked for and how to install it when the runtime is unknown or missing', async () => {
    await assert.rejects(detectRuntime('kata'), /unknown OCI runtime "kata".*apt-get install runc/);
    await assert.rejects(detectRuntime('/nonexistent/runc'), /runc not found \(looked in \/nonexistent\/runc\).*apt-get install runc/);
    await assert.rejects(detectRuntime('crun', HYBRID), /crun (skipped: cgroups in hybrid mode|not found).*apt-get install/);
  });
});
