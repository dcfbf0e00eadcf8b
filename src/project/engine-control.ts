// `compose engine start|stop|status`: the embedded engine as a background
// service of this machine. Starting and stopping go through the engine's own
// entry point and pid file; status asks the engine itself.

import { connect, engineEntryPoint, EMBEDDED_DATA_ROOT, EMBEDDED_SOCKET, embeddedEnginePid, ensureEmbeddedEngine, pingSocket, stopEmbeddedEngine } from '../engine-client/index.js';

export interface EngineControlOptions {
  socketPath?: string;
  dataRoot?: string;
  runtime?: string;
}

export interface EngineStatus {
  running: boolean;
  socket: string;
  dataRoot: string;
  pid?: number;
  version?: string;
  apiVersion?: string;
  runtime?: string;
  runtimePath?: string;
  runtimeNote?: string;
  cgroupVersion?: string;
  containers?: number;
  containersRunning?: number;
  images?: number;
}

export async function engineStart(opts: EngineControlOptions = {}): Promise<{ started: boolean; pid?: number }> {
  const pid = await ensureEmbeddedEngine(opts);
  return pid === undefined ? { started: false, pid: embeddedEnginePid(opts.dataRoot) } : { started: true, pid };
}

export async function engineStop(opts: EngineControlOptions = {}): Promise<{ stopped: boolean; pid?: number }> {
  const pid = await stopEmbeddedEngine(opts.dataRoot ?? EMBEDDED_DATA_ROOT);
  return { stopped: pid !== undefined, pid };
}

export async function engineStatus(opts: EngineControlOptions = {}): Promise<EngineStatus> {
  const socket = opts.socketPath ?? EMBEDDED_SOCKET;
  const dataRoot = opts.dataRoot ?? EMBEDDED_DATA_ROOT;
  if (!(await pingSocket(socket))) return { running: false, socket, dataRoot };
  const client = await connect({ host: `unix://${socket}`, startEmbedded: false });
  const info = (await client.system.info()) as Record<string, unknown>;
  const version = (await client.system.version()) as Record<string, unknown>;
  const runtime = String(info.DefaultRuntime ?? '');
  const runtimes = (info.Runtimes ?? {}) as Record<string, { path?: string }>;
  return {
    running: true,
    socket,
    dataRoot: String(info.DockerRootDir ?? dataRoot),
    pid: typeof info.Pid === 'number' ? info.Pid : embeddedEnginePid(dataRoot),
    version: String(version.Version ?? ''),
    apiVersion: String(version.ApiVersion ?? ''),
    runtime,
    runtimePath: runtimes[runtime]?.path,
    runtimeNote: info.RuntimeNote ? String(info.RuntimeNote) : undefined,
    cgroupVersion: info.CgroupVersion ? String(info.CgroupVersion) : undefined,
    containers: Number(info.Containers ?? 0),
    containersRunning: Number(info.ContainersRunning ?? 0),
    images: Number(info.Images ?? 0),
  };
}

export { engineEntryPoint };
