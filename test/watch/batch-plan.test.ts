// One action per batch, and what a sync copies and deletes, from real files.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { everything, PathFilter, planBatch, syncSet, watchRules, type RuleWithFilter } from '../../src/watch/index.js';

const withFilters = (service: string, entries: Record<string, unknown>[]): RuleWithFilter[] => watchRules(service, entries).map((rule) => ({ rule, filter: new PathFilter(rule) }));

describe('watch batch plan', () => {
  const rules = withFilters('web', [
    { path: '/p/src', action: 'sync', target: '/app/src', ignore: ['*.tmp'] },
    { path: '/p/conf', action: 'sync+restart', target: '/etc/app' },
    { path: '/p/hooks', action: 'sync+exec', target: '/hooks', exec: { command: ['sh', '-c', 'true'] } },
    { path: '/p/package.json', action: 'rebuild' },
  ]);

  it('syncs what its sync rules cover, ignoring what they ignore', () => {
    const plan = planBatch(rules, [{ path: '/p/src/a.js', kind: 'change' }, { path: '/p/src/x.tmp', kind: 'add' }, { path: '/p/other', kind: 'add' }]);
    assert.equal(plan.rebuild, false);
    assert.equal(plan.restart, false);
    assert.equal(plan.changed, 1);
    assert.deepEqual(plan.syncs.map((s) => [s.rule.target, s.changes.map((c) => c.path)]), [['/app/src', ['/p/src/a.js']]]);
  });

  it('sync+restart restarts once; sync+exec runs its command', () => {
    const plan = planBatch(rules, [{ path: '/p/conf/a', kind: 'change' }, { path: '/p/conf/b', kind: 'change' }, { path: '/p/hooks/h', kind: 'add' }]);
    assert.equal(plan.restart, true);
    assert.equal(plan.syncs.length, 2);
    assert.deepEqual(plan.execs.map((r) => r.exec!.command), [['sh', '-c', 'true']]);
    assert.equal(plan.changed, 3);
  });

  it('a rebuild wins over everything else in the batch', () => {
    const plan = planBatch(rules, [{ path: '/p/src/a.js', kind: 'change' }, { path: '/p/package.json', kind: 'change' }]);
    assert.deepEqual({ ...plan }, { rebuild: true, syncs: [], restart: false, execs: [], changed: 2 });
  });

  it('nothing covered or all ignored is no action', () => {
    const plan = planBatch(rules, [{ path: '/p/src/.a.js.swp', kind: 'add' }, { path: '/elsewhere', kind: 'add' }]);
    assert.equal(plan.changed, 0);
    assert.equal(plan.syncs.length, 0);
  });

  it('refuses rules it cannot carry out, saying where', () => {
    assert.throws(() => watchRules('web', [{ path: '/p', action: 'sync' }]), (e: Error & { path?: string }) => /needs an absolute target/.test(e.message) && e.path === 'services.web.develop.watch[0].target');
    assert.throws(() => watchRules('web', [{ path: '/p', action: 'teleport' }]), /unknown watch action "teleport"/);
    assert.throws(() => watchRules('web', [{ path: '/p', action: 'sync+exec', target: '/a' }]), /sync\+exec needs exec.command/);
    assert.equal(watchRules('web', [{ path: '/p', action: 'sync', target: '/a', initial_sync: true }])[0]!.initialSync, true);
  });

  describe('on real files', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'gantry-syncset-'));
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'a.txt'), 'a');
      writeFileSync(join(dir, 'sub/b.txt'), 'b');
      writeFileSync(join(dir, 'skip.tmp'), 'x');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('copies what exists now and deletes what is gone, at paths under the target', async () => {
      const [rule] = watchRules('web', [{ path: dir, action: 'sync', target: '/app' }]);
      const set = await syncSet(rule!, [
        { path: join(dir, 'a.txt'), kind: 'change' },
        { path: join(dir, 'sub'), kind: 'addDir' },
        { path: join(dir, 'gone'), kind: 'unlinkDir' },
        { path: join(dir, 'gone/x.txt'), kind: 'unlink' },
      ]);
      assert.deepEqual(set.copy, [
        { host: join(dir, 'a.txt'), container: '/app/a.txt', isDir: false },
        { host: join(dir, 'sub'), container: '/app/sub', isDir: true },
      ]);
      assert.deepEqual(set.remove, ['/app/gone'], 'a deleted directory is one removal');
    });

    it('initial sync lists everything the filter accepts', async () => {
      const [rule] = watchRules('web', [{ path: dir, action: 'sync', target: '/app', ignore: ['*.tmp'] }]);
      const all = await everything(new PathFilter(rule!));
      assert.deepEqual(all.map((c) => [c.path.slice(dir.length), c.kind]), [['', 'addDir'], ['/a.txt', 'add'], ['/sub', 'addDir'], ['/sub/b.txt', 'add']]);
    });
  });
});
