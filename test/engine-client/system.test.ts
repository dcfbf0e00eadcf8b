import assert from 'node:assert/strict';
import type { EngineClient, EngineEvent } from '../../src/engine-client/index.js';
import { collect, newTestRun, TEST_IMAGE, testClient } from './test-engine.js';

describe('system events (real engine)', function () {
  this.timeout(30_000);
  const run = newTestRun();
  let client: EngineClient;

  before(async () => {
    client = await testClient();
  });
  after(async () => {
    await run.sweep(client);
  });

  it('follows events, filtered by label, sees a container start, and ends quietly when aborted', async () => {
    const since = new Date(Date.now() - 1000);
    const name = run.name('evented');
    const { Id } = await client.containers.create({ Image: TEST_IMAGE, Cmd: ['sleep', '1000'], Labels: run.labels }, { name });
    const ac = new AbortController();
    const seen: EngineEvent[] = [];
    const following = (async () => {
      for await (const e of client.system.events({ since, filters: { type: ['container'], label: [run.filter] }, signal: ac.signal })) {
        seen.push(e);
        if (e.Action === 'start' && e.Actor.ID === Id) ac.abort();
      }
    })();
    await client.containers.start(name);
    await following;
    assert.deepEqual(seen.map((e) => e.Action), ['create', 'start']);
    assert.equal(seen[1]!.Type, 'container');
    assert.equal(seen[1]!.Actor.Attributes.name, name);
    assert.equal(seen[1]!.Actor.Attributes['dev.gantry.test-run'], run.id);
  });

  it('ends by itself at `until`', async () => {
    const since = new Date(Date.now() - 1000);
    const name = run.name('short');
    await client.containers.create({ Image: TEST_IMAGE, Cmd: ['true'], Labels: run.labels }, { name });
    const events = await collect(client.system.events({ since, until: new Date(Date.now() + 300), filters: { label: [run.filter], event: ['create'] } }));
    assert.ok(events.some((e) => e.Actor.Attributes.name === name));
    assert.ok(events.every((e) => e.Action === 'create'));
  });

  it('ends at once when the signal is already aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    assert.deepEqual(await collect(client.system.events({ signal: ac.signal })), []);
  });
});
