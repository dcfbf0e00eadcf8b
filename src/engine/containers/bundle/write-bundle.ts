import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OciSpec } from './oci-types.js';

// config.json holds the container's env, which may carry secrets: owner-only.
// Written through a temporary name so runc never reads half a file.
export async function writeBundle(dir: string, spec: OciSpec): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, 'config.json');
  const temporary = `${path}.tmp`;
  await writeFile(temporary, `${JSON.stringify(spec, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
  return path;
}
