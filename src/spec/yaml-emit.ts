// A fast YAML emitter for plain JSON-like data, for `compose config`.
//
// Block style only, 2-space indentation, keys in insertion order. The
// general-purpose `yaml` package builds a document tree before it writes;
// for a 1,000-service project that costs more than the whole loader, so this
// writes text directly in one pass.
//
// The one hard rule is that every reader reads back exactly the data that
// went in: a string is written plain only when neither a YAML 1.2 reader nor
// a YAML 1.1 one (PyYAML, go-yaml v2: `yes`, `on`, `0755`, `1_000`, `1:30`)
// could take it for a number, boolean, null or date, or for YAML syntax;
// otherwise it is double-quoted with escapes. Multi-line strings become `|`
// block scalars when that is exact, and double-quoted strings when it is
// not (trailing spaces, leading indentation, control characters).

const PADS: string[] = [''];
function pad(n: number): string {
  let p = PADS[n];
  if (p === undefined) {
    p = ' '.repeat(n);
    PADS[n] = p;
  }
  return p;
}

// YAML 1.1 and 1.2 booleans and nulls, compared case-insensitively (quoting
// `yEs` too is harmless; missing `YES` is not).
const TYPED_WORD = /^(?:y|yes|n|no|true|false|on|off|null|~)$/i;
// Anything either version could read as an integer or float: signs, 0b/0o/0x,
// underscores, sexagesimal `1:30`, dotted `1.2.3` and a bare `.` (YAML 1.1's
// float pattern allows them), exponents with or without digits before them
// (`e5` is a float to the yaml package's 1.1 schema), .inf and .nan.
const NUMBER_LIKE =
  /^[-+]?(?:0b[01_]+|0o[0-7_]+|0x[0-9a-f_]+|(?:[0-9][0-9_]*)?(?::[0-5]?[0-9])*(?:\.[0-9_.]*)?(?:e[-+]?[0-9]+)?|\.(?:inf|nan))$/i;
// YAML 1.1 timestamps start with a date.
const DATE_LIKE = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/;

type Style = 'plain' | 'quoted' | 'block';

/** Whether a character must be written as an escape (outside block scalars, tab and newline too). */
function mustEscape(c: number): boolean {
  if (c < 0x20) return c !== 0x09 && c !== 0x0a;
  if (c < 0x7f) return false;
  if (c <= 0x9f) return true; // DEL and C1 controls, NEL (a line break to YAML 1.1)
  if (c < 0x2028) return false;
  // Line/paragraph separators (line breaks to YAML 1.1), lone surrogates
  // (checked by the caller), BOM, non-characters.
  return c === 0x2028 || c === 0x2029 || c === 0xfeff || c === 0xfffe || c === 0xffff;
}

function isIndicator(c: number): boolean {
  switch (c) {
    case 0x2d: // -
    case 0x3f: // ?
    case 0x3a: // :
    case 0x2c: // ,
    case 0x5b: // [
    case 0x5d: // ]
    case 0x7b: // {
    case 0x7d: // }
    case 0x23: // #
    case 0x26: // &
    case 0x2a: // *
    case 0x21: // !
    case 0x7c: // |
    case 0x3e: // >
    case 0x27: // '
    case 0x22: // "
    case 0x25: // %
    case 0x40: // @
    case 0x60: // `
      return true;
    default:
      return false;
  }
}

