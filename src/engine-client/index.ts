// engine-client/ owns the typed edge to the Docker Engine API: the only code in
// gantry that talks to a container engine, whether gantry's embedded engine or
// any dockerd, local (unix socket) or remote (TCP with TLS, ssh).
//
// connect() chooses the host (--host, DOCKER_HOST, then the default socket),
// pings it, and agrees on an API version. The EngineClient it returns has one
// small client per resource (containers, images, networks, volumes, system),
// each in its own file. All of them send through transport.ts, which logs one
// line per call under GANTRY_DEBUG=engine-client and turns every failure into
// an EngineError (a GantryError of kind 'engine') that says what was being
// done, to what, and what the engine answered. Inspect calls answer undefined
// for "no such object" rather than failing. Request and response types are
// this folder's own, in the API's PascalCase field names, so nothing else in
// gantry depends on dockerode.

import { compareApiVersions, negotiateApiVersion } from './api-version.js';
import { containersClient, type ContainersClient } from './containers-client.js';
import { callLogger } from './debug-log.js';
import { describeNetworkError, EngineError, isEngineError } from './engine-error.js';
import { chooseHost, DEFAULT_HOST, type HostChoice } from './engine-host.js';
import { EMBEDDED_HOST, ensureEmbeddedEngine } from './embedded-engine.js';
import { createModem } from './engine-modem.js';
import { imagesClient, type ImagesClient } from './images-client.js';
import { networksClient, type NetworksClient } from './networks-client.js';
import { ping, systemClient, type SystemClient } from './system-client.js';
import { Transport } from './transport.js';
import { volumesClient, type VolumesClient } from './volumes-client.js';

export { compareApiVersions, MAX_API_VERSION, MIN_API_VERSION } from './api-version.js';
export type { AttachedStreams } from './attached-streams.js';
export type * from './container-types.js';
export type { AttachOptions, ContainersClient, ExecStartOptions, LogsOptions, WaitCondition } from './containers-client.js';
export { EngineError, isEngineError, isNotFound } from './engine-error.js';
export { EMBEDDED_DATA_ROOT, EMBEDDED_HOST, EMBEDDED_SOCKET, embeddedEnginePid, engineEntryPoint, ensureEmbeddedEngine, pingSocket, stopEmbeddedEngine } from './embedded-engine.js';
export { chooseHost, DEFAULT_HOST, parseEngineHost, type EngineEndpoint, type HostChoice } from './engine-host.js';
export type * from './image-types.js';
export type { ImagesClient } from './images-client.js';
export type { LogLine } from './log-lines.js';
export type * from './network-types.js';
export type { NetworksClient } from './networks-client.js';
export type { EngineEvent, EngineInfo, EngineVersion, EventsOptions, PingResult, SystemClient } from './system-client.js';
export type { CreateVolumeRequest, Volume, VolumesClient } from './volumes-client.js';

export interface ConnectOptions {
  /** `--host`; wins over DOCKER_HOST. */
  host?: string;
  /** Where DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH and GANTRY_DEBUG are read; process.env by default. */
  env?: Record<string, string | undefined>;
  /** The engine to use when neither --host nor DOCKER_HOST says: gantry's embedded engine's socket. */
  defaultHost?: string;
  /** How long the first ping may take; 10 s by default. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Start the embedded engine when it is the chosen one and not running (default true). */
  startEmbedded?: boolean;
  /** One-line notices for the user (the CLI prints them on stderr): "Started the gantry engine …". */
  onNotice?: (message: string) => void;
}

export interface EngineClient {
  /** The engine's address as written: `unix:///var/run/docker.sock`. */
  readonly host: string;
  /** The API version every call uses: the lower of the engine's and this client's newest. */
  readonly apiVersion: string;
  /** What the engine announced it speaks. */
  readonly engineApiVersion: string | undefined;
  /** True when the agreed version is `version` or newer (`supports('1.44')`: several networks at create). */
  supports(version: string): boolean;
  readonly containers: ContainersClient;
  readonly images: ImagesClient;
  readonly networks: NetworksClient;
  readonly volumes: VolumesClient;
  readonly system: SystemClient;
}

export async function connect(opts: ConnectOptions = {}): Promise<EngineClient> {
  const env = opts.env ?? process.env;
  const choice = chooseHost({ host: opts.host, env, defaultHost: opts.defaultHost ?? DEFAULT_HOST, homeDir: env.HOME });
  // Nothing chose another engine: gantry's own, started on demand.
  if (choice.source === 'default' && choice.url === EMBEDDED_HOST && opts.startEmbedded !== false) {
    const pid = await ensureEmbeddedEngine();
    if (pid !== undefined) opts.onNotice?.(`Started the gantry engine (pid ${pid}, ${EMBEDDED_HOST})`);
  }
  const transport = new Transport(createModem(choice, env), choice.url, callLogger(env.GANTRY_DEBUG));

  const timeoutMs = opts.timeoutMs ?? 10_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let engineApiVersion: string | undefined;
  try {
    engineApiVersion = (await ping(transport, signal)).ApiVersion;
  } catch (e) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    const reason = timeout.aborted ? `no answer within ${timeoutMs / 1000} s` : isEngineError(e) ? reasonOf(e) : describeNetworkError(e);
    throw new EngineError(`cannot connect to the container engine at ${choice.url}: ${reason}`, {
      statusCode: isEngineError(e) ? e.statusCode : undefined,
      hint: connectHint(choice),
      cause: e,
    });
  }
  const apiVersion = negotiateApiVersion(engineApiVersion, choice.url);
  transport.apiVersion = apiVersion;

  return {
    host: choice.url,
    apiVersion,
    engineApiVersion,
    supports: (version) => compareApiVersions(apiVersion, version) >= 0,
    containers: containersClient(transport),
    images: imagesClient(transport),
    networks: networksClient(transport),
    volumes: volumesClient(transport),
    system: systemClient(transport),
  };
}

/** The engine's words, or the socket error, without the "ping the engine:" prefix. */
function reasonOf(e: EngineError): string {
  if (e.engineMessage) return e.engineMessage;
  if (e.cause !== undefined) return describeNetworkError(e.cause);
  return e.message;
}

function connectHint(choice: HostChoice): string {
  switch (choice.source) {
    case '--host':
      return 'is the engine running? check the address given with --host';
    case 'DOCKER_HOST':
      return `is the engine running? DOCKER_HOST is set to ${choice.url}; unset it to use the default engine`;
    default:
      return `is the engine running? set DOCKER_HOST (unix:///path/to/docker.sock, tcp://host:2375, ssh://user@host) to use another engine`;
  }
}
