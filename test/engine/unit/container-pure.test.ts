import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshState, type ContainerRecord } from '../../../src/engine/containers/container-record.js';
import { humanDuration, statusText } from '../../../src/engine/containers/container-views.js';
import { hostsFile, resolvConf } from '../../../src/engine/containers/etc-files.js';
import { logLimits } from '../../../src/engine/containers/log-options.js';
import { queryTimeNanos, readLog, readMore, timeNanos } from '../../../src/engine/containers/log-file.js';
import { checkRestartPolicy, restartDelay, shouldRestart } from '../../../src/engine/containers/restart-policy.js';
import { resolveInRoot } from '../../../src/engine/containers/resolve-in-root.js';

function record(over: Partial<ContainerRecord> = {}): ContainerRecord {
  return {
    Id: 'a'.repeat(64), Name: '/c', Created: new Date().toISOString(), Path: 'sh', Args: [], Config: {}, HostConfig: {}, Image: 'sha256:x',
    State: freshState(), RestartCount: 0, LogPath: '', HostnamePath: '', HostsPath: '', ResolvConfPath: '', Mounts: [], Networks: {}, ...over,
  };
}

describe('engine containers: pure parts', () => {
  it('decides restarts by policy', () => {
    assert.equal(shouldRestart(record({ HostConfig: { RestartPolicy: { Name: 'always' } } }), 0), true);
    assert.equal(shouldRestart(record({ HostConfig: { RestartPolicy: { Name: 'always' } }, StoppedByUser: true }), 0), false);
    assert.equal(shouldRestart(record({ HostConfig: { RestartPolicy: { Name: 'on-failure' } } }), 0), false);
    assert.equal(shouldRestart(record({ HostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } }, RestartCount: 1 }), 1), true);
    assert.equal(shouldRestart(record({ HostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } }, RestartCount: 2 }), 1), false);
    assert.equal(shouldRestart(record({ HostConfig: { RestartPolicy: { Name: 'no' } } }), 1), false);
    assert.throws(() => checkRestartPolicy({ Name: 'sometimes' as 'no' }, false), /unknown policy 'sometimes'/);
    assert.throws(() => checkRestartPolicy({ Name: 'always' }, true), /both --restart and --rm/);
  });

  it('backs off from 100 ms doubling to a minute, and starts over after 10 s up', () => {
    let d = 0;
    const seen: number[] = [];
    for (let i = 0; i < 12; i++) seen.push((d = restartDelay(d, 50)));
    assert.deepEqual(seen.slice(0, 4), [100, 200, 400, 800]);
    assert.equal(seen.at(-1), 60_000);
    assert.equal(restartDelay(60_000, 10_000), 100);
  });

  it("says docker's status words", () => {
    const now = Date.parse('2026-01-01T00:10:00Z');
    const running = record({ State: { ...freshState(), Status: 'running', Running: true, StartedAt: '2026-01-01T00:07:00Z', Health: { Status: 'healthy', FailingStreak: 0, Log: [] } } });
    assert.equal(statusText(running, now), 'Up 3 minutes (healthy)');
    const exited = record({ State: { ...freshState(), Status: 'exited', ExitCode: 3, FinishedAt: '2026-01-01T00:09:58Z' } });
    assert.equal(statusText(exited, now), 'Exited (3) 2 seconds ago');
    assert.equal(statusText(record(), now), 'Created');
    assert.equal(humanDuration(500), 'Less than a second');
    assert.equal(humanDuration(3600_000 * 3), '3 hours');
  });

  it('writes /etc/hosts and resolv.conf, leaving out loopback resolvers', () => {
    const hosts = hostsFile({ hostname: 'web', addresses: ['172.20.0.2'], extraHosts: ['db:10.0.0.5', 'v6:::1'] });
    assert.match(hosts, /^127\.0\.0\.1\tlocalhost$/m);
    assert.match(hosts, /^10\.0\.0\.5\tdb$/m);
    assert.match(hosts, /^::1\tv6$/m);
    assert.match(hosts, /^172\.20\.0\.2\tweb$/m);
    const dir = mkdtempSync(join(tmpdir(), 'resolv-'));
    writeFileSync(join(dir, 'resolv.conf'), 'nameserver 127.0.0.53\nnameserver 10.1.1.1\nsearch corp\n');
    const conf = resolvConf({ hostname: 'x', addresses: [], extraHosts: [], hostResolvConf: join(dir, 'resolv.conf') });
    assert.equal(conf, 'nameserver 10.1.1.1\nsearch corp\n');
    assert.equal(resolvConf({ hostname: 'x', addresses: [], extraHosts: [], dns: ['1.1.1.1'], hostResolvConf: join(dir, 'resolv.conf') }), 'nameserver 1.1.1.1\nsearch corp\n');
    rmSync(dir, { recursive: true });
  });

  it('reads json-file logs with tail, since and streams, and follows through a rotation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'logs-'));
    const log = join(dir, 'c-json.log');
    const line = (s: string, stream: string, time: string) => JSON.stringify({ log: s, stream, time }) + '\n';
    writeFileSync(`${log}.1`, line('old\n', 'stdout', '2026-01-01T00:00:00.000000001Z'));
    writeFileSync(log, line('a\n', 'stdout', '2026-01-01T00:00:01.5Z') + line('b\n', 'stderr', '2026-01-01T00:00:02Z'));
    const all = { stdout: true, stderr: true, since: 0n, until: 0n };
    assert.deepEqual(readLog(log, all).entries.map((e) => e.line.toString()), ['old\n', 'a\n', 'b\n']);
    assert.deepEqual(readLog(log, { ...all, tail: 1 }).entries.map((e) => e.line.toString()), ['b\n']);
    assert.deepEqual(readLog(log, { ...all, stderr: false }).entries.map((e) => e.line.toString()), ['old\n', 'a\n']);
    assert.deepEqual(readLog(log, { ...all, since: timeNanos('2026-01-01T00:00:01.6Z') }).entries.map((e) => e.line.toString()), ['b\n']);
    const { position } = readLog(log, all);
    // The monitor appends half a line, finishes it, then rotates and writes on.
    writeFileSync(log, '{"log":"c\\n","str', { flag: 'a' });
    assert.deepEqual(readMore(log, position, all), []);
    writeFileSync(log, 'eam":"stdout","time":"t"}\n', { flag: 'a' });
    assert.deepEqual(readMore(log, position, all).map((e) => e.line.toString()), ['c\n']);
    writeFileSync(log, line('d\n', 'stdout', 't'), { flag: 'a' });
    renameSync(`${log}.1`, `${log}.2`);
    renameSync(log, `${log}.1`);
    writeFileSync(log, line('e\n', 'stdout', 't'));
    assert.deepEqual(readMore(log, position, all).map((e) => e.line.toString()), ['d\n', 'e\n']);
    rmSync(dir, { recursive: true });
  });

  it('compares log times to the nanosecond, as a follow resumes one after the last line', () => {
    const t = timeNanos('2026-01-01T00:00:01.123456789Z');
    assert.equal(queryTimeNanos(`${(t / 1_000_000_000n).toString()}.123456790`), t + 1n);
    assert.equal(queryTimeNanos('2026-01-01T00:00:01.123456789Z'), t);
    assert.equal(queryTimeNanos('1767225601'), 1767225601n * 1_000_000_000n);
  });

  it('parses json-file size limits', () => {
    assert.deepEqual(logLimits({ LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } } }), { maxSize: 10 * 1024 * 1024, maxFiles: 3 });
    assert.throws(() => logLimits({ LogConfig: { Type: 'syslog' } }), /not supported/);
    assert.throws(() => logLimits({ LogConfig: { Config: { 'max-size': 'lots' } } }), /max-size/);
  });

  it('resolves paths inside a root without leaving it', () => {
    const root = mkdtempSync(join(tmpdir(), 'root-'));
    mkdirSync(join(root, 'etc'));
    symlinkSync('/etc', join(root, 'abs'));
    symlinkSync('../../../../etc', join(root, 'up'));
    symlinkSync('abs/passwd', join(root, 'chain'));
    assert.equal(resolveInRoot(root, '/abs/passwd'), join(root, 'etc/passwd'));
    assert.equal(resolveInRoot(root, '/up/passwd'), join(root, 'etc/passwd'));
    assert.equal(resolveInRoot(root, '/chain'), join(root, 'etc/passwd'));
    assert.equal(resolveInRoot(root, '/../../etc'), join(root, 'etc'));
    assert.equal(resolveInRoot(root, '/abs', false), join(root, 'abs'));
    rmSync(root, { recursive: true });
  });
});
