// Where the engine is: `--host`, else DOCKER_HOST (with DOCKER_TLS_VERIFY and
// DOCKER_CERT_PATH), else the default socket. The rules follow the docker CLI
// so that a DOCKER_HOST that works for `docker` works for gantry.

import { GantryError } from '../common/errors.js';

/** gantry's embedded engine; DOCKER_HOST or --host choose another (e.g. unix:///var/run/docker.sock). */
export const DEFAULT_HOST = 'unix:///run/gantry/engine.sock';

export type EngineEndpoint =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'tcp'; host: string; port: number; tls?: TlsSettings }
  | { kind: 'ssh'; host: string; port: number; username?: string };

export interface TlsSettings {
  /** Directory holding ca.pem, cert.pem and key.pem; undefined → server auth only. */
  certPath?: string;
  /** DOCKER_TLS_VERIFY: check the server's certificate against ca.pem. */
  verify: boolean;
}

export interface HostChoice {
  /** The host as the user would write it, for messages: `unix:///var/run/docker.sock`. */
  url: string;
  endpoint: EngineEndpoint;
  /** Which setting chose it, so an error can say what to change. */
  source: '--host' | 'DOCKER_HOST' | 'default';
}

export interface HostOptions {
  host?: string;
  env?: Record<string, string | undefined>;
  defaultHost?: string;
  /** For DOCKER_CERT_PATH's fallback, `~/.docker`. */
  homeDir?: string;
}

export function chooseHost(opts: HostOptions): HostChoice {
  const env = opts.env ?? {};
  const fromEnv = nonEmpty(env.DOCKER_HOST);
  const [url, source] = nonEmpty(opts.host)
    ? [opts.host!, '--host' as const]
    : fromEnv
      ? [fromEnv, 'DOCKER_HOST' as const]
      : [opts.defaultHost ?? DEFAULT_HOST, 'default' as const];
  const endpoint = parseEngineHost(url, source);
  if (endpoint.kind === 'tcp') {
    const verify = nonEmpty(env.DOCKER_TLS_VERIFY) !== undefined;
    const certPath = nonEmpty(env.DOCKER_CERT_PATH) ?? (verify && opts.homeDir ? `${opts.homeDir}/.docker` : undefined);
    // As the docker CLI: a cert path alone means TLS with client certificates
    // but without checking the server's; DOCKER_TLS_VERIFY adds the check.
    if (verify || certPath) {
      endpoint.tls = { certPath, verify };
      if (!/:\d+$/.test(hostPart(url))) endpoint.port = 2376;
    }
  }
  return { url, endpoint, source };
}

/** Parses `unix:///path`, `tcp://host[:port]`, `ssh://[user@]host[:port]`. */
export function parseEngineHost(url: string, source = 'DOCKER_HOST'): EngineEndpoint {
  const bad = (what: string) =>
    new GantryError('usage', `${source} "${url}" ${what}`, {
      hint: 'use unix:///path/to/docker.sock, tcp://host:2375 or ssh://user@host',
    });
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'unix') {
    const socketPath = url.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw bad('needs an absolute socket path after unix://');
    return { kind: 'unix', socketPath };
  }
  if (scheme === 'tcp' || scheme === 'http' || scheme === 'https' || scheme === undefined) {
    if (scheme === undefined && url.startsWith('/')) throw bad('is a path; write it as unix://' + url);
    const rest = scheme === undefined ? url : url.slice(scheme.length + 3);
    const { host, port } = splitHostPort(rest.replace(/\/+$/, ''), scheme === 'https' ? 2376 : 2375);
    if (!host) throw bad('has no host name');
    if (port === undefined) throw bad('has a port that is not a number between 1 and 65535');
    const endpoint: EngineEndpoint = { kind: 'tcp', host, port };
    if (scheme === 'https') endpoint.tls = { verify: true };
    return endpoint;
  }
  if (scheme === 'ssh') {
    let rest = url.slice('ssh://'.length).replace(/\/+$/, '');
    let username: string | undefined;
    const at = rest.lastIndexOf('@');
    if (at >= 0) {
      username = decodeURIComponent(rest.slice(0, at));
      rest = rest.slice(at + 1);
    }
    if (rest.includes('/')) throw bad('must not have a path after the host (ssh://user@host[:port])');
    const { host, port } = splitHostPort(rest, 22);
    if (!host) throw bad('has no host name');
    if (port === undefined) throw bad('has a port that is not a number between 1 and 65535');
    return username ? { kind: 'ssh', host, port, username } : { kind: 'ssh', host, port };
  }
  throw bad(`has the unsupported scheme "${scheme}://"`);
}

function splitHostPort(s: string, defaultPort: number): { host: string; port: number | undefined } {
  // [::1]:2375 keeps the brackets out of the host name.
  const m = /^\[([^\]]+)\](?::(.*))?$/.exec(s) ?? /^([^:]*)(?::(.*))?$/.exec(s);
  const host = m?.[1] ?? '';
  const portText = m?.[2];
  if (portText === undefined || portText === '') return { host, port: defaultPort };
  const port = /^\d+$/.test(portText) ? Number(portText) : NaN;
  return { host, port: port >= 1 && port <= 65535 ? port : undefined };
}

function hostPart(url: string): string {
  return url.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}
