// Compose-like YAML text for the differential property test: nested block
// mappings and sequences, compact items, flow collections, every scalar
// style with the values where YAML readers disagree, comments, anchors,
// aliases, merge keys and the merge tags. Some texts are invalid on purpose
// (undefined aliases, duplicate keys, bad indentation): both readers must
// then agree that they are, or the fast one must step aside.

export type Random = () => number;

/** A small deterministic generator (mulberry32), so a failing seed replays. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SAFE_PLAIN = ['busybox', 'web', 'a b c', 'true', 'False', 'yes', 'null', '~', '0', '-0', '007', '0755', '08', '0o17', '0x1F', '1e3', '.5', '-.inf', '.NaN', '12:30', '8080:80', 'a#b', 'http://x:1/y', '${X:-1}', '-x', 'x[0]', 'x,y', "it's", 'say "hi"', 'é', '---'];
const SAFE_DOUBLE = ['""', '"x"', '"a\\nb"', '"\\t\\\\\\""', '"\\x41\\u00e9\\U0001F600"', '"a  b  "', '"# not"'];
const SAFE_SINGLE = ["''", "'x'", "'it''s'", "' lead'"];
const PLAIN = [
  'busybox', 'web', 'a b c', 'true', 'False', 'TRUE', 'yes', 'no', 'on', 'off', 'null', 'Null', '~', '0', '-0', '+1', '007', '0755', '08', '0o17',
  '0x1F', '0xg', '1e3', '1.5E-2', '.5', '5.', '-.inf', '.NaN', '.nan', 'nan', '1_000', '12:30', '12:30:00', '8080:80', '127.0.0.1:80:80/udp',
  'a#b', 'http://x:1/y?z=1', '${X:-1}', '$$HOME', '-x', '?x', ':x', 'x:', 'a: b', '- x', '[x]', 'x[0]', 'x,y', 'x]', '{x}', '*x', '&x', '!x', '%x',
  '@x', '`x', '|', '>', "it's", 'say "hi"', 'a  b', 'é', '日本', '---', '...', '-- -', 'x # y', 'x #', '#x', '"x"y', "'x'y",
];
const KEYS = ['image', 'command', 'x', 'on', 'null', '1', '1.0', '0o10', 'true', '"true"', "'k'", '"a b"', '"a:b"', 'a.b', 'a-b', '<<', '__proto__', 'k k', '- k', '? k', 'k#', '"é"', '"\\t"'];
const DOUBLE = ['""', '"x"', '"a\\nb"', '"\\t\\\\\\""', '"\\x41\\u00e9\\U0001F600"', '"\\/\\0\\a\\e\\N\\_"', '"\\q"', '"\\x4"', '"a  b  "', '"# not"', '"multi', '"x" y', '"x"#c'];
const SINGLE = ["''", "'x'", "'it''s'", "'a\\nb'", "' lead'", "'un", "'x' y"];
const ANCHORS = ['a', 'b', 'common', 'x-1', 'e.v'];

export class YamlGen {
  private lines: string[] = [];
  private anchorsUsed: string[] = [];
  /** How often a choice may be odd or invalid: most documents are nearly clean, some are rough. */
  private readonly odd: number;

  constructor(private readonly r: Random) {
    this.odd = r() < 0.6 ? 0.01 : 0.15;
  }

  /** A safe choice, or (rarely) one from the odd list. */
  private choose<T>(safe: readonly T[], odd: readonly T[]): T {
    return this.chance(this.odd) ? this.pick(odd) : this.pick(safe);
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)]!;
  }

  private chance(p: number): boolean {
    return this.r() < p;
  }

  document(): string {
    this.lines = [];
    if (this.chance(0.1)) this.lines.push('# leading comment');
    if (this.chance(0.1)) this.lines.push('---');
    this.map(0, 1 + Math.floor(this.r() * 5), 3);
    if (this.chance(this.odd / 2)) this.lines.push(this.pick(['...', '---', '--- x: 1', 'extra', '  bad: indent', '\tkey: tab', 'k: "a\r"']));
    const text = this.lines.join('\n');
    return this.chance(0.85) ? text + '\n' : text;
  }

  private comment(): string {
    return this.chance(0.15) ? this.choose([' # c', '   #: x', ' #'], ['# glued']) : '';
  }

  private props(): string {
    let p = '';
    if (this.chance(0.15)) {
      // Defined once the node is written (see value): an alias inside its own anchor would recurse.
      p += `&${this.pick(ANCHORS)} `;
    }
    if (this.chance(0.12)) p += this.choose(['!reset ', '!override '], ['!!str ', '!custom ']);
    return this.chance(0.5) ? p : p.split(' ').reverse().join(' ').trim() + (p ? ' ' : '');
  }

  private map(indent: number, entries: number, depth: number): void {
    const pad = ' '.repeat(indent);
    for (let i = 0; i < entries; i++) {
      if (this.chance(0.08)) this.lines.push(pad + this.pick(['# between', '', '   ', '#']));
      const key = this.chance(0.9) ? this.pick(['image', 'command', 'ports', 'environment', 'labels', 'x', 'y', 'z', 'volumes']) + String(i) : this.chance(0.3) ? this.pick(KEYS) : this.pick(KEYS) + String(i);
      if (key === '<<' || this.chance(0.04)) {
        this.lines.push(`${pad}<<: ${this.mergeValue()}${this.comment()}`);
        continue;
      }
      this.value(`${pad}${key}:`, indent, depth, false);
    }
  }

  private mergeValue(): string {
    if (!this.anchorsUsed.length && !this.chance(this.odd)) return '{k: v}';
    const alias = () => `*${this.anchorsUsed.length && !this.chance(this.odd) ? this.pick(this.anchorsUsed) : this.pick(ANCHORS)}`;
    if (this.chance(0.6)) return alias();
    if (this.chance(0.5)) return `[${alias()}, ${alias()}]`;
    return this.pick(['{k: v}', '{}', '[{a: 1}]', 'x', '[]']);
  }

  /** Writes `head` + a value: inline on its line, or a nested block below it. */
  private value(head: string, indent: number, depth: number, inSeq: boolean): void {
    const props = this.chance(0.5) ? this.props() : '';
    const before = this.lines.length;
    this.valueWith(props, head, indent, depth, inSeq);
    const anchor = /&(\S+)/.exec(props)?.[1];
    if (anchor && this.lines.slice(before).some((l) => l.includes('&' + anchor))) this.anchorsUsed.push(anchor);
  }

  private valueWith(props: string, head: string, indent: number, depth: number, inSeq: boolean): void {
    const roll = this.r();
    const sp = this.chance(0.9) ? ' ' : '  ';
    if (depth > 0 && roll < 0.22) {
      this.lines.push(`${head}${props ? ' ' + props.trimEnd() : ''}${this.comment()}`);
      const child = indent + (this.chance(1 - this.odd) ? 2 : this.pick([1, 4, 3]));
      this.map(child, 1 + Math.floor(this.r() * 3), depth - 1);
      return;
    }
    if (depth > 0 && roll < 0.4) {
      this.lines.push(`${head}${props ? ' ' + props.trimEnd() : ''}${this.comment()}`);
      const child = !inSeq && this.chance(0.3) ? indent : indent + 2;
      this.seq(child, 1 + Math.floor(this.r() * 3), depth - 1);
      return;
    }
    if (roll < 0.47) {
      this.blockScalar(`${head}${sp}${props}`, indent);
      return;
    }
    if (roll < 0.55 && (this.anchorsUsed.length || this.chance(this.odd))) {
      const name = this.anchorsUsed.length && !this.chance(this.odd) ? this.pick(this.anchorsUsed) : this.pick(ANCHORS);
      this.lines.push(`${head}${sp}${this.chance(this.odd) ? props : ''}*${name}${this.comment()}`);
      return;
    }
    if (roll < 0.65) {
      const flow = this.flow(2);
      if (this.chance(0.15) && flow.length > 2) {
        // Continued on the next line, sometimes not indented enough.
        const cut = flow.indexOf(',');
        if (cut > 0) {
          const more = ' '.repeat(indent + (this.chance(1 - this.odd) ? 2 : 0));
          this.lines.push(`${head}${sp}${props}${flow.slice(0, cut + 1)}`, `${more}${flow.slice(cut + 1).trim()}${this.comment()}`);
          return;
        }
      }
      this.lines.push(`${head}${sp}${props}${flow}${this.comment()}`);
      return;
    }
    if (roll < 0.7) {
      this.lines.push(`${head}${props ? ' ' + props.trimEnd() : ''}${this.comment()}`);
      return;
    }
    const scalar = this.scalar();
    this.lines.push(`${head}${sp}${props}${scalar}${this.chance(0.1) ? '  ' : ''}${this.comment()}`);
    if (this.chance(this.odd / 3)) this.lines.push(' '.repeat(indent + 2) + 'continued');
  }

  private scalar(): string {
    const roll = this.r();
    if (roll < 0.55) return this.choose(SAFE_PLAIN, PLAIN);
    if (roll < 0.8) return this.choose(SAFE_DOUBLE, DOUBLE);
    return this.choose(SAFE_SINGLE, SINGLE);
  }

  private seq(indent: number, items: number, depth: number): void {
    const pad = ' '.repeat(indent);
    for (let i = 0; i < items; i++) {
      if (this.chance(0.06)) this.lines.push(pad + '# in a list');
      const roll = this.r();
      if (depth > 0 && roll < 0.25) {
        // Compact mapping: `- key: v` then the rest of its keys under it.
        const first = this.lines.length;
        this.map(indent + 2, 1 + Math.floor(this.r() * 3), depth - 1);
        const line = this.lines[first];
        if (line !== undefined && line.startsWith(pad + '  ')) this.lines[first] = pad + '- ' + line.slice(indent + 2);
        else this.lines.splice(first, 0, pad + '-');
      } else if (depth > 0 && roll < 0.3) {
        const first = this.lines.length;
        this.seq(indent + 2, 1 + Math.floor(this.r() * 2), depth - 1);
        const line = this.lines[first];
        if (line !== undefined && line.startsWith(pad + '  -')) this.lines[first] = pad + '- ' + line.slice(indent + 2);
      } else {
        this.value(`${pad}-`, indent, depth, true);
      }
    }
  }

  private flow(depth: number): string {
    const roll = this.r();
    if (depth > 0 && roll < 0.4) {
      const n = Math.floor(this.r() * 4);
      const items = Array.from({ length: n }, () => this.props() + this.flow(depth - 1));
      return `[${items.join(this.pick([', ', ',', ' , ']))}${this.chance(0.1) && n ? ',' : ''}]`;
    }
    if (depth > 0 && roll < 0.7) {
      const n = Math.floor(this.r() * 3);
      const items = Array.from({ length: n }, (_, i) => `${this.pick(['k', 'a b', '"q"', "'s'", '1', 'on', 'k' + i, 'k' + i])}${this.pick([': ', ':', ' : '])}${this.flow(depth - 1)}`);
      return `{${items.join(', ')}}`;
    }
    if (roll < 0.9) return this.choose(['x', '1', 'true', 'null', '8080:80', 'a b', '~', '0755', '"d q"', "'s q'", '"\\u00e9"', 'x:y', 'x#y'], ['', '-', '*nope']);
    return this.anchorsUsed.length ? `*${this.pick(this.anchorsUsed)}` : 'y';
  }

  private blockScalar(head: string, indent: number): void {
    const header = this.choose(['|', '>', '|-', '>-', '|+', '>+', '| # c'], ['|2', '>1-', '|#c', '|x']);
    this.lines.push(head + header);
    const base = indent + (this.chance(1 - this.odd) ? 2 : this.pick([1, 3, 0]));
    const n = Math.floor(this.r() * 5);
    for (let i = 0; i < n; i++) {
      const roll = this.r();
      if (roll < 0.15) this.lines.push('');
      else if (roll < 0.2) this.lines.push(' '.repeat(base + this.choose([0], [1, 3])));
      else if (roll < 0.3) this.lines.push(' '.repeat(base + 2) + 'more indented');
      else if (roll < 0.35) this.lines.push(' '.repeat(base) + '# not a comment');
      else this.lines.push(' '.repeat(base) + this.pick(['line', 'echo $$HOME', 'a: b', '- x', 'x  ', 'trailing  spaces  ']));
    }
    if (this.chance(0.2)) this.lines.push('');
  }
}
