// The one place errors become text. Library code throws; this renders.

import { GantryError, GantryErrors, exitCodeFor, ExitCode } from '../common/errors.js';
import type { Warning } from '../project/index.js';
import { formatPosition } from '../common/errors.js';
import { paint } from './style.js';

export function renderError(e: unknown, verbose: boolean): { text: string; code: number } {
  if (e instanceof GantryErrors) {
    const lines = e.errors.map((x) => formatOne(x));
    const head = e.errors.length > 1 ? `${paint.red('error')}: ${e.errors.length} problems\n` : '';
    return { text: head + lines.join('\n') + trace(e, verbose), code: exitCodeFor(e) };
  }
  if (e instanceof GantryError) return { text: formatOne(e) + trace(e, verbose), code: exitCodeFor(e) };
  const err = e as Error;
  // Anything else is a bug in gantry, not in the user's input: say so.
  const text = `${paint.red('error')}: ${err?.message ?? String(e)}` + (verbose ? `\n${err?.stack ?? ''}` : '\n  (internal error; run again with --verbose for the stack trace)');
  return { text, code: ExitCode.failure };
}

function formatOne(e: GantryError): string {
  // Schema messages already name the path; say it once.
  const where = e.path && e.message.includes(e.path) ? (e.position ? formatPosition(e.position) : '') : e.where;
  let out = `${paint.red('error')}: ${where ? `${paint.bold(where)}: ` : ''}${e.message}`;
  if (e.hint) out += `\n  ${paint.dim('hint:')} ${e.hint}`;
  return out;
}

function trace(e: Error, verbose: boolean): string {
  if (!verbose) return '';
  let out = `\n${e.stack ?? ''}`;
  if (e.cause instanceof Error) out += `\ncaused by: ${e.cause.stack ?? e.cause.message}`;
  return out;
}

export function renderWarning(w: Warning): string {
  const where = [w.position ? formatPosition(w.position) : undefined, w.path].filter(Boolean).join(': ');
  return `${paint.yellow('warning')}: ${where ? `${where}: ` : ''}${w.message}`;
}
