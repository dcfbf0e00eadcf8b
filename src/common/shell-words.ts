// Split a command line into words the way a POSIX shell would, without
// running anything: quotes and backslashes are honoured, nothing is expanded.
// `command: echo "a b"` in a compose file becomes ['echo', 'a b'].

export interface ShellWords {
  words: string[];
  /** Unquoted `;`, `&`, `|`, `<`, `>` seen: they stay literal words, no shell runs them. */
  operators: string[];
}

export class ShellSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = 'ShellSyntaxError';
  }
}

// Inside double quotes a backslash only escapes these (POSIX 2.2.3).
const DOUBLE_QUOTE_ESCAPABLE = new Set(['$', '`', '"', '\\', '\n']);
const OPERATOR_CHARS = new Set([';', '&', '|', '<', '>']);

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}

/** Split `line` into words; throws ShellSyntaxError for an unclosed quote or a trailing backslash. */
export function splitShellWords(line: string): ShellWords {
  const words: string[] = [];
  const operators: string[] = [];
  let buf = '';
  // A word exists once anything, even an empty quoted string, was written.
  let inWord = false;
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i]!;
    if (isBlank(c)) {
      if (inWord) {
        words.push(buf);
        buf = '';
        inWord = false;
      }
      i++;
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= n) throw new ShellSyntaxError('a backslash at the end escapes nothing', i);
      const next = line[i + 1]!;
      // Backslash-newline is a line continuation: both vanish.
      if (next !== '\n') {
        buf += next;
        inWord = true;
      }
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError('a single quote is never closed', i);
      buf += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      const start = i;
      i++;
      let closed = false;
      while (i < n) {
        const d = line[i]!;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < n && DOUBLE_QUOTE_ESCAPABLE.has(line[i + 1]!)) {
          if (line[i + 1] !== '\n') buf += line[i + 1];
          i += 2;
          continue;
        }
        buf += d;
        i++;
      }
      if (!closed) throw new ShellSyntaxError('a double quote is never closed', start);
      inWord = true;
      continue;
    }
    if (OPERATOR_CHARS.has(c)) {
      let j = i + 1;
      while (j < n && OPERATOR_CHARS.has(line[j]!)) j++;
      operators.push(line.slice(i, j));
      buf += line.slice(i, j);
      inWord = true;
      i = j;
      continue;
    }
    buf += c;
    inWord = true;
    i++;
  }
  if (inWord) words.push(buf);
  return { words, operators };
}
