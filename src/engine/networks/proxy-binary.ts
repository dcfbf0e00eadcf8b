import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The compiled splice proxy (native/gantry-proxy.c) lives in
 * <package>/dist/native whether this module runs compiled or from source
 * under tsx. Undefined when it is not built: the engine then relays in Node,
 * slower but the same on the wire.
 */
export function proxyBinaryPath(): string | undefined {
  const root = packageRoot(dirname(fileURLToPath(import.meta.url)));
  const binary = root && join(root, 'dist', 'native', 'gantry-proxy');
  if (!binary) return undefined;
  try {
    accessSync(binary, constants.X_OK);
    return binary;
  } catch {
    return undefined;
  }
}

function packageRoot(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
