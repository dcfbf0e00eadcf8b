// Which changed paths a watch rule acts on. A path counts unless an ignore
// rule drops it: the defaults docker compose applies (.git, editor swap and
// backup files), the rule's own `ignore` patterns (relative to its path), and
// the build context's .dockerignore when the path lies in the context. When
// the rule has `include` patterns, only files matching one of them count.
// Patterns have .dockerignore semantics (`*` within one level, `**` across
// levels, `!` to re-include).

import dockerignoreModule, { type Ignore } from '@balena/dockerignore';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { WatchRule } from './watch-rule.js';

// A CommonJS module whose typings declare an ES default: the factory is on both.
const dockerignore = dockerignoreModule.default;

/** Base names editors write beside a file while saving it (vim, emacs, JetBrains). */
const EDITOR_TEMP = [/~$/, /^\..*\.sw[a-px]$/, /^4913$/, /^\.#/, /^#.*#$/, /___jb_(tmp|old)___$/];

/** A build context's ignore file, already read. */
export interface ContextIgnore {
  dir: string;
  matcher: Ignore;
}

/**
 * The ignore file docker uses for a build: `<Dockerfile>.dockerignore` beside
 * the Dockerfile wins over `<context>/.dockerignore`. Undefined when neither exists.
 */
export function readContextIgnore(contextDir: string, dockerfile?: string): ContextIgnore | undefined {
  const candidates = [];
  if (dockerfile) candidates.push(`${isAbsolute(dockerfile) ? dockerfile : join(contextDir, dockerfile)}.dockerignore`);
  candidates.push(join(contextDir, '.dockerignore'));
  for (const file of candidates) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    return { dir: contextDir, matcher: dockerignore().add(ignoreLines(text)) };
  }
  return undefined;
}

/** The patterns of a .dockerignore file: one a line, `#` comments and blank lines dropped. */
export function ignoreLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

export class PathFilter {
  private readonly ignore: Ignore;
  private readonly include: Ignore | undefined;

  constructor(
    readonly rule: Pick<WatchRule, 'path' | 'ignore' | 'include'>,
    private readonly context?: ContextIgnore,
  ) {
    this.ignore = dockerignore().add(rule.ignore);
    this.include = rule.include.length ? dockerignore().add(rule.include) : undefined;
  }

  /** Inside the rule's path (the path itself included). */
  covers(path: string): boolean {
    return inside(this.rule.path, path) !== undefined;
  }

  /** Dropped by an ignore rule: not watched, and nothing below it either. */
  skips(path: string): boolean {
    const rel = inside(this.rule.path, path);
    if (rel === undefined) return true;
    if (isDefaultIgnored(rel || baseName(path))) return true;
    if (rel && this.ignore.ignores(rel)) return true;
    if (this.context) {
      const inContext = inside(this.context.dir, path);
      if (inContext && this.context.matcher.ignores(inContext)) return true;
    }
    return false;
  }

  /** A change to this path (a file, or a directory when `isDir`) triggers the rule. */
  accepts(path: string, isDir = false): boolean {
    if (this.skips(path)) return false;
    if (!this.include || isDir) return true;
    const rel = inside(this.rule.path, path);
    return rel === '' ? true : this.include.ignores(rel!);
  }
}

/** `.git` anywhere on the path, or an editor's temporary file. */
export function isDefaultIgnored(relPath: string): boolean {
  const parts = relPath.split('/');
  if (parts.includes('.git')) return true;
  const base = parts[parts.length - 1]!;
  return EDITOR_TEMP.some((re) => re.test(base));
}

/** `path` relative to `dir` with `/` separators; '' for `dir` itself; undefined when outside. */
export function inside(dir: string, path: string): string | undefined {
  const rel = relative(dir, path);
  if (rel === '') return '';
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return sep === '/' ? rel : rel.split(sep).join('/');
}

function baseName(path: string): string {
  return path.slice(dirname(path).length + 1);
}
