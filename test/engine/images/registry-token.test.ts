// A registry behind Bearer token auth (docker-registry's `auth.token`): a
// small token server signs JWTs with a throwaway certificate the registry
// trusts. Anonymous clients get no access; the engine fetches a token with
// the credentials the client sends and pulls and pushes with it.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { startTestEngine, type TestEngine } from '../engine-fixture.js';
import { dockerAsync, freePort, startTestRegistry, type TestRegistry } from './registry-fixture.js';

describe('embedded engine: registry with Bearer token auth', function () {
  this.timeout(180_000);
  let registry: TestRegistry;
  let engine: TestEngine;
  let tokens: Server;
  const issued: Array<{ user: string; scope: string }> = [];
  const auth = (username: string, password: string) => Buffer.from(JSON.stringify({ username, password })).toString('base64url');

  before(async () => {
    const dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=gantry-test-token'], { stdio: 'ignore' });
    const key = readFileSync(join(dir, 'key.pem'), 'utf8');
    const certDer = readFileSync(join(dir, 'cert.pem'), 'utf8').replace(/-----[A-Z ]+-----|\s/g, '');
    const port = await freePort();
    tokens = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const [user, pass] = basic ? Buffer.from(basic, 'base64').toString().split(':') : ['', ''];
      if (basic && !(user === 'bob' && pass === 'hunter2')) {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }));
        return;
      }
      const scope = url.searchParams.get('scope') ?? '';
      issued.push({ user: user ?? '', scope });
      const [, name, actions] = /^repository:(.+):([a-z,]+)$/.exec(scope) ?? [];
      const now = Math.floor(Date.now() / 1000);
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const head = b64({ typ: 'JWT', alg: 'RS256', x5c: [certDer] });
      const claims = b64({
        iss: 'gantry-test',
        sub: user,
        aud: url.searchParams.get('service'),
        exp: now + 300,
        nbf: now - 10,
        iat: now - 10,
        jti: randomBytes(8).toString('hex'),
        // Anonymous callers get a token that grants nothing.
        access: user && name ? [{ type: 'repository', name, actions: actions!.split(',') }] : [],
      });
      const signature = sign('sha256', Buffer.from(`${head}.${claims}`), key).toString('base64url');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ token: `${head}.${claims}.${signature}` }));
    });
    await new Promise<void>((r) => tokens.listen(port, '127.0.0.1', r));
    registry = await startTestRegistry({
      extraConfig: `auth:\n  token:\n    realm: http://127.0.0.1:${port}/token\n    service: gantry-registry\n    issuer: gantry-test\n    rootcertbundle: ${join(dir, 'cert.pem')}\n`,
    });
    execFileSync('rm', ['-rf', dir]);
    engine = await startTestEngine();
  });
  after(async () => {
    await engine?.stop();
    await registry?.stop();
    await new Promise((r) => tokens?.close(r));
  });

  const api = async (path: string, xAuth?: string) => {
    const { request } = await import('node:http');
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ socketPath: engine.socketPath, method: 'POST', path, headers: xAuth ? { 'X-Registry-Auth': xAuth } : {} }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  };
  const lines = (body: string) => body.trim().split('\n').map((l) => JSON.parse(l) as { status?: string; error?: string });

  it('pushes with a token fetched with the client credentials', async () => {
    const name = `${registry.host}/team/busybox`;
    assert.equal((await dockerAsync(engine.host, ['tag', 'busybox:latest', `${name}:1`])).status, 0);
    const anon = await api(`/images/${encodeURIComponent(name)}/push?tag=1`);
    assert.match(lines(anon.body).at(-1)!.error ?? '', /unauthorized|denied|insufficient/i, anon.body);
    const r = await api(`/images/${encodeURIComponent(name)}/push?tag=1`, auth('bob', 'hunter2'));
    assert.equal(r.status, 200);
    const out = lines(r.body);
    assert.equal(out.find((l) => l.error)?.error, undefined, r.body);
    assert.ok(out.some((l) => /^1: digest: sha256:/.test(l.status ?? '')), r.body);
    assert.ok(issued.some((i) => i.user === 'bob' && i.scope === 'repository:team/busybox:pull,push'), JSON.stringify(issued));
  });

  it('pulls with a token; anonymously it is denied; bad credentials are refused by the token server', async () => {
    const name = `${registry.host}/team/busybox`;
    assert.equal((await dockerAsync(engine.host, ['rmi', `${name}:1`])).status, 0);
    const anon = await api(`/images/create?fromImage=${encodeURIComponent(name)}&tag=1`);
    assert.equal(anon.status, 404, anon.body);
    assert.match(JSON.parse(anon.body).message, /pull access denied for .*team\/busybox/);
    const bad = await api(`/images/create?fromImage=${encodeURIComponent(name)}&tag=1`, auth('bob', 'wrong'));
    assert.equal(bad.status, 404, bad.body);
    assert.match(JSON.parse(bad.body).message, /bad credentials/);
    const ok = await api(`/images/create?fromImage=${encodeURIComponent(name)}&tag=1`, auth('bob', 'hunter2'));
    assert.equal(ok.status, 200);
    const out = lines(ok.body);
    assert.equal(out.find((l) => l.error)?.error, undefined, ok.body);
    assert.match(out.at(-1)!.status ?? '', /Status: (Downloaded newer image|Image is up to date) for/);
  });
});
