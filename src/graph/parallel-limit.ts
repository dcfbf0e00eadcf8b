// How many engine operations may run at once: `--parallel N` or
// COMPOSE_PARALLEL_LIMIT, as docker compose reads them. Low-memory hosts use
// it to keep a large `up` from pulling and starting everything together.

import { GantryError } from '../common/errors.js';

export const PARALLEL_LIMIT_VARIABLE = 'COMPOSE_PARALLEL_LIMIT';

/**
 * The traversal limit: the flag wins over the variable; -1, an unset or an
 * empty value mean no limit (Infinity). Anything but -1 or a whole number
 * ≥ 1 is a `usage` error.
 */
export function parallelLimit(env: Readonly<Record<string, string | undefined>>, flag?: string | number): number {
  if (flag !== undefined) return parse(flag, '--parallel');
  const value = env[PARALLEL_LIMIT_VARIABLE];
  if (value === undefined || value.trim() === '') return Infinity;
  return parse(value, PARALLEL_LIMIT_VARIABLE);
}

function parse(raw: string | number, source: string): number {
  const text = typeof raw === 'number' ? String(raw) : raw.trim();
  const n = /^-?\d+$/.test(text) ? Number(text) : NaN;
  if (n === -1) return Infinity;
  if (Number.isSafeInteger(n) && n >= 1) return n;
  throw new GantryError('usage', `${source} must be a whole number of at least 1, or -1 for no limit; got "${raw}"`, {
    hint: `e.g. ${source === '--parallel' ? '--parallel 4' : `${PARALLEL_LIMIT_VARIABLE}=4`} runs at most 4 operations at once`,
  });
}
