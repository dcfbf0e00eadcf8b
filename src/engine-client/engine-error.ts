// Every failure at the engine edge becomes one typed error whose message says
// what gantry was doing, to which object, and what the engine answered:
// `create container hello-web-1: Conflict. The container name … is already in use`.

import { GantryError } from '../common/errors.js';

export interface EngineErrorDetails {
  /** The HTTP status the engine answered with; undefined when it was never reached. */
  statusCode?: number;
  /** The engine's own words, without gantry's prefix. */
  engineMessage?: string;
  hint?: string;
  cause?: unknown;
}

export class EngineError extends GantryError {
  readonly statusCode?: number;
  readonly engineMessage?: string;

  constructor(message: string, details: EngineErrorDetails = {}) {
    super('engine', message, { hint: details.hint, cause: details.cause });
    this.name = 'EngineError';
    this.statusCode = details.statusCode;
    this.engineMessage = details.engineMessage;
  }
}

export function isEngineError(e: unknown): e is EngineError {
  return e instanceof EngineError;
}

/** True for the engine's 404: no such container, image, network or volume. */
export function isNotFound(e: unknown): boolean {
  return isEngineError(e) && e.statusCode === 404;
}

/** Socket-level failures, phrased for a person. */
export function describeNetworkError(e: unknown): string {
  const err = e as NodeJS.ErrnoException | undefined;
  const where = (err as { address?: string } | undefined)?.address;
  switch (err?.code) {
    case 'ENOENT':
      return where ? `no socket at ${where}` : 'no such socket';
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'EACCES':
      return where ? `permission denied on ${where}` : 'permission denied';
    case 'ENOTFOUND':
      return `unknown host ${(err as { hostname?: string }).hostname ?? ''}`.trim();
    case 'ETIMEDOUT':
      return 'timed out';
    case 'ECONNRESET':
      return 'the connection was reset';
    default:
      return err?.message ?? String(e);
  }
}
