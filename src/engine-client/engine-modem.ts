// A chosen host → dockerode's transport (docker-modem) configured for it.
// Every connection setting is given explicitly: docker-modem otherwise fills
// gaps from process.env, which would let a stray DOCKER_HOST override --host.

import { existsSync, readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { GantryError } from '../common/errors.js';
import type { HostChoice } from './engine-host.js';

/** dockerode's transport, named through dockerode so only dockerode is a direct dependency. */
export type EngineModem = Dockerode['modem'];

export function createModem(choice: HostChoice, env: Record<string, string | undefined>): EngineModem {
  const ep = choice.endpoint;
  const none = { socketPath: undefined, host: undefined, port: undefined, protocol: undefined, ca: undefined, cert: undefined, key: undefined, timeout: undefined, username: undefined };
  let options: Dockerode.DockerOptions;
  if (ep.kind === 'unix') {
    options = { ...none, socketPath: ep.socketPath };
  } else if (ep.kind === 'tcp') {
    options = { ...none, host: ep.host, port: ep.port, protocol: ep.tls ? 'https' : 'http' };
    if (ep.tls) {
      const certs = ep.tls.certPath ? readCerts(ep.tls.certPath, choice.url) : {};
      if (ep.tls.verify) Object.assign(options, certs);
      // Certificates without DOCKER_TLS_VERIFY: encrypt and present the client
      // certificate, but do not check the server's, as the docker CLI does.
      else (options as { agent?: HttpsAgent }).agent = new HttpsAgent({ ...certs, rejectUnauthorized: false });
    }
  } else {
    options = {
      ...none,
      protocol: 'ssh',
      host: ep.host,
      port: ep.port,
      username: ep.username ?? env.USER ?? safeUserName(),
      sshOptions: sshIdentity(env),
    };
  }
  try {
    return new Dockerode(options).modem;
  } catch (e) {
    throw new GantryError('engine', `cannot set up the connection to the container engine at ${choice.url}: ${(e as Error).message}`, { cause: e });
  }
}

function readCerts(dir: string, url: string): { ca: Buffer; cert: Buffer; key: Buffer } {
  try {
    return {
      ca: readFileSync(join(dir, 'ca.pem')),
      cert: readFileSync(join(dir, 'cert.pem')),
      key: readFileSync(join(dir, 'key.pem')),
    };
  } catch (e) {
    throw new GantryError('file', `cannot read the TLS certificates for ${url} in ${dir}: ${(e as Error).message}`, {
      hint: 'DOCKER_CERT_PATH must hold ca.pem, cert.pem and key.pem',
      cause: e,
    });
  }
}

/** The ssh agent if there is one, else the first default key, as `ssh` would try. */
function sshIdentity(env: Record<string, string | undefined>): { agent?: string; privateKey?: Buffer } {
  if (env.SSH_AUTH_SOCK) return { agent: env.SSH_AUTH_SOCK };
  const home = env.HOME ?? homedir();
  for (const name of ['id_ed25519', 'id_ecdsa', 'id_rsa']) {
    const p = join(home, '.ssh', name);
    if (existsSync(p)) return { privateKey: readFileSync(p) };
  }
  return {};
}

function safeUserName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}
