// Registry credentials the way the docker CLI keeps them: the `auths` map of
// ~/.docker/config.json (or $DOCKER_CONFIG/config.json), keyed by registry
// host, Docker Hub under its historical index URL. Credential helpers are
// not run; without a stored entry the engine gets an empty auth, which a
// public or local registry accepts.

import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_REGISTRY, parseImageReference } from '../common/image-ref.js';
import type { RegistryAuth } from '../engine-client/index.js';

const HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];

interface StoredAuth {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

export async function registryAuth(image: string, env: Record<string, string | undefined> = process.env): Promise<RegistryAuth> {
  let registry: string;
  try {
    registry = parseImageReference(image).registry;
  } catch {
    return {};
  }
  const dir = env.DOCKER_CONFIG ?? join(env.HOME ?? homedir(), '.docker');
  let auths: Record<string, StoredAuth>;
  try {
    auths = (JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { auths?: Record<string, StoredAuth> }).auths ?? {};
  } catch {
    return {};
  }
  const keys = registry === DEFAULT_REGISTRY ? HUB_KEYS : [registry, `https://${registry}`, `http://${registry}`];
  const entry = keys.map((k) => auths[k] ?? auths[`${k}/`]).find((e) => e !== undefined);
  if (!entry) return {};
  let { username, password } = entry;
  if (entry.auth) {
    const plain = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = plain.indexOf(':');
    if (colon > 0) {
      username = plain.slice(0, colon);
      password = plain.slice(colon + 1);
    }
  }
  return { username, password, identitytoken: entry.identitytoken, registrytoken: entry.registrytoken, serveraddress: registry === DEFAULT_REGISTRY ? HUB_KEYS[0] : registry };
}