/** How to write a string. `allowBlock` is false for mapping keys. */
function styleOf(s: string, allowBlock: boolean): Style {
  const n = s.length;
  if (n === 0) return 'quoted';
  let escape = false;
  let newline = false;
  let tab = false;
  let trailingSpace = false; // a line that ends in a space or tab
  let syntax = false; // ": ", " #", or a final ":"
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      // A surrogate pair is fine; a lone half cannot be written as UTF-8.
      if (c <= 0xdbff && i + 1 < n) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          i++;
          continue;
        }
      }
      escape = true;
      break;
    }
    if (mustEscape(c)) {
      escape = true;
      break;
    }
    if (c === 0x0a) {
      newline = true;
      const p = i > 0 ? s.charCodeAt(i - 1) : 0;
      if (p === 0x20 || p === 0x09) trailingSpace = true;
    } else if (c === 0x09) tab = true;
    else if (c === 0x3a) {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0x20;
      if (d === 0x20) syntax = true;
    } else if (c === 0x23 && i > 0 && s.charCodeAt(i - 1) === 0x20) syntax = true;
  }
  if (escape) return 'quoted';
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(n - 1);
  if (newline) {
    if (!allowBlock) return 'quoted';
    if (last === 0x20 || last === 0x09) trailingSpace = true;
    // The first line sets the block's indentation, so it must start with text.
    if (trailingSpace || first === 0x20 || first === 0x09 || first === 0x0a) return 'quoted';
    return 'block';
  }
  if (tab || syntax || first === 0x20 || last === 0x20) return 'quoted';
  if (isIndicator(first)) {
    // `--flag` is a fine plain scalar; `-`, `- x`, `-1` and `---` are not.
    if (first !== 0x2d || n === 1) return 'quoted';
    const second = s.charCodeAt(1);
    if (second === 0x20 || s.startsWith('---')) return 'quoted';
  }
  if ((first >= 0x30 && first <= 0x39) || first === 0x2b || first === 0x2d || first === 0x2e || (first | 0x20) === 0x65) {
    if (NUMBER_LIKE.test(s) || DATE_LIKE.test(s) || s.startsWith('...')) return 'quoted';
  } else if (n <= 5 && TYPED_WORD.test(s)) return 'quoted';
  else if (first === 0x3c && s === '<<') return 'quoted'; // merge key
  else if (first === 0x3d && s === '=') return 'quoted'; // YAML 1.1 value key
  return 'plain';
}

const SHORT_ESCAPES: Record<number, string> = {
  0x00: '\\0',
  0x07: '\\a',
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0b: '\\v',
  0x0c: '\\f',
  0x0d: '\\r',
  0x1b: '\\e',
  0x22: '\\"',
  0x5c: '\\\\',
  0x85: '\\N',
  0x2028: '\\L',
  0x2029: '\\P',
};

function hex(c: number, width: number): string {
  return c.toString(16).toUpperCase().padStart(width, '0');
}

function doubleQuoted(s: string): string {
  let out = '"';
  let from = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c === 0x22 || c === 0x5c || c === 0x09 || c === 0x0a) esc = SHORT_ESCAPES[c];
    else if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      esc = '\\u' + hex(c, 4);
    } else if (mustEscape(c)) esc = SHORT_ESCAPES[c] ?? (c <= 0xff ? '\\x' + hex(c, 2) : '\\u' + hex(c, 4));
    if (esc !== undefined) {
      out += s.slice(from, i) + esc;
      from = i + 1;
    }
  }
  return out + s.slice(from) + '"';
}

// The text being written. toYaml is synchronous and calls nothing outside
// this module, so one accumulator serves every call; appending to it avoids
// building and copying a string per nested block. The accumulator is handed
// to `chunks` every few kilobytes and flattened there: one rope of a whole
// big document (hundreds of thousands of small pieces) lived long enough
// for every young-generation collection to copy it, which was most of the
// emitter's time.
let out = '';
let chunks: string[] = [];
const CHUNK = 16 * 1024;

function flush(): void {
  // Reading a character makes V8 flatten the rope into one string now, while its pieces are still young.
  out.charCodeAt(0);
  chunks.push(out);
  out = '';
}

/** `|`, `|-` or `|+` and the lines at `indent`; ends with a newline. */
function writeBlockScalar(s: string, indent: number): void {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x0a) end--;
  const trailing = s.length - end;
  out += trailing === 0 ? '|-\n' : trailing === 1 ? '|\n' : '|+\n';
  const p = pad(indent);
  let start = 0;
  while (start <= end) {
    let nl = s.indexOf('\n', start);
    if (nl < 0 || nl > end) nl = end;
    out += nl === start ? '\n' : p + s.slice(start, nl) + '\n';
    start = nl + 1;
  }
  // Keep chomping: the lines after the last text line are part of the value.
  for (let k = 1; k < trailing; k++) out += '\n';
}

function numberText(v: number): string {
  if (Number.isNaN(v)) return '.nan';
  if (v === Infinity) return '.inf';
  if (v === -Infinity) return '-.inf';
  if (Object.is(v, -0)) return '-0.0';
  const t = String(v);
  // YAML 1.1 floats need a dot: `1e+21` would read back as a string there.
  const e = t.indexOf('e');
  if (e >= 0 && t.indexOf('.') < 0) return t.slice(0, e) + '.0' + t.slice(e);
  return t;
}

