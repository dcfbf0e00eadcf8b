// Routes of the Docker Engine API subset: `/v1.41/containers/{id}/start` and
// the unversioned `/containers/{id}/start` reach the same handler. Plain
// requests and HTTP upgrades (attach, exec start) share one table.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError, badRequest, notFound } from './api-error.js';

export const API_VERSION = '1.43';
export const MIN_API_VERSION = '1.24';

export interface RequestContext {
  method: string;
  /** The path without its `/v1.xx` prefix. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The version the client asked for, or ours when it named none. */
  apiVersion: string;
  req: IncomingMessage;
  /** Present for plain requests. */
  res?: ServerResponse;
  /** Present when the client asked to upgrade the connection (attach, exec start). */
  upgrade?: { socket: Duplex; head: Buffer };
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, path: string, handler: Handler): this {
    const names: string[] = [];
    // `{name}` matches one segment; `{name*}` the rest (container names may hold slashes).
    const source = path.replace(/[.+?^$()[\]\\|]/g, '\\$&').replace(/\{(\w+)(\*?)\}/g, (_m, name: string, rest: string) => {
      names.push(name);
      return rest ? '(.+)' : '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}/?$`), names, handler });
    return this;
  }

  get(path: string, handler: Handler): this {
    return this.add('GET', path, handler);
  }
  post(path: string, handler: Handler): this {
    return this.add('POST', path, handler);
  }
  put(path: string, handler: Handler): this {
    return this.add('PUT', path, handler);
  }
  delete(path: string, handler: Handler): this {
    return this.add('DELETE', path, handler);
  }
  head(path: string, handler: Handler): this {
    return this.add('HEAD', path, handler);
  }

  /** Finds the handler for a request; throws a Docker-style 404 when none matches. */
  match(method: string, rawUrl: string): { handler: Handler; ctx: Omit<RequestContext, 'req' | 'res' | 'upgrade'> } {
    const url = new URL(rawUrl, 'http://engine');
    let path = url.pathname;
    let apiVersion = API_VERSION;
    const versioned = /^\/v(\d+\.\d+)(\/.*)$/.exec(path);
    if (versioned) {
      apiVersion = versioned[1]!;
      path = versioned[2]!;
      if (compareVersions(apiVersion, MIN_API_VERSION) < 0) {
        throw badRequest(`client version ${apiVersion} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`);
      }
    }
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
      return { handler: route.handler, ctx: { method, path, params, query: url.searchParams, apiVersion } };
    }
    if (pathMatched) throw new ApiError(405, `method ${method} not allowed for ${path}`);
    throw notFound(`page not found`);
  }
}

export function compareVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am !== bm ? am - bm : an - bn;
}
