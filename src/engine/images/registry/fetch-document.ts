// Small JSON documents from a registry (manifests, configs), size-capped and
// checked against the digest that named them before anything trusts them.

import { sha256 } from '../blob-ingest.js';
import type { RegistryClient } from './registry-client.js';
import { DOCUMENT_LIMIT, MANIFEST_ACCEPT } from './manifests.js';
import { RegistryError, readLimited, registryError } from './registry-error.js';

export interface FetchedDocument {
  bytes: Buffer;
  digest: string;
  contentType: string | null;
}

/** A manifest by tag or digest; its digest is computed here (a registry's header is not trusted). */
export async function fetchManifest(client: RegistryClient, reference: string, signal?: AbortSignal): Promise<FetchedDocument> {
  const res = await client.send(client.repoPath(`manifests/${reference}`), { headers: { Accept: MANIFEST_ACCEPT }, signal });
  if (!res.ok) throw await registryError(res, `manifest ${reference}`);
  const bytes = await readLimited(res, DOCUMENT_LIMIT);
  const digest = sha256(bytes);
  if (reference.startsWith('sha256:') && digest !== reference) {
    throw new RegistryError(502, 'DIGEST_INVALID', `manifest ${reference} from the registry has digest ${digest}`);
  }
  return { bytes, digest, contentType: res.headers.get('content-type') };
}

/** A config blob, refused when over the limit or when it is not what its digest says. */
export async function fetchConfig(client: RegistryClient, digest: string, signal?: AbortSignal): Promise<Buffer> {
  const res = await client.send(client.repoPath(`blobs/${digest}`), { signal });
  if (!res.ok) throw await registryError(res, `config blob ${digest}`);
  const bytes = await readLimited(res, DOCUMENT_LIMIT);
  const got = sha256(bytes);
  if (got !== digest) throw new RegistryError(502, 'DIGEST_INVALID', `config blob ${digest} from the registry has digest ${got}`);
  return bytes;
}
