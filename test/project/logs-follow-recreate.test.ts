// logs -f keeps following a service whose container is recreated during the follow.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Label } from '../../src/common/labels.js';
import { connect } from '../../src/engine-client/index.js';
import { down, logs, up, type LogSource } from '../../src/project/index.js';

const spec = (word: string) => `services:\n  talker:\n    image: busybox\n    command: ["sh", "-c", "echo ${word} start; sleep 300"]\n    stop_grace_period: 1s\n`;

describe('logs -f across a recreate', function () {
  this.timeout(90_000);
  const projectName = `gt${randomBytes(4).toString('hex')}`;
  const load = (word: string) => ({ files: ['-'], stdin: spec(word), projectName, env: { PATH: process.env.PATH ?? '' } });

  after(async () => {
    await down(load('x'), { timeout: 0, removeOrphans: true }).catch(() => {});
    const engine = await connect({});
    for (const c of await engine.containers.list({ all: true, filters: { label: [`${Label.project}=${projectName}`] } })) await engine.containers.remove(c.Id, { force: true }).catch(() => {});
  });

  it('follows the new container from its start, and ends when interrupted', async () => {
    await up(load('first'));
    const stop = new AbortController();
    const sources: LogSource[] = [];
    const seen: string[] = [];
    let recreated: Promise<unknown> | undefined;
    for await (const l of logs(load('first'), { follow: true, signal: stop.signal, onSource: (s) => sources.push(s) })) {
      seen.push(`${l.source} ${l.line}`);
      // A changed command recreates the container while the follow is open.
      if (l.line === 'first start') recreated = up(load('second'), { timeout: 1 });
      if (l.line === 'second start') stop.abort();
    }
    await recreated;
    assert.deepEqual(seen, ['talker-1 first start', 'talker-1 second start']);
    assert.equal(sources.length, 2, 'the recreated container was announced as a new source');
    assert.notEqual(sources[0]!.containerId, sources[1]!.containerId);
  });
});
