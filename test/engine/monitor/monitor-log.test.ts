import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { spawnMonitor } from '../../../src/engine/containers/monitor/spawn-monitor.js';
import { cleanup, prepareContainer, requireRuntime, waitExit } from './busybox-bundle.js';

type Runtime = Awaited<ReturnType<typeof requireRuntime>>;
type LogLine = { log: string; stream: string; time: string };

const readLines = (file: string): LogLine[] =>
  readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogLine);

describe('container monitor: json-file log', function () {
  let runtime: Runtime;
  const ids: string[] = [];

  before(async () => {
    runtime = await requireRuntime();
  });
  after(async () => cleanup(runtime, ids));

  async function run(name: string, script: string, log: { logMaxSize?: number; logMaxFiles?: number } = {}) {
    const c = prepareContainer(runtime, ids, name, { args: ['sh', '-c', script] });
    await spawnMonitor({
      mode: 'create', runtimePath: runtime.path, runtimeRoot: runtime.root, id: c.id, stateDir: c.stateDir,
      bundle: c.bundle, logFile: c.logFile, tty: false, stdin: false, ...log,
    });
    await runtime.start(c.id);
    assert.equal((await waitExit(c.stateDir)).exitCode, 0);
    return c.logFile;
  }

  it('rotates by size, keeping max-files files in all, oldest lines dropped', async () => {
    const maxSize = 2000;
    const logFile = await run('rotate', 'i=0; while [ $i -lt 300 ]; do echo "line-$i-padding-padding"; i=$((i+1)); done', {
      logMaxSize: maxSize,
      logMaxFiles: 3,
    });
    const files = [`${logFile}.2`, `${logFile}.1`, logFile];
    for (const f of files) assert.ok(existsSync(f), `${f} exists`);
    assert.equal(existsSync(`${logFile}.3`), false, 'no more than three files in all');
    for (const f of files.slice(0, 2)) {
      const size = statSync(f).size;
      assert.ok(size >= maxSize && size < maxSize + 200, `${f} was rotated on reaching the limit (${size} bytes)`);
    }
    const kept = files.flatMap(readLines).map((l) => l.log);
    const first = Number(/^line-(\d+)-/.exec(kept[0]!)![1]);
    assert.ok(first > 0, 'the oldest lines were rotated away');
    const expected = Array.from({ length: 300 - first }, (_, k) => `line-${first + k}-padding-padding\n`);
    assert.deepEqual(kept, expected, 'the kept files hold a gapless tail of the output, in order');
  });

  it('splits a partial line longer than 16 KiB and keeps the unterminated tail', async () => {
    const logFile = await run('long', "head -c 40000 /dev/zero | tr '\\0' a; echo; printf 'ü-end'");
    const entries = readLines(logFile).map((l) => l.log);
    assert.deepEqual(entries.map((e) => e.length), [16384, 16384, 40000 - 2 * 16384 + 1, 5]);
    assert.equal(entries[2]!.endsWith('a\n'), true);
    assert.equal(entries[3], 'ü-end');
  });
});
