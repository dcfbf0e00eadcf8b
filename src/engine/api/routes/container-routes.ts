// `/containers/…`: thin handlers that parse the request, call the container
// service and answer in docker's shapes and status codes.

import type { ServerResponse } from 'node:http';
import { badRequest } from '../api-error.js';
import { frame } from '../frames.js';
import { checkFilterNames, matchLabels, queryBool, queryFilters, queryInt, readJson, sendEmpty, sendJson } from '../http-io.js';
import type { Router } from '../router.js';
import { hijack } from '../server.js';
import type { ContainerService } from '../../containers/container-service.js';
import type { ContainerRecord } from '../../containers/container-record.js';
import { inspectView, summaryView } from '../../containers/container-views.js';
import type { ContainerCreateBody } from '../../containers/docker-types.js';
import { queryTimeNanos, readLog, readMore, type LogEntry, type LogQuery } from '../../containers/log-file.js';
import { archivePath, extractInto, statPath } from '../../containers/archive.js';
import { statsSample, top } from '../../containers/processes.js';
import type { ExecService, ExecConfig } from '../../containers/exec-service.js';
import { tarStream, treeMembers } from '../../images/index.js';

export interface ContainerRouteDeps {
  containers: ContainerService;
  execs: ExecService;
  /** The name to show for an image id (its first tag), for inspect and list. */
  imageName: (c: ContainerRecord) => string;
  /** The container's root filesystem as seen from the host, mounted. */
  rootfsOf: (c: ContainerRecord) => Promise<string>;
  /** The container's overlay, mounted (it is while the container runs), as the host sees it. */
  filesystemOf: (c: ContainerRecord) => Promise<string>;
}

