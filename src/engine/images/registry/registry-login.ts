// `POST /auth` (docker login): checks credentials against the registry; the
// client stores them and sends them with every later pull and push.

import { ApiError, badRequest, serverError } from '../../api/api-error.js';
import { RegistryClient } from './registry-client.js';
import { RegistryError } from './registry-error.js';
import { loginTarget } from './registry-target.js';

export interface LoginRequest {
  username?: string;
  password?: string;
  serveraddress?: string;
  identitytoken?: string;
}

export async function registryLogin(body: LoginRequest, signal?: AbortSignal): Promise<{ Status: string; IdentityToken: string }> {
  if (typeof body !== 'object' || body === null) throw badRequest('login body must be a JSON object');
  const target = loginTarget(body.serveraddress);
  const client = new RegistryClient(target, { username: body.username, password: body.password, identitytoken: body.identitytoken }, 'pull');
  try {
    await client.login(signal);
  } catch (e) {
    if (!(e instanceof RegistryError)) throw e;
    // 401 is what docker answers for refused credentials; the CLI prints the message.
    if (e.status === 401 || e.status === 403) throw new ApiError(401, e.message.startsWith('login attempt') ? e.message : `login to ${target.registry} failed: ${e.message}`);
    throw serverError(e.message);
  }
  return { Status: 'Login Succeeded', IdentityToken: '' };
}
