// Where the engine keeps its socket, its state and its log, and which OCI
// runtime it uses. Defaults follow the filesystem layout of a system daemon.

export interface EngineOptions {
  /** The API socket; root-owned, not world-writable. */
  socketPath: string;
  /** All durable state: records, images, volumes, container bundles and logs. */
  dataRoot: string;
  /** Runtime state that does not survive a reboot (runtime root, monitor sockets). */
  execRoot: string;
  /** The engine's own log file. */
  logFile: string;
  /** `runc`, `crun`, or a path; undefined: the first that works on this host. */
  runtime?: string;
}

export const DEFAULT_SOCKET = '/run/gantry/engine.sock';
export const DEFAULT_DATA_ROOT = '/var/lib/gantry';

export function defaultEngineOptions(overrides: Partial<EngineOptions> = {}): EngineOptions {
  const socketPath = overrides.socketPath ?? DEFAULT_SOCKET;
  const dataRoot = overrides.dataRoot ?? DEFAULT_DATA_ROOT;
  return {
    socketPath,
    dataRoot,
    execRoot: overrides.execRoot ?? '/run/gantry/exec-' + hashPath(dataRoot),
    logFile: overrides.logFile ?? `${dataRoot}/engine.log`,
    runtime: overrides.runtime,
  };
}

/** Short, stable name so two data roots never share runtime state. */
function hashPath(p: string): string {
  let h = 2166136261;
  for (let i = 0; i < p.length; i++) h = Math.imul(h ^ p.charCodeAt(i), 16777619) >>> 0;
  return h.toString(16).padStart(8, '0');
}
