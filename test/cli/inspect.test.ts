// The read-and-inspect commands as a user runs them: rendered output and exit
// codes, against containers made by hand with docker compose's labels.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TarParser } from '../../src/project/tar-parse.js';
import { fakeProject, until, type FakeProject } from '../project/fake-project.js';
import { runCli, runCliBytes, startCli } from './run-cli.js';

describe('read-and-inspect commands (CLI)', function () {
  this.timeout(90_000);
  let p: FakeProject;
  let published = 0;
  let local: string;
  const cli = (...args: string[]) => runCli(['-p', p.name, ...args]);

  before(async () => {
    p = await fakeProject('gtcli');
    local = mkdtempSync(join(tmpdir(), 'gantry-cli-'));
    const web = await p.add('web', { cmd: ['sh', '-c', 'echo hello from web; echo oops >&2; exec sleep 300'], ports: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } });
    await p.add('database', { cmd: ['sh', '-c', 'echo db ready; exit 3'] });
    published = Number((await p.engine.containers.inspect(web))!.NetworkSettings.Ports!['80/tcp']![0]!.HostPort);
    await until(async () => (await p.engine.containers.inspect(`${p.name}-database-1`))!.State.Status === 'exited', 10_000, 'database to exit');
  });
  after(async () => {
    await p.sweep();
    rmSync(local, { recursive: true, force: true });
  });

  it('ps: a table, JSON lines, IDs, services, states; a bad format is a usage error', () => {
    const t = cli('ps');
    assert.equal(t.status, 0, t.stderr);
    const [head, row, ...rest] = t.stdout.split('\n');
    assert.match(head!, /^NAME\s+IMAGE\s+COMMAND\s+SERVICE\s+CREATED\s+STATUS\s+PORTS$/);
    assert.match(row!, new RegExp(`^${p.name}-web-1\\s+busybox:latest\\s+"sh -c 'echo hello f…"\\s+web\\s+(?:\\d+ seconds?|Less than a second|About a minute) ago\\s+Up (?:Less than a second|\\d+ seconds?)\\s+127\\.0\\.0\\.1:${published}->80/tcp$`));
    assert.deepEqual(rest, ['']);
    const json = cli('ps', '-a', '--format', 'json').stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(json.map((r) => [r.Service, r.State, r.ExitCode]), [['database', 'exited', 3], ['web', 'running', 0]]);
    assert.deepEqual(json[1].Publishers, [{ URL: '127.0.0.1', TargetPort: 80, PublishedPort: published, Protocol: 'tcp' }]);
    assert.match(cli('ps', '-q').stdout, /^[0-9a-f]{64}\n$/);
    assert.equal(cli('ps', '-a', '--services').stdout, 'database\nweb\n');
    assert.equal(cli('ps', '--filter', 'status=exited', '--services').stdout, 'database\n');
    const bad = cli('ps', '--format', 'yaml');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unsupported format "yaml"/);
  });

  it('logs: prefixed lines padded to the longest name, or bare; timestamps', () => {
    const r = cli('logs');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').filter(Boolean).sort(), ['database-1  | db ready', 'web-1       | hello from web', 'web-1       | oops']);
    assert.equal(cli('logs', '--no-log-prefix', 'database').stdout, 'db ready\n');
    assert.match(cli('logs', '-t', '--tail', '1', 'database').stdout, /^database-1  \| \d{4}-\d\d-\d\dT[\d:.]+Z db ready\n$/);
    const bad = cli('logs', '--tail', 'some');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /invalid --tail value "some"/);
  });

  it('logs --follow keeps printing until the containers stop, then exits 0', async () => {
    await p.add('ticker', { cmd: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.1; done'] });
    const child = startCli(['-p', p.name, 'logs', '--follow', 'ticker']);
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await until(() => out.includes('tick 3'), 15_000, 'followed lines');
    await p.engine.containers.kill(`${p.name}-ticker-1`);
    assert.equal(await exited, 0);
    assert.match(out, /^ticker-1  \| tick 1\nticker-1  \| tick 2\n/);
  });

  it('top: one table of every running container\'s processes', () => {
    const r = cli('top');
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0]!, /^SERVICE\s+#\s+UID\s+PID\s+PPID.*CMD$/);
    assert.match(lines[1]!, /^web\s+1\s+root\s+\d+.*sleep 300$/);
  });

  it('stats --no-stream: docker stats\' table, or JSON lines; a bad format is a usage error', () => {
    const r = cli('stats', '--no-stream');
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0]!, /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/);
    const web = lines.find((l) => l.includes(`${p.name}-web-1`));
    assert.ok(web, r.stdout);
    assert.ok(!lines.some((l) => l.includes(`${p.name}-database-1`)), 'a stopped container without -a');
    assert.match(web, new RegExp(`^[0-9a-f]{12}\\s+${p.name}-web-1\\s+\\d+\\.\\d\\d%\\s+\\S+ / \\S+\\s+\\d+\\.\\d\\d%\\s+\\S+ / \\S+\\s+\\S+ / \\S+\\s+\\d+$`));
    const json = cli('stats', '--no-stream', '-a', '--format', 'json').stdout.trim().split('\n').map((l) => JSON.parse(l));
    // Other cases in this file add services of their own: look at these two.
    assert.deepEqual(json.filter((j) => ['database', 'web'].includes(j.Service)).map((j) => [j.Service, Object.keys(j).sort().join(',')]), [
      ['database', 'BlockIO,CPUPerc,ID,MemPerc,MemUsage,Name,NetIO,PIDs,Service'],
      ['web', 'BlockIO,CPUPerc,ID,MemPerc,MemUsage,Name,NetIO,PIDs,Service'],
    ]);
    const bad = cli('stats', '--no-stream', '--format', 'yaml');
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /--format yaml: use table or json/);
  });

  it('export -o writes the filesystem tar; commit prints the new image id', async () => {
    const file = join(local, 'web.tar');
    const e = cli('export', 'web', '-o', file);
    assert.equal(e.status, 0, e.stderr);
    const names = new Set<string>();
    const parser = new TarParser();
    for (const ev of parser.push(readFileSync(file))) if (ev.kind === 'entry') names.add(ev.header.name);
    assert.ok(names.has('bin/busybox'), [...names].slice(0, 20).join(' '));
    const tag = `gantry-test/cli-commit-${p.name}:v1`;
    const c = cli('commit', '-c', 'ENV FROM_CLI=1', 'web', tag);
    assert.equal(c.status, 0, c.stderr);
    assert.match(c.stdout, /^sha256:[0-9a-f]{64}\n$/);
    const image = await p.engine.images.inspect(tag);
    assert.ok(image?.Config?.Env?.includes('FROM_CLI=1'));
    await p.engine.images.remove(tag, { force: true });
  });

  it('port: the host address and port; a missing binding exits 1 with the reason', () => {
    const r = cli('port', 'web', '80');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `127.0.0.1:${published}\n`);
    const missing = cli('port', 'web', '8080');
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no port 8080\/tcp for container .*-web-1: 80\/tcp/);
    const stopped = cli('port', 'database', '80');
    assert.equal(stopped.status, 1);
    assert.match(stopped.stderr, /service "database" is not running\n  hint: start it with: compose up -d database/);
  });

  it('images: a table, IDs, JSON', () => {
    const r = cli('images');
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0]!, /^CONTAINER\s+REPOSITORY\s+TAG\s+IMAGE ID\s+SIZE$/);
    assert.match(lines[1]!, new RegExp(`^${p.name}-database-1\\s+busybox\\s+latest\\s+[0-9a-f]{12}\\s+[\\d.]+[kMG]?B$`));
    assert.match(cli('images', '-q').stdout, /^[0-9a-f]{64}\n$/);
    const json = JSON.parse(cli('images', '--format', 'json').stdout);
    assert.deepEqual(Object.keys(json[0]).sort(), ['ContainerName', 'Created', 'ID', 'Platform', 'Repository', 'Size', 'Tag']);
  });

  it('events --json: one object per line in docker compose\'s shape', () => {
    const r = cli('events', '--json', '--since', '10m', '--until', '0s', 'database');
    assert.equal(r.status, 0, r.stderr);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(events.slice(0, 3).map((e) => e.action), ['create', 'start', 'die']);
    assert.deepEqual(Object.keys(events[0]), ['time', 'type', 'action', 'id', 'service', 'attributes']);
    assert.equal(events[2].attributes.exitCode, '3');
  });

  it('ls: works without a compose file; table, names, JSON, filters', () => {
    const table = runCli(['ls', '--all', '--filter', `name=${p.name}`], { cwd: local });
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, new RegExp(`^NAME\\s+STATUS\\s+CONFIG FILES\\n${p.name}\\s+exited\\(\\d\\), running\\(\\d\\)\\s+/tmp/${p.name}/compose.yaml\\n$`));
    assert.equal(runCli(['ls', '-q', '--filter', `name=^${p.name}$`]).stdout, `${p.name}\n`);
    assert.deepEqual(JSON.parse(runCli(['ls', '--format', 'json', '--filter', `name=^${p.name}$`]).stdout)[0].Name, p.name);
    assert.equal(runCli(['ls', '--filter', 'label=x']).status, 2);
  });

  it('exec: the exit code is the command\'s; -e, -w, stdin; the command\'s own options reach it', () => {
    const failed = cli('exec', 'web', 'sh', '-c', 'echo out; echo err >&2; exit 4');
    assert.equal(failed.status, 4);
    assert.equal(failed.stdout, 'out\n');
    assert.equal(failed.stderr, 'err\n');
    const env = cli('exec', '-T', '-e', 'A=1', '-w', '/etc', 'web', 'sh', '-c', 'echo $A $(pwd)');
    assert.equal(env.stdout, '1 /etc\n');
    assert.equal(runCli(['-p', p.name, 'exec', 'web', 'cat'], { input: 'piped in\n' }).stdout, 'piped in\n');
    assert.equal(cli('exec', 'web', 'ls', '-a', '-l', '--full-time', '/etc/hostname').status, 0);
    const none = cli('exec', 'nosuch', 'true');
    assert.equal(none.status, 1);
    assert.match(none.stderr, /service "nosuch" is not running/);
  });

  it('cp: both directions, and - for a tar stream', () => {
    writeFileSync(join(local, 'in.txt'), 'copied in\n');
    const into = cli('cp', join(local, 'in.txt'), 'web:/tmp/in.txt');
    assert.equal(into.status, 0, into.stderr);
    assert.equal(into.stderr, ` Container ${p.name}-web-1  Copied\n`);
    const out = cli('cp', 'web:/tmp/in.txt', join(local, 'out.txt'));
    assert.equal(out.status, 0, out.stderr);
    assert.equal(readFileSync(join(local, 'out.txt'), 'utf8'), 'copied in\n');
    const tar = runCliBytes(['-p', p.name, 'cp', 'web:/tmp/in.txt', '-']);
    assert.equal(tar.status, 0, tar.stderr);
    const names = new TarParser().push(tar.stdout).flatMap((e) => (e.kind === 'entry' ? [e.header.name] : []));
    assert.deepEqual(names, ['in.txt']);
    const bad = cli('cp', 'a', 'b');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /one of the paths must name a service/);
  });

  it('wait: exits with the container\'s exit code', async () => {
    await p.add('job', { cmd: ['sh', '-c', 'sleep 1; exit 6'] });
    const r = cli('wait', 'job');
    assert.equal(r.status, 6, r.stderr);
    assert.equal(r.stdout, `container "${p.name}-job-1" exited with status code 6\n`);
  });
});
