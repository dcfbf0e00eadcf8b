// What a registry refused, kept with its HTTP status and error code (the
// distribution spec's `{"errors":[{"code","message"}]}`), and phrased the
// way docker phrases it: `manifest unknown: manifest unknown`.

export class RegistryError extends Error {
  constructor(
    /** The registry's HTTP status; 0 when it could not be reached. */
    readonly status: number,
    /** `MANIFEST_UNKNOWN`, `UNAUTHORIZED`, …; '' when the body had none. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

/** A registry's error answer as a RegistryError, from its body when it has the spec's shape. */
export async function registryError(res: Response, what: string): Promise<RegistryError> {
  let text = '';
  try {
    text = (await readLimited(res, 64 * 1024)).toString('utf8');
  } catch {
    // An oversized or broken error body: the status says enough.
  }
  try {
    const body = JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> };
    const first = body.errors?.[0];
    if (first?.code) {
      const phrase = first.code.toLowerCase().replace(/_/g, ' ');
      return new RegistryError(res.status, first.code, first.message ? `${phrase}: ${first.message}` : phrase);
    }
  } catch {
    // Not JSON: fall through to the status line.
  }
  const detail = text.trim().split('\n')[0]?.slice(0, 200);
  return new RegistryError(res.status, '', `${what}: registry answered ${res.status} ${res.statusText}${detail ? `: ${detail}` : ''}`);
}

/** The body, refused once it passes `limit` bytes (manifests and configs are small; a huge one is hostile). */
export async function readLimited(res: Response, limit: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    await res.body?.cancel();
    throw new RegistryError(res.status, 'SIZE_LIMIT', `refusing a ${declared}-byte answer from ${res.url}: more than the ${limit}-byte limit`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new RegistryError(res.status, 'SIZE_LIMIT', `refusing an answer from ${res.url} larger than the ${limit}-byte limit`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}
