// The text the read-and-inspect commands print: ports, ages, sizes, tables,
// log prefixes, and the batching writer.

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { psJson } from '../../src/cli/commands/ps.js';
import { topTable } from '../../src/cli/commands/top.js';
import { eventLine } from '../../src/cli/commands/events.js';
import { ago, humanDuration, humanSize } from '../../src/cli/render/human.js';
import { LineWriter } from '../../src/cli/render/line-writer.js';
import { LogPrefixes } from '../../src/cli/render/log-prefix.js';
import { displayPorts } from '../../src/cli/render/ports.js';
import { table } from '../../src/cli/render/table.js';

describe('rendering', () => {
  it('ports as docker ps shows them, consecutive ones folded', () => {
    const p = (URL: string, TargetPort: number, PublishedPort: number, Protocol = 'tcp') => ({ URL, TargetPort, PublishedPort, Protocol });
    assert.equal(displayPorts([p('127.0.0.1', 80, 8080)]), '127.0.0.1:8080->80/tcp');
    assert.equal(displayPorts([p('', 81, 0), p('0.0.0.0', 80, 80)]), '0.0.0.0:80->80/tcp, 81/tcp');
    assert.equal(displayPorts([p('0.0.0.0', 8001, 8001), p('0.0.0.0', 8000, 8000), p('0.0.0.0', 8002, 8002)]), '0.0.0.0:8000-8002->8000-8002/tcp');
    assert.equal(displayPorts([p('::', 80, 9000), p('0.0.0.0', 80, 9000), p('', 53, 0, 'udp')]), '53/udp, 0.0.0.0:9000->80/tcp, [::]:9000->80/tcp');
    assert.equal(displayPorts([]), '');
  });

  it('durations and sizes in docker\'s words', () => {
    assert.equal(humanDuration(500), 'Less than a second');
    assert.equal(humanDuration(1000), '1 second');
    assert.equal(humanDuration(45_000), '45 seconds');
    assert.equal(humanDuration(90_000), 'About a minute');
    assert.equal(humanDuration(30 * 60_000), '30 minutes');
    assert.equal(humanDuration(70 * 60_000), 'About an hour');
    assert.equal(humanDuration(5 * 3_600_000), '5 hours');
    assert.equal(humanDuration(3 * 86_400_000), '3 days');
    assert.equal(humanDuration(20 * 86_400_000), '2 weeks');
    assert.equal(ago(1000, 1000 * 1000 + 4000), '4 seconds ago');
    assert.equal(humanSize(512), '512B');
    assert.equal(humanSize(1_980_000), '1.98MB');
    assert.equal(humanSize(4_261_234_000), '4.26GB');
    assert.equal(humanSize(123_456_789), '123MB');
    assert.equal(humanSize(1000), '1kB');
  });

  it('tables pad every column but the last', () => {
    assert.equal(table(['A', 'LONGER'], [['xx', 'y'], ['z', '']], { padding: 3 }), 'A    LONGER\nxx   y\nz\n');
    assert.equal(table(['A', 'B'], [['x', 'y']], { padding: 2, minWidth: 4 }), 'A   B\nx   y\n');
  });

  it('top: SERVICE and # first, CMD last, - where a container lacks a column', () => {
    const text = topTable([
      { id: '1', name: 'p-a-1', service: 'a', replica: '1', titles: ['UID', 'PID', 'CMD'], processes: [['root', '10', 'sleep 1']] },
      { id: '2', name: 'p-b-1', service: 'b', replica: '1', titles: ['PID', 'CMD', 'EXTRA'], processes: [['20', 'sh', 'x']] },
    ]);
    assert.equal(text, 'SERVICE  #   UID   PID  EXTRA  CMD\na        1   root  10   -      sleep 1\nb        1   -     20   x      sh\n');
    assert.equal(topTable([]), '');
  });

  it('ps --format json rows carry docker compose\'s fields', () => {
    const row = psJson(
      {
        ID: 'a'.repeat(64),
        Name: 'p-web-1',
        Names: ['p-web-1'],
        Image: 'busybox',
        Command: 'sh -c "a very long command indeed"',
        Project: 'p',
        Service: 'web',
        Created: 1_700_000_000,
        State: 'running',
        Status: 'Up 2 minutes',
        Health: '',
        ExitCode: 0,
        Publishers: [{ URL: '0.0.0.0', TargetPort: 80, PublishedPort: 8080, Protocol: 'tcp' }],
        Labels: { a: 'b' },
        Mounts: [],
        Networks: ['p_default'],
        LocalVolumes: 0,
      },
      true,
      1_700_000_120_000,
    );
    assert.deepEqual(Object.keys(row), ['Command', 'Created', 'CreatedAt', 'ExitCode', 'Health', 'ID', 'Image', 'Labels', 'LocalVolumes', 'Mounts', 'Name', 'Names', 'Networks', 'Ports', 'Project', 'Publishers', 'RunningFor', 'Service', 'Size', 'State', 'Status']);
    assert.equal(row.ID, 'a'.repeat(12));
    assert.equal(row.Command, '"sh -c \\"a very long …"');
    assert.equal(row.Ports, '0.0.0.0:8080->80/tcp');
    assert.equal(row.RunningFor, '2 minutes ago');
    assert.equal(row.CreatedAt, '2023-11-14 22:13:20 +0000 UTC');
  });

  it('events print as docker compose prints them', () => {
    const line = eventLine({ time: '2024-05-01T10:00:00.123456789Z', type: 'container', action: 'start', id: 'abc', service: 'web', attributes: { image: 'busybox', name: 'p-web-1' } });
    assert.match(line, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.123456 container start abc \(image=busybox, name=p-web-1\)$/);
  });

  it('log prefixes are padded to the longest name and coloured per service', () => {
    const plain = new LogPrefixes(false);
    plain.add([{ source: 'web-1', service: 'web' }, { source: 'database-1', service: 'database' }]);
    assert.equal(plain.prefix('web-1', 'web'), 'web-1       | ');
    assert.equal(plain.prefix('database-1', 'database'), 'database-1  | ');
    const colored = new LogPrefixes(true);
    colored.add([{ source: 'web-1', service: 'web' }, { source: 'web-2', service: 'web' }, { source: 'db-1', service: 'db' }]);
    assert.equal(colored.prefix('db-1', 'db'), '\u001b[36mdb-1   | \u001b[0m');
    assert.equal(colored.prefix('web-2', 'web'), '\u001b[33mweb-2  | \u001b[0m');
    assert.equal(colored.prefix('web-1', 'web'), '\u001b[33mweb-1  | \u001b[0m');
  });

  it('the line writer batches writes and waits for a slow stream', async () => {
    const writes: string[] = [];
    const slow = new Writable({
      highWaterMark: 16,
      write(chunk, _enc, cb) {
        writes.push(chunk.toString());
        setTimeout(cb, 5);
      },
    });
    const w = new LineWriter(slow);
    assert.equal(w.write('a\n'), undefined);
    assert.equal(w.write('b\n'), undefined);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(writes, ['a\nb\n'], 'two pieces, one write');
    let waited = 0;
    for (let i = 0; i < 5; i++) {
      const wait = w.write(`${i}`.repeat(70_000));
      if (wait) {
        waited++;
        await wait;
      }
    }
    assert.ok(waited > 0, 'a full stream makes the writer wait');
    w.write('end\n');
    await w.end();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(writes.join(''), 'a\nb\n' + [0, 1, 2, 3, 4].map((i) => `${i}`.repeat(70_000)).join('') + 'end\n');
  });
});