export function registerContainerRoutes(router: Router, deps: ContainerRouteDeps): void {
  const { containers, execs } = deps;

  router.post('/containers/create', async (ctx) => {
    const body = await readJson<ContainerCreateBody>(ctx.req);
    const name = ctx.query.get('name') ?? undefined;
    sendJson(ctx.res!, 201, containers.create(body, name || undefined));
  });

  router.get('/containers/json', (ctx) => {
    const filters = queryFilters(ctx.query);
    checkFilterNames(filters, ['label', 'name', 'id', 'status', 'ancestor', 'exited', 'network', 'volume', 'health', 'before', 'since', 'is-task']);
    const all = queryBool(ctx.query, 'all') || !!filters.status || !!filters.exited;
    const limit = queryInt(ctx.query, 'limit');
    let list = containers.list().filter((c) => (all || c.State.Running) && matchesFilters(c, filters, deps));
    if (limit && limit > 0) list = list.slice(0, limit);
    sendJson(ctx.res!, 200, list.map((c) => summaryView(c, deps.imageName(c))));
  });

  router.get('/containers/{id}/json', (ctx) => {
    const c = containers.find(ctx.params.id!);
    sendJson(ctx.res!, 200, inspectView(c, deps.imageName(c)));
  });

  router.post('/containers/{id}/start', async (ctx) => {
    await containers.start(ctx.params.id!);
    sendEmpty(ctx.res!);
  });

  router.post('/containers/{id}/stop', async (ctx) => {
    await containers.stop(ctx.params.id!, { timeout: queryInt(ctx.query, 't'), signal: ctx.query.get('signal') ?? undefined });
    sendEmpty(ctx.res!);
  });

  router.post('/containers/{id}/restart', async (ctx) => {
    await containers.restart(ctx.params.id!, { timeout: queryInt(ctx.query, 't'), signal: ctx.query.get('signal') ?? undefined });
    sendEmpty(ctx.res!);
  });

  router.post('/containers/{id}/kill', async (ctx) => {
    await containers.kill(ctx.params.id!, ctx.query.get('signal') || 'SIGKILL');
    sendEmpty(ctx.res!);
  });

  router.post('/containers/{id}/pause', async (ctx) => {
    await containers.pause(ctx.params.id!);
    sendEmpty(ctx.res!);
  });

  router.post('/containers/{id}/unpause', async (ctx) => {
    await containers.unpause(ctx.params.id!);
    sendEmpty(ctx.res!);
  });

  router.post('/containers/{id}/rename', (ctx) => {
    const name = ctx.query.get('name');
    if (!name) throw badRequest('name is required: pass ?name=…');
    containers.rename(ctx.params.id!, name);
    sendEmpty(ctx.res!);
  });

  router.post('/containers/{id}/wait', async (ctx) => {
    const res = ctx.res!;
    const id = containers.find(ctx.params.id!).Id;
    const condition = ctx.query.get('condition') || 'not-running';
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    // Headers go out at once, as dockerd does: `docker run` waits on them before starting.
    const pending = containers.wait(id, condition, gone.signal);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    try {
      res.end(JSON.stringify(await pending) + '\n');
    } catch {
      res.destroy();
    }
  });

  router.delete('/containers/{id}', async (ctx) => {
    await containers.remove(ctx.params.id!, { force: queryBool(ctx.query, 'force'), volumes: queryBool(ctx.query, 'v') });
    sendEmpty(ctx.res!);
  });

  router.post('/containers/prune', async (ctx) => {
    const filters = queryFilters(ctx.query);
    const deleted: string[] = [];
    for (const c of containers.list()) {
      if (c.State.Running || !matchLabels(c.Config.Labels ?? {}, filters.label)) continue;
      await containers.remove(c.Id);
      deleted.push(c.Id);
    }
    sendJson(ctx.res!, 200, { ContainersDeleted: deleted, SpaceReclaimed: 0 });
  });

  router.get('/containers/{id}/logs', async (ctx) => {
    const c = containers.find(ctx.params.id!);
    const q: LogQuery = {
      stdout: queryBool(ctx.query, 'stdout'),
      stderr: queryBool(ctx.query, 'stderr'),
      since: queryTimeNanos(ctx.query.get('since')),
      until: queryTimeNanos(ctx.query.get('until')),
      tail: tailOf(ctx.query.get('tail')),
    };
    if (!q.stdout && !q.stderr) throw badRequest('Bad parameters: you must choose at least one stream');
    if (c.HostConfig.LogConfig?.Type === 'none') throw badRequest('configured logging driver does not support reading');
    const res = ctx.res!;
    const timestamps = queryBool(ctx.query, 'timestamps');
    const tty = !!c.Config.Tty;
    res.writeHead(200, { 'Content-Type': tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream' });
    const write = (e: LogEntry) => {
      const line = timestamps ? Buffer.concat([Buffer.from(`${e.time} `), e.line]) : e.line;
      res.write(tty ? line : frame(e.stream === 'stderr' ? 2 : 1, line));
    };
    const { entries, position } = readLog(c.LogPath, q);
    entries.forEach(write);
    const nowNanos = () => BigInt(Date.now()) * 1_000_000n;
    if (!queryBool(ctx.query, 'follow') || (q.until && q.until < nowNanos())) {
      res.end();
      return;
    }
    let closed = false;
    res.on('close', () => (closed = true));
    // Poll the file the monitor appends to; stop once the container is not
    // running and everything it wrote has been sent.
    let quietRounds = 0;
    while (!closed) {
      await new Promise((r) => setTimeout(r, 100));
      const more = readMore(c.LogPath, position, q);
      more.forEach(write);
      const record = containers.lookup(c.Id);
      const running = !!record && (record.State.Running || record.State.Restarting);
      if (!running && more.length === 0 && ++quietRounds >= 2) break;
      if (running) quietRounds = 0;
      if (q.until && nowNanos() > q.until) break;
    }
    res.end();
  });

  const attach = async (ctx: Parameters<Parameters<Router['post']>[1]>[0]) => {
    const c = containers.find(ctx.params.id!);
    const wantStdin = queryBool(ctx.query, 'stdin');
    const wantStdout = queryBool(ctx.query, 'stdout');
    const wantStderr = queryBool(ctx.query, 'stderr');
    const tty = !!c.Config.Tty;
    const socket = hijack(ctx, tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream');
    const send = (stream: 1 | 2, chunk: Buffer) => {
      if ((stream === 1 && !wantStdout) || (stream === 2 && !wantStderr) || !socket.writable) return;
      socket.write(tty ? chunk : frame(stream, chunk));
    };
    if (queryBool(ctx.query, 'logs')) {
      const { entries } = readLog(c.LogPath, { stdout: wantStdout, stderr: wantStderr, since: 0n, until: 0n });
      for (const e of entries) send(e.stream === 'stderr' ? 2 : 1, e.line);
    }
    if (!queryBool(ctx.query, 'stream')) {
      socket.end();
      return;
    }
    const unsubscribe = containers.subscribe(c.Id, send);
    if (wantStdin) {
      // Input may come before the container starts (docker run -i attaches
      // first): keep it until the monitor is there to take it.
      const pending: Array<Buffer | 'close'> = [];
      let conn: ReturnType<typeof containers.connection>;
      const cancel = containers.whenConnected(c.Id, (ready) => {
        conn = ready;
        for (const item of pending.splice(0)) item === 'close' ? ready.closeStdin() : ready.writeStdin(item);
      });
      socket.on('close', cancel);
      socket.on('data', (chunk: Buffer) => (conn ? conn.writeStdin(chunk) : pending.push(chunk)));
      socket.on('end', () => {
        if (!c.Config.StdinOnce) return;
        if (conn) conn.closeStdin();
        else pending.push('close');
      });
    }
    socket.on('error', () => undefined);
    // The stream ends when the container exits (or, when it has not started yet, at its first exit).
    const onGone = () => {
      unsubscribe();
      // Let the last output of the monitor through before closing.
      setTimeout(() => socket.end(), 20);
    };
    socket.on('close', unsubscribe);
    const exitedOrRemoved = containers.wait(c.Id, c.State.Running ? 'not-running' : 'next-exit').catch(() => undefined);
    void exitedOrRemoved.then(onGone);
  };
  router.post('/containers/{id}/attach', attach);

  router.post('/containers/{id}/resize', (ctx) => {
    const c = containers.find(ctx.params.id!);
    const h = queryInt(ctx.query, 'h') ?? 0;
    const w = queryInt(ctx.query, 'w') ?? 0;
    containers.connection(c.Id)?.resize(h, w);
    ctx.res!.writeHead(200);
    ctx.res!.end();
  });

  router.get('/containers/{id}/top', async (ctx) => {
    const c = containers.find(ctx.params.id!);
    if (!c.State.Running) throw Object.assign(badRequest(`container ${c.Id} is not running`), { status: 409 });
    const pids = await containers.deps.runtime.ps(c.Id);
    sendJson(ctx.res!, 200, await top(pids, ctx.query.get('ps_args') || '-ef'));
  });

  router.get('/containers/{id}/stats', async (ctx) => {
    const c = containers.find(ctx.params.id!);
    const res = ctx.res!;
    const cgroup = `/gantry/${c.Id}`;
    const name = c.Name.replace(/^\//, '');
    const pid = () => (c.State.Running ? c.State.Pid : undefined);
    const oneShot = queryBool(ctx.query, 'one-shot');
    const stream = queryBool(ctx.query, 'stream', true) && !oneShot;
    if (!stream) {
      // Without one-shot, docker answers a second sample with the first as
      // its precpu, so clients can work out a CPU percentage.
      let previous: Record<string, unknown> | undefined;
      if (!oneShot && c.State.Running) {
        previous = statsSample(cgroup, c.Id, name, undefined, pid());
        await new Promise((r) => setTimeout(r, 1000));
      }
      sendJson(res, 200, statsSample(cgroup, c.Id, name, previous, pid()));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    let previous: Record<string, unknown> | undefined;
    let closed = false;
    res.on('close', () => (closed = true));
    while (!closed && containers.lookup(c.Id)) {
      previous = statsSample(cgroup, c.Id, name, previous, pid());
      res.write(JSON.stringify(previous) + '\n');
      await new Promise((r) => setTimeout(r, 1000));
    }
    res.end();
  });

  const stat = async (ctx: Parameters<Parameters<Router['get']>[1]>[0]) => {
    const c = containers.find(ctx.params.id!);
    const path = ctx.query.get('path');
    if (!path) throw badRequest('path is required: pass ?path=…');
    const root = await deps.rootfsOf(c);
    const { stat } = statPath(root, path);
    return { c, root, path, header: Buffer.from(JSON.stringify(stat)).toString('base64') };
  };
  router.head('/containers/{id}/archive', async (ctx) => {
    const { header } = await stat(ctx);
    ctx.res!.writeHead(200, { 'X-Docker-Container-Path-Stat': header });
    ctx.res!.end();
  });
  router.get('/containers/{id}/archive', async (ctx) => {
    const { root, path, header } = await stat(ctx);
    const res = ctx.res!;
    if (ctx.method === 'HEAD') {
      res.writeHead(200, { 'X-Docker-Container-Path-Stat': header });
      res.end();
      return;
    }
    const tar = archivePath(root, path);
    res.writeHead(200, { 'Content-Type': 'application/x-tar', 'X-Docker-Container-Path-Stat': header });
    tar.on('error', () => res.destroy());
    tar.pipe(res as ServerResponse);
  });
  // The container's own filesystem, as docker export gives it: the overlay's
  // merged view, so neither volumes nor the runtime's /proc and /dev are in it.
  router.get('/containers/{id}/export', async (ctx) => {
    const c = containers.find(ctx.params.id!);
    const root = await deps.filesystemOf(c);
    const tar = tarStream(treeMembers(root, ''));
    const res = ctx.res!;
    res.writeHead(200, { 'Content-Type': 'application/x-tar' });
    tar.on('error', () => res.destroy());
    res.on('close', () => tar.destroy());
    tar.pipe(res as ServerResponse);
  });
  router.put('/containers/{id}/archive', async (ctx) => {
    const c = containers.find(ctx.params.id!);
    const path = ctx.query.get('path');
    if (!path) throw badRequest('path is required: pass ?path=…');
    if (c.HostConfig.ReadonlyRootfs) throw Object.assign(badRequest('container rootfs is marked read-only'), { status: 403 });
    const root = await deps.rootfsOf(c);
    await extractInto(root, path, ctx.req, { noOverwriteDirNonDir: queryBool(ctx.query, 'noOverwriteDirNonDir') });
    ctx.res!.writeHead(200);
    ctx.res!.end();
  });

  router.post('/containers/{id}/exec', async (ctx) => {
    const body = await readJson<ExecConfig>(ctx.req);
    sendJson(ctx.res!, 201, { Id: execs.create(ctx.params.id!, body) });
  });
}

function tailOf(value: string | null): number | undefined {
  if (value === null || value === '' || value === 'all') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for tail: ${value}`);
  return n < 0 ? undefined : n;
}

function matchesFilters(c: ContainerRecord, f: Record<string, string[]>, deps: ContainerRouteDeps): boolean {
  if (!matchLabels(c.Config.Labels ?? {}, f.label)) return false;
  if (f.id && !f.id.some((id) => c.Id.startsWith(id))) return false;
  if (f.name && !f.name.some((n) => safeRegex(n).test(c.Name) || safeRegex(n).test(c.Name.slice(1)))) return false;
  if (f.status && !f.status.includes(c.State.Status)) return false;
  if (f.exited && !(c.State.Status === 'exited' && f.exited.includes(String(c.State.ExitCode)))) return false;
  if (f.health && !f.health.includes(c.State.Health?.Status ?? 'none')) return false;
  if (f.ancestor && !f.ancestor.some((a) => a === c.Image || a === c.Config.Image || a === deps.imageName(c) || c.Image.startsWith(`sha256:${a}`))) return false;
  if (f.network && !f.network.some((n) => n in c.Networks)) return false;
  if (f.volume && !f.volume.some((v) => c.Mounts.some((m) => m.Name === v || m.Destination === v))) return false;
  return true;
}

function safeRegex(text: string): RegExp {
  try {
    return new RegExp(text);
  } catch {
    return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  }
}
