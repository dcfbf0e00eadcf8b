// Talking to one repository of a registry (distribution API v2): the `/v2/`
// ping tells which authentication the registry wants; Basic gets the
// credentials the client sent, Bearer a token from the realm (with those
// credentials, an identity token, or anonymously) scoped to this repository.

import { RegistryError, registryError, readLimited } from './registry-error.js';
import type { RegistryCredentials } from './registry-credentials.js';
import type { RegistryTarget } from './registry-target.js';
import { parseChallenges, type AuthChallenge } from './auth-challenge.js';

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  /** A Buffer can be sent again after a 401; a stream cannot, so auth is settled before it goes. */
  body?: Buffer | ReadableStream<Uint8Array>;
  signal?: AbortSignal;
}

export class RegistryClient {
  private authorization: string | undefined;
  private pinged = false;

  constructor(
    readonly target: RegistryTarget,
    private readonly creds: RegistryCredentials,
    /** `pull` or `pull,push`: the scope a Bearer token is asked for. */
    private readonly actions: string,
  ) {}

  /** `/v2/<repository>/<rest>`. */
  repoPath(rest: string): string {
    return `/v2/${this.target.repository}/${rest}`;
  }

  /** Sends a request, authenticating first; a path may be a full URL (upload locations). */
  async send(path: string, opts: SendOptions = {}): Promise<Response> {
    if (!this.pinged) await this.ping(opts.signal);
    let res = await this.fetch(path, opts);
    if (res.status === 401 && !(opts.body && !Buffer.isBuffer(opts.body))) {
      // A token may have expired or the repository may want more than the ping said.
      const challenges = parseChallenges(res.headers.get('www-authenticate'));
      if (challenges.length) {
        await res.body?.cancel();
        await this.authorize(challenges, opts.signal);
        res = await this.fetch(path, opts);
      }
    }
    return res;
  }

  /** `docker login`: the registry must accept the credentials at `/v2/` (or need none). */
  async login(signal?: AbortSignal): Promise<void> {
    await this.ping(signal);
    if (!this.authorization) return;
    const res = await this.fetch('/v2/', { signal });
    await res.body?.cancel();
    if (!res.ok) {
      throw new RegistryError(res.status === 403 ? 403 : 401, 'UNAUTHORIZED', `login attempt to ${this.target.endpoint}/v2/ failed with status: ${res.status} ${res.statusText}`);
    }
  }

  private url(path: string): string {
    return /^https?:\/\//.test(path) ? path : `${this.target.endpoint}${path}`;
  }

  private async fetch(path: string, opts: SendOptions): Promise<Response> {
    const url = this.url(path);
    const headers: Record<string, string> = { 'User-Agent': 'gantry-engine', ...opts.headers };
    if (this.authorization) headers.Authorization = this.authorization;
    try {
      return await fetch(url, {
        method: opts.method ?? 'GET',
        headers,
        body: opts.body,
        signal: opts.signal,
        redirect: 'follow',
        ...(opts.body && !Buffer.isBuffer(opts.body) ? { duplex: 'half' } : {}),
      } as RequestInit);
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      const cause = (e as { cause?: Error }).cause;
      let why = cause?.message ?? (e as Error).message;
      // Node's fetch refuses the ports of the WHATWG blocked list (6000, 10080, …) before connecting.
      if (why === 'bad port') why = `port ${new URL(url).port} is one the HTTP client refuses to use (WHATWG blocked ports); serve the registry on another port`;
      throw new RegistryError(0, 'UNREACHABLE', `${opts.method ?? 'GET'} "${url}": ${why}`);
    }
  }

  private async ping(signal?: AbortSignal): Promise<void> {
    const res = await this.fetch('/v2/', { signal });
    this.pinged = true;
    if (res.status === 401) {
      await res.body?.cancel();
      await this.authorize(parseChallenges(res.headers.get('www-authenticate')), signal);
      return;
    }
    if (!res.ok) throw await registryError(res, `ping ${this.target.endpoint}/v2/`);
    await res.body?.cancel();
  }

  private async authorize(challenges: AuthChallenge[], signal?: AbortSignal): Promise<void> {
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    if (bearer) {
      this.authorization = `Bearer ${this.creds.registrytoken ?? (await this.fetchToken(bearer, signal))}`;
      return;
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      if (this.creds.username === undefined) {
        throw new RegistryError(401, 'UNAUTHORIZED', `no basic auth credentials for ${this.target.registry}`);
      }
      this.authorization = `Basic ${Buffer.from(`${this.creds.username}:${this.creds.password ?? ''}`).toString('base64')}`;
      return;
    }
    throw new RegistryError(401, 'UNAUTHORIZED', `${this.target.registry} asks for an authentication scheme this engine does not speak: ${challenges.map((c) => c.scheme).join(', ') || 'none'}`);
  }

  private async fetchToken(challenge: AuthChallenge, signal?: AbortSignal): Promise<string> {
    const realm = challenge.params.realm;
    if (!realm || !/^https?:\/\//.test(realm)) throw new RegistryError(401, 'UNAUTHORIZED', `${this.target.registry} sent a Bearer challenge without a usable realm`);
    // A login asks for no repository, so for no scope.
    const scope = this.target.repository ? `repository:${this.target.repository}:${this.actions}` : '';
    const service = challenge.params.service;
    let res: Response;
    try {
      if (this.creds.identitytoken) {
        const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: this.creds.identitytoken, client_id: 'gantry' });
        if (scope) form.set('scope', scope);
        if (service) form.set('service', service);
        res = await fetch(realm, { method: 'POST', body: form, signal });
      } else {
        const url = new URL(realm);
        if (service) url.searchParams.set('service', service);
        if (scope) url.searchParams.set('scope', scope);
        const headers: Record<string, string> = {};
        if (this.creds.username !== undefined) {
          headers.Authorization = `Basic ${Buffer.from(`${this.creds.username}:${this.creds.password ?? ''}`).toString('base64')}`;
          url.searchParams.set('account', this.creds.username);
        }
        res = await fetch(url, { headers, signal });
      }
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new RegistryError(0, 'UNREACHABLE', `fetching a token from ${realm}: ${(e as { cause?: Error }).cause?.message ?? (e as Error).message}`);
    }
    if (!res.ok) {
      const err = await registryError(res, `token from ${realm}`);
      throw new RegistryError(res.status === 401 || res.status === 403 ? 401 : res.status, 'UNAUTHORIZED', err.message);
    }
    let body: { token?: string; access_token?: string };
    try {
      body = JSON.parse((await readLimited(res, 1024 * 1024)).toString('utf8')) as typeof body;
    } catch (e) {
      throw new RegistryError(502, 'UNAUTHORIZED', `token server ${realm} answered with no JSON: ${(e as Error).message}`);
    }
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError(502, 'UNAUTHORIZED', `token server ${realm} answered without a token`);
    return token;
  }
}
