// `.env` / `env_file` syntax.
import type { Lookup } from './context.js';

/**
 * Parse dotenv text: `K=V`, `export K=V`, comments, single quotes literal,
 * double quotes with escapes and interpolation, unquoted with interpolation
 * and ` #` comments; `K` alone is left out (unset). Values may reference
 * earlier keys of the same file, then `lookup`. Errors are GantryError('file'|'interpolation')
 * naming file:line.
 */
export function parseDotEnv(text: string, file: string, lookup: Lookup = () => undefined): Record<string, string> {
  void text; void file; void lookup;
  throw new Error('not implemented');
}
