// A local TCP (or TLS) listener that relays every connection to the test
// engine, so the tcp:// and TLS paths of the client can be tested for real
// against an engine that itself listens only on a unix socket.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { chooseHost } from '../../src/engine-client/engine-host.js';
import { scratchDir } from '../scratch-dir.js';

export interface Relay {
  port: number;
  close(): Promise<void>;
}

export interface TlsFiles {
  /** Holds ca.pem, cert.pem, key.pem for the client (DOCKER_CERT_PATH). */
  clientDir: string;
  server: { key: Buffer; cert: Buffer; ca: Buffer };
}

/** Where the test engine listens, as a function that opens a connection to it. */
function engineDialer(): () => Socket {
  const { endpoint, url } = chooseHost({ env: process.env });
  if (endpoint.kind === 'unix') return () => createConnection({ path: endpoint.socketPath, allowHalfOpen: true });
  if (endpoint.kind === 'tcp' && !endpoint.tls) return () => createConnection({ host: endpoint.host, port: endpoint.port, allowHalfOpen: true });
  throw new Error(`the relay cannot reach the test engine at ${url}; point DOCKER_HOST at a unix socket or plain tcp://`);
}

export async function startRelay(tls?: TlsFiles['server']): Promise<Relay> {
  const dial = engineDialer();
  const sockets = new Set<Socket>();
  const onClient = (client: Socket) => {
    const engine = dial();
    sockets.add(client).add(engine);
    client.pipe(engine).pipe(client);
    const drop = () => {
      client.destroy();
      engine.destroy();
    };
    client.on('error', drop).on('close', drop);
    engine.on('error', drop).on('close', drop);
  };
  // Half-open both ways: a client closing its stdin must not cut off the output still coming back.
  const server: Server = tls
    ? createTlsServer({ ...tls, requestCert: true, rejectUnauthorized: true, allowHalfOpen: true }, onClient)
    : createServer({ allowHalfOpen: true }, onClient);
  server.on('tlsClientError', () => {});
  // Every raw connection, including those whose TLS handshake failed, so close() can end them all.
  server.on('connection', (s: Socket) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A throwaway CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
export function makeTlsFiles(): TlsFiles {
  const dir = scratchDir('gantry-ec-tls-');
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const key = (name: string) => ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', name];
  ssl('req', '-x509', ...key('ca-key.pem'), '-out', 'ca.pem', '-days', '1', '-subj', '/CN=gantry-test-ca');
  const sign = (name: string, subject: string, ext: string) => {
    writeFileSync(join(dir, `${name}.ext`), ext + '\n');
    ssl('req', ...key(`${name}-key.pem`), '-out', `${name}.csr`, '-subj', subject);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${name}.pem`, '-days', '1', '-extfile', `${name}.ext`);
  };
  sign('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1');
  sign('client', '/CN=gantry-test-client', 'extendedKeyUsage=clientAuth');
  const clientDir = join(dir, 'client');
  execFileSync('mkdir', [clientDir]);
  writeFileSync(join(clientDir, 'ca.pem'), readFileSync(join(dir, 'ca.pem')));
  writeFileSync(join(clientDir, 'cert.pem'), readFileSync(join(dir, 'client.pem')));
  writeFileSync(join(clientDir, 'key.pem'), readFileSync(join(dir, 'client-key.pem')));
  return {
    clientDir,
    server: { key: readFileSync(join(dir, 'server-key.pem')), cert: readFileSync(join(dir, 'server.pem')), ca: readFileSync(join(dir, 'ca.pem')) },
  };
}
