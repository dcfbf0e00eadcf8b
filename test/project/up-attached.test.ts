// Attached up, --abort-on-container-exit / --exit-code-from and --wait on a real engine.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Label } from '../../src/common/labels.js';
import { connect, type EngineClient } from '../../src/engine-client/index.js';
import { down, up, upAttached, type ContainerExitEvent, type ServiceLogLine } from '../../src/project/index.js';

const TWO = `services:
  one:
    image: busybox
    command: ["sh", "-c", "echo one first; sleep 1; echo one last"]
  two:
    image: busybox
    command: ["sh", "-c", "echo two only"]
`;

const JOB = `services:
  server:
    image: busybox
    command: ["sleep", "300"]
    stop_grace_period: 1s
  job:
    image: busybox
    command: ["sh", "-c", "echo working; sleep 1; exit 7"]
`;

const HEALTH = `services:
  ok:
    image: busybox
    command: ["sh", "-c", "sleep 1; touch /tmp/ready; sleep 300"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 1s
      retries: 30
  once:
    image: busybox
    command: ["true"]
`;

const FAILING = `services:
  broken:
    image: busybox
    command: ["sleep", "300"]
    healthcheck:
      test: ["CMD", "false"]
      interval: 1s
      retries: 2
`;

describe('attached up on an engine', function () {
  this.timeout(120_000);
  let engine: EngineClient;
  const names: string[] = [];
  const load = (stdin: string) => {
    const projectName = `gt${randomBytes(4).toString('hex')}`;
    names.push(projectName);
    return { files: ['-'], stdin, projectName, env: { PATH: process.env.PATH ?? '' } };
  };

  before(async () => {
    engine = await connect({});
  });

  after(async () => {
    for (const projectName of names) await down({ files: ['-'], stdin: 'services: {}\n', projectName }, { removeOrphans: true, timeout: 0 }).catch(() => {});
    for (const projectName of names) {
      const left = await engine.containers.list({ all: true, filters: { label: [`${Label.project}=${projectName}`] } });
      for (const c of left) await engine.containers.remove(c.Id, { force: true }).catch(() => {});
      // A model with no services declares no network: sweep the project's by label.
      for (const n of await engine.networks.list({ filters: { label: [`${Label.project}=${projectName}`] } })) await engine.networks.remove(n.Id).catch(() => {});
    }
  });

  it('streams every attached service from its first line and returns once all have exited', async () => {
    const lines: ServiceLogLine[] = [];
    const exits: ContainerExitEvent[] = [];
    const result = await upAttached(load(TWO), { onLine: (l) => void lines.push(l), onExit: (e) => exits.push(e) });
    assert.equal(result.exitCode, 0);
    assert.equal(result.interrupted, false);
    assert.deepEqual(result.attached.sort(), ['one', 'two']);
    assert.deepEqual(lines.filter((l) => l.source === 'one-1').map((l) => l.line), ['one first', 'one last']);
    assert.deepEqual(lines.filter((l) => l.source === 'two-1').map((l) => l.line), ['two only']);
    assert.deepEqual(exits.map((e) => [e.service, e.exitCode]).sort(), [['one', 0], ['two', 0]]);
  });

  it('--no-attach leaves a service out of the stream, --attach picks one', async () => {
    const lines: ServiceLogLine[] = [];
    const spec = load(TWO);
    const r = await upAttached(spec, { noAttach: ['one'], onLine: (l) => void lines.push(l) });
    assert.deepEqual(r.attached, ['two']);
    assert.deepEqual([...new Set(lines.map((l) => l.service))], ['two']);
    const again = await upAttached(spec, { attach: ['one'], dryRun: true });
    assert.deepEqual(again.attached, ['one']);
  });

  it('--exit-code-from stops the group when the job exits and answers with its code', async () => {
    const spec = load(JOB);
    const started = Date.now();
    const result = await upAttached(spec, { exitCodeFrom: 'job', timeout: 1, onLine: () => {} });
    assert.equal(result.exitCode, 7);
    assert.ok(Date.now() - started < 60_000);
    const server = (await engine.containers.list({ all: true, filters: { label: [`${Label.project}=${spec.projectName}`, `${Label.service}=server`] } }))[0]!;
    assert.equal(server.State, 'exited', 'the server was stopped with the group');
  });

  it('--abort-on-container-failure ignores a clean exit and stops on a failing one', async () => {
    const spec = load(`services:\n  clean:\n    image: busybox\n    command: ["true"]\n  bad:\n    image: busybox\n    command: ["sh", "-c", "sleep 2; exit 4"]\n  long:\n    image: busybox\n    command: ["sleep", "300"]\n`);
    const stops: string[] = [];
    const result = await upAttached(spec, { abortOnContainerFailure: true, timeout: 0, onLine: () => {}, onStopping: (r) => stops.push(r.kind === 'exit' ? r.exit.service : r.kind) });
    assert.deepEqual(stops, ['bad']);
    assert.equal(result.exitCode, 4);
  });

  it('a stop signal stops the group gracefully and answers 130', async () => {
    const spec = load(`services:\n  long:\n    image: busybox\n    command: ["sleep", "300"]\n`);
    const stop = new AbortController();
    const lines: string[] = [];
    const run = upAttached(spec, { timeout: 0, stopSignal: stop.signal, onSource: () => setTimeout(() => stop.abort(), 300), onLine: (l) => void lines.push(l.line) });
    const result = await run;
    assert.equal(result.exitCode, 130);
    assert.equal(result.interrupted, true);
    const c = (await engine.containers.list({ all: true, filters: { label: [`${Label.project}=${spec.projectName}`] } }))[0]!;
    assert.equal(c.State, 'exited');
  });

  it('--wait returns once the healthcheck passes and the one-shot job has completed', async () => {
    const spec = load(HEALTH);
    await up(spec, { wait: true, waitTimeout: 60 });
    const ok = await engine.containers.inspect(`${spec.projectName}-ok-1`);
    assert.equal(ok!.State.Health?.Status, 'healthy');
    const once = await engine.containers.inspect(`${spec.projectName}-once-1`);
    assert.equal(once!.State.ExitCode, 0);
  });

  it('--wait fails naming the container that turned unhealthy', async () => {
    const spec = load(FAILING);
    await assert.rejects(up(spec, { wait: true, waitTimeout: 60 }), (e: Error) => new RegExp(`${spec.projectName}-broken-1 is unhealthy`).test(e.message));
  });

  it('--wait-timeout fails naming what was not ready', async () => {
    const spec = load(FAILING.replace('retries: 2', 'retries: 100'));
    await assert.rejects(up(spec, { wait: true, waitTimeout: 1 }), (e: Error) => /timed out after 1s waiting for .*broken-1/.test(e.message));
  });

  it('--pull never refuses an image the engine does not have; --no-build refuses a build-only service', async () => {
    await assert.rejects(up(load(`services:\n  x:\n    image: gantry-test/not-here:${randomBytes(3).toString('hex')}\n`), { pull: 'never' }), /not on the engine and pulling is off/);
    await assert.rejects(up(load(`services:\n  x:\n    build: .\n`), { build: false }), /--no-build forbids building/);
  });
});
