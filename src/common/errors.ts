// Errors are values with context: what went wrong, where (a compose file
// position or an API field), and what would be right. Library code throws
// GantryError; only the CLI renders it, once.

/** A place in a source file; line and col are 1-based. */
export interface Position {
  file: string;
  line: number;
  col: number;
}

export type ErrorKind =
  | 'usage' // bad command-line arguments or options
  | 'file' // a file cannot be found or read
  | 'yaml' // YAML syntax or structure (duplicate keys, bad tags)
  | 'interpolation' // ${VAR:?msg} and malformed expressions
  | 'schema' // the compose file does not match the Compose Specification
  | 'reference' // a name that points at nothing (service, network, ...)
  | 'cycle' // a dependency cycle (depends_on, extends, include)
  | 'value' // a well-typed value with bad content (duration, port, image ref)
  | 'engine' // the container engine refused or failed
  | 'internal';

export interface ErrorDetails {
  /** Tree path of the offending node, e.g. `services.web.ports[0]`. */
  path?: string;
  /** Where the offending node is written. */
  position?: Position;
  /** What would be right, phrased for a person: "did you mean …?", "use …". */
  hint?: string;
  cause?: unknown;
}

export class GantryError extends Error {
  readonly kind: ErrorKind;
  readonly path?: string;
  readonly position?: Position;
  readonly hint?: string;

  constructor(kind: ErrorKind, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'GantryError';
    this.kind = kind;
    this.path = details.path;
    this.position = details.position;
    this.hint = details.hint;
  }

  /** One-line location prefix: `compose.yaml:3:5: services.web.ports[0]`. */
  get where(): string {
    const parts: string[] = [];
    if (this.position) parts.push(formatPosition(this.position));
    if (this.path) parts.push(this.path);
    return parts.join(': ');
  }
}

/** Several independent errors found in one pass (e.g. schema validation). */
export class GantryErrors extends GantryError {
  readonly errors: GantryError[];
  constructor(errors: GantryError[]) {
    const first = errors[0];
    super(first?.kind ?? 'internal', first?.message ?? 'errors', {
      path: first?.path,
      position: first?.position,
      hint: first?.hint,
    });
    this.errors = errors;
  }
}

export function formatPosition(p: Position): string {
  return `${p.file}:${p.line}:${p.col}`;
}

export function isGantryError(e: unknown): e is GantryError {
  return e instanceof GantryError;
}

/** Exit codes the CLI documents in README.md. */
export const ExitCode = {
  ok: 0,
  // The command ran and something failed (engine error, failed dependency).
  failure: 1,
  // The compose model is invalid (file, YAML, interpolation, schema, reference,
  // cycle). Distinct from 1 so scripts can tell "fix your file" from "it broke".
  invalid: 15,
  usage: 2,
  interrupted: 130,
} as const;

export function exitCodeFor(e: GantryError): number {
  switch (e.kind) {
    case 'usage':
      return ExitCode.usage;
    case 'file':
    case 'yaml':
    case 'interpolation':
    case 'schema':
    case 'reference':
    case 'cycle':
    case 'value':
      return ExitCode.invalid;
    default:
      return ExitCode.failure;
  }
}
