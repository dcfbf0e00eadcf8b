// The X-Registry-Auth header docker clients send with pull and push:
// base64url (or plain base64) JSON of what `docker login` stored.

import { badRequest } from '../../api/api-error.js';

export interface RegistryCredentials {
  username?: string;
  password?: string;
  serveraddress?: string;
  /** An OAuth refresh token from a login against a token server. */
  identitytoken?: string;
  /** A bearer token to send as is. */
  registrytoken?: string;
}

export function decodeRegistryAuth(header: string | string[] | undefined): RegistryCredentials {
  const parsed = base64JsonHeader(header, 'X-Registry-Auth');
  return parsed ? credentialsOf(parsed) : {};
}

/** A header carrying base64 (either alphabet, padding optional) JSON; undefined when absent or not an object. */
export function base64JsonHeader(header: string | string[] | undefined, name: string): Record<string, unknown> | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (!raw || !raw.trim()) return undefined;
  let parsed: unknown;
  try {
    // Buffer's base64 decoder takes both alphabets and missing padding.
    parsed = JSON.parse(Buffer.from(raw.trim(), 'base64').toString('utf8'));
  } catch {
    throw badRequest(`${name} is not base64-encoded JSON`);
  }
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
}

/** docker's AuthConfig, as `docker login` stored it, to credentials. */
export function credentialsOf(p: Record<string, unknown>): RegistryCredentials {
  const str = (k: string) => (typeof p[k] === 'string' && p[k] !== '' ? (p[k] as string) : undefined);
  const creds: RegistryCredentials = {
    username: str('username'),
    password: str('password'),
    serveraddress: str('serveraddress'),
    identitytoken: str('identitytoken'),
    registrytoken: str('registrytoken'),
  };
  // Some clients send only docker config's `auth` (base64 user:password).
  const auth = str('auth');
  if (auth && !creds.username) {
    const plain = Buffer.from(auth, 'base64').toString('utf8');
    const colon = plain.indexOf(':');
    if (colon > 0) {
      creds.username = plain.slice(0, colon);
      creds.password = plain.slice(colon + 1);
    }
  }
  return creds;
}