/** A scalar on the current line (after `key: ` or `- `) and its newline. `indent` is for block scalars. */
function writeScalar(v: unknown, indent: number): void {
  switch (typeof v) {
    case 'string': {
      const style = styleOf(v, true);
      if (style === 'plain') out += v + '\n';
      else if (style === 'quoted') out += doubleQuoted(v) + '\n';
      else writeBlockScalar(v, indent);
      return;
    }
    case 'number':
      out += numberText(v) + '\n';
      return;
    case 'boolean':
      out += v ? 'true\n' : 'false\n';
      return;
    case 'bigint':
      out += String(v) + '\n';
      return;
    default:
      // null, and undefined in a sequence (as JSON.stringify writes it).
      out += 'null\n';
  }
}

// Mapping keys repeat a lot (every service has `image`, `environment`, ...).
const keyTexts = new Map<string, string>();
function keyText(k: string): string {
  let t = keyTexts.get(k);
  if (t === undefined) {
    t = styleOf(k, false) === 'plain' ? k : doubleQuoted(k);
    if (keyTexts.size > 10_000) keyTexts.clear();
    keyTexts.set(k, t);
  }
  return t;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEmptyMapping(v: Record<string, unknown>): boolean {
  for (const k in v) if (v[k] !== undefined && Object.hasOwn(v, k)) return false;
  return true;
}

/** What follows `key:` — a space and a scalar, or a newline and a nested block. */
function writeAfterKey(v: unknown, indent: number): void {
  if (Array.isArray(v)) {
    if (v.length === 0) out += ' []\n';
    else {
      out += '\n';
      writeSequence(v, indent + 2, false);
    }
  } else if (isMapping(v)) {
    if (isEmptyMapping(v)) out += ' {}\n';
    else {
      out += '\n';
      writeMapping(v, indent + 2, false);
    }
  } else {
    out += ' ';
    writeScalar(v, indent + 2);
  }
}

/**
 * A block mapping whose keys sit at column `indent`. With `inline`, the first
 * key continues the current line (after `- `).
 */
function writeMapping(obj: Record<string, unknown>, indent: number, inline: boolean): void {
  let first = inline;
  const p = pad(indent);
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (v === undefined) continue;
    if (out.length > CHUNK) flush();
    const key = keyText(k);
    const lead = first ? '' : p;
    first = false;
    // Most values are plain strings: one append for the whole line.
    if (typeof v === 'string' && key.length <= 1000 && styleOf(v, true) === 'plain') {
      out += lead + key + ': ' + v + '\n';
      continue;
    }
    // Implicit keys are limited to 1024 characters; longer ones need `? `.
    if (key.length > 1000) out += lead + '? ' + key + '\n' + p + ':';
    else out += lead + key + ':';
    writeAfterKey(v, indent);
  }
}

/** A block sequence whose dashes sit at column `indent`; `inline` as for writeMapping. */
function writeSequence(arr: readonly unknown[], indent: number, inline: boolean): void {
  const p = pad(indent);
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (out.length > CHUNK && !(i === 0 && inline)) flush();
    const dash = i === 0 && inline ? '- ' : p + '- ';
    if (typeof v === 'string' && styleOf(v, true) === 'plain') {
      out += dash + v + '\n';
      continue;
    }
    out += dash;
    if (Array.isArray(v)) {
      if (v.length === 0) out += '[]\n';
      else writeSequence(v, indent + 2, true);
    } else if (isMapping(v)) {
      if (isEmptyMapping(v)) out += '{}\n';
      else writeMapping(v, indent + 2, true);
    } else writeScalar(v, indent + 2);
  }
}

/** The YAML text of a JSON-like value, ending with a newline. */
export function toYaml(value: unknown): string {
  out = '';
  chunks = [];
  try {
    if (Array.isArray(value) && value.length > 0) writeSequence(value, 0, false);
    else if (Array.isArray(value)) out = '[]\n';
    else if (isMapping(value) && !isEmptyMapping(value)) writeMapping(value, 0, false);
    else if (isMapping(value)) out = '{}\n';
    else writeScalar(value, 2);
    if (chunks.length === 0) return out;
    chunks.push(out);
    return chunks.join('');
  } finally {
    out = '';
    chunks = [];
  }
}
