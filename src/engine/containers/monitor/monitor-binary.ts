import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The compiled monitor lives in <package>/dist/native whether this module runs
 * compiled (dist/src/…) or from source under tsx (src/…): find the package root
 * by its package.json and look there.
 */
export function monitorBinaryPath(): string {
  const root = packageRoot(dirname(fileURLToPath(import.meta.url)));
  const binary = join(root, 'dist', 'native', 'gantry-monitor');
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    throw new Error(`the container monitor ${binary} is missing or not executable: run npm run build`);
  }
  return binary;
}

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}: cannot locate the container monitor`);
  }
}
