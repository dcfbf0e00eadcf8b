import assert from 'node:assert/strict';
import { Label } from '../../src/common/labels.js';
import { buildGraph } from '../../src/graph/index.js';
import { containerLabels, formatPlan, isNoop, planDown, planUp, type ObservedContainer, type ObservedState } from '../../src/plan/index.js';
import type { Project, ServiceConfig } from '../../src/spec/types.js';

function svc(name: string, extra: Partial<ServiceConfig> = {}): ServiceConfig {
  return { name, image: 'busybox', environment: {}, networks: { default: null }, ...extra } as ServiceConfig;
}

function project(services: ServiceConfig[], extra: Partial<Project> = {}): Project {
  return {
    name: 'demo',
    workingDir: '/src',
    configFiles: ['/src/compose.yaml'],
    environment: {},
    services: Object.fromEntries(services.map((s) => [s.name, s])),
    networks: { default: { name: 'demo_default' } },
    volumes: {},
    secrets: {},
    configs: {},
    disabledServices: {},
    profiles: [],
    extensions: {},
    ...extra,
  };
}

function running(p: Project, service: string, n: number, state = 'running', labels = containerLabels(p, p.services[service]!, n)): ObservedContainer {
  return { id: `${service}${n}`, name: `demo-${service}-${n}`, labels, state };
}

const empty: ObservedState = { containers: [], networks: [], volumes: [] };
const db = svc('db');
const web = svc('web', { depends_on: { db: { condition: 'service_healthy', required: true, restart: true } } });

describe('planUp', () => {
  it('a fresh project creates its network, then containers in dependency order', () => {
    const p = project([web, db]);
    const plan = planUp(p, empty, buildGraph(p));
    assert.equal(formatPlan(plan), 'network demo_default  create\ncontainer demo-db-1   create\ncontainer demo-web-1  create\n');
  });

  it('nothing to do when the hashes match and containers run', () => {
    const p = project([web, db]);
    const observed: ObservedState = { containers: [running(p, 'db', 1), running(p, 'web', 1)], networks: [{ name: 'demo_default', labels: {} }], volumes: [] };
    const plan = planUp(p, observed, buildGraph(p));
    assert.ok(isNoop(plan));
    assert.match(formatPlan(plan), /container demo-db-1 +keep \(up to date\)/);
  });

  it('recreates a changed service, says which field changed, and its restart:true dependents', () => {
    const old = project([web, db]);
    const p = project([web, svc('db', { image: 'busybox:2', environment: { A: '1' } })]);
    const observed: ObservedState = { containers: [running(old, 'db', 1), running(old, 'web', 1)], networks: [{ name: 'demo_default', labels: {} }], volumes: [] };
    const plan = planUp(p, observed, buildGraph(p));
    assert.deepEqual(plan.services.db!.map((a) => [a.kind, a.reason]), [['recreate-container', 'environment, image changed']]);
    assert.deepEqual(plan.services.web!.map((a) => [a.kind, a.reason]), [['recreate-container', 'dependency "db" was recreated (restart: true)']]);
    const kept = planUp(p, observed, buildGraph(p), { noRecreate: true });
    assert.equal(kept.services.db![0]!.kind, 'keep-container');
  });

  it('scales down from the highest number and up into free numbers', () => {
    const p = project([svc('w')]);
    const three: ObservedState = { containers: [1, 2, 3].map((n) => running(p, 'w', n)), networks: [{ name: 'demo_default', labels: {} }], volumes: [] };
    const down = planUp(p, three, buildGraph(p), { scale: { w: 1 } });
    assert.deepEqual(down.services.w!.map((a) => `${a.kind} ${a.name}`), ['remove-container demo-w-3', 'remove-container demo-w-2', 'keep-container demo-w-1']);
    const gap: ObservedState = { ...three, containers: [running(p, 'w', 2)] };
    const up = planUp(p, gap, buildGraph(p), { scale: { w: 3 } });
    assert.deepEqual(up.services.w!.map((a) => `${a.kind} ${a.name}`), ['keep-container demo-w-2', 'create-container demo-w-1', 'create-container demo-w-3']);
  });

  it('starts stopped containers, and --force-recreate recreates everything', () => {
    const p = project([db]);
    const observed: ObservedState = { containers: [running(p, 'db', 1, 'exited')], networks: [{ name: 'demo_default', labels: {} }], volumes: [] };
    assert.equal(planUp(p, observed, buildGraph(p)).services.db![0]!.kind, 'start-container');
    assert.equal(planUp(p, observed, buildGraph(p), { forceRecreate: true }).services.db![0]!.kind, 'recreate-container');
    assert.throws(() => planUp(p, observed, buildGraph(p), { forceRecreate: true, noRecreate: true }), /cannot be used together/);
  });

  it('named services bring their dependencies unless --no-deps', () => {
    const p = project([web, db, svc('other')]);
    assert.deepEqual(Object.keys(planUp(p, empty, buildGraph(p), { services: ['web'] }).services), ['db', 'web']);
    assert.deepEqual(Object.keys(planUp(p, empty, buildGraph(p), { services: ['web'], noDeps: true }).services), ['web']);
  });

  it('orphans are removed only with --remove-orphans', () => {
    const p = project([db]);
    const ghost = { id: 'g', name: 'demo-gone-1', labels: { [Label.project]: 'demo', [Label.service]: 'gone', [Label.containerNumber]: '1', [Label.oneoff]: 'False' }, state: 'running' };
    const observed: ObservedState = { containers: [ghost], networks: [{ name: 'demo_default', labels: {} }], volumes: [] };
    assert.match(planUp(p, observed, buildGraph(p)).warnings[0]!, /orphan container demo-gone-1/);
    assert.equal(planUp(p, observed, buildGraph(p), { removeOrphans: true }).orphans[0]!.name, 'demo-gone-1');
  });

  it('a missing external network is an error with the command to create it', () => {
    const p = project([db], { networks: { default: { name: 'shared', external: true } } });
    assert.throws(() => planUp(p, empty, buildGraph(p)), (e: Error) => /network shared declared as external/.test(e.message));
  });
});

describe('planDown', () => {
  it('removes containers, then networks, and volumes only with -v (never external ones)', () => {
    const p = project([db], { volumes: { data: { name: 'demo_data' }, ext: { name: 'ext', external: true } } });
    const observed: ObservedState = { containers: [running(p, 'db', 1)], networks: [{ name: 'demo_default', labels: {} }], volumes: [{ name: 'demo_data', labels: {} }, { name: 'ext', labels: {} }] };
    assert.equal(formatPlan(planDown(p, observed)), 'container demo-db-1   remove (down)\nnetwork demo_default  remove (down)\n');
    assert.deepEqual(planDown(p, observed, { volumes: true }).cleanup.map((a) => a.name), ['demo_default', 'demo_data']);
  });
});
