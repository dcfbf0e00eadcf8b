import assert from 'node:assert/strict';
import fc from 'fast-check';
import YAML from 'yaml';
import { toYaml } from '../../src/spec/yaml-emit.js';

/** What a YAML 1.2 reader and a YAML 1.1 reader make of the text. */
function readBoth(text: string): [unknown, unknown] {
  return [YAML.parse(text, { version: '1.2' }), YAML.parse(text, { version: '1.1' })];
}

function assertRoundTrip(value: unknown): void {
  const text = toYaml(value);
  for (const back of readBoth(text)) assert.deepStrictEqual(back, value, `YAML was:\n${text}`);
}

// Strings that a careless emitter writes plain and a reader then takes for
// something else (or for syntax).
const TRICKY = [
  'yes', 'No', 'ON', 'off', 'y', 'N', 'true', 'False', 'null', 'Null', '~',
  '0x1F', '1e3', 'e5', 'E0', '0o17', '0b101', '.inf', '-.Inf', '.NaN', '1_000', '0755', '12', '-1', '+1', '1.', '.5', '.', '3.8', '1.2.3',
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', '1:30', '190:20:30.15',
  '- a', '-', '---', '...', '? x', ': x', 'a: b', 'a:', 'a #b', '#x', '&a', '*a', '!t', '|', '>', "'", '"', '%x', '@x', '`x',
  '[a]', '{a}', ',a', '', ' a', 'a ', '\t', 'a\tb', '<<', '=',
  'a\nb', 'a\nb\n', 'a\n\nb\n\n\n', '\na', '  a\nb', 'a \nb', 'a\r\nb', 'x\u0000y', '\u0085', '\u2028', '\ufeff', 'bell\u0007', '\ud800',
];

describe('toYaml', () => {
  it('writes nested data in block style with 2-space indentation', () => {
    const value = {
      services: {
        web: {
          image: 'nginx:1.25',
          ports: [{ target: 80, published: '8080' }],
          command: ['echo', 'hi'],
          environment: { A: 'yes', B: null, C: 3 },
          empty: {},
          none: [],
          nested: [[1, 2], [], [{}]],
          ok: true,
        },
      },
    };
    assert.equal(
      toYaml(value),
      [
        'services:',
        '  web:',
        '    image: nginx:1.25',
        '    ports:',
        '      - target: 80',
        '        published: "8080"',
        '    command:',
        '      - echo',
        '      - hi',
        '    environment:',
        '      A: "yes"',
        '      B: null',
        '      C: 3',
        '    empty: {}',
        '    none: []',
        '    nested:',
        '      - - 1',
        '        - 2',
        '      - []',
        '      - - {}',
        '    ok: true',
        '',
      ].join('\n'),
    );
    assertRoundTrip(value);
  });

  it('writes empty collections and top-level scalars', () => {
    assert.equal(toYaml({}), '{}\n');
    assert.equal(toYaml([]), '[]\n');
    assert.equal(toYaml('yes'), '"yes"\n');
    assert.equal(toYaml(null), 'null\n');
    assert.equal(toYaml(['a', { b: 1, c: [2] }]), '- a\n- b: 1\n  c:\n    - 2\n');
  });

  it('keeps strings plain when no reader can mistake them', () => {
    for (const s of ['nginx', 'nginx:1.25', '/var/lib/data', 'hello world', '--verbose', '-v', '1m30s', '8080:80/tcp', 'a-b', 'CMD-SHELL', 'é', 'a:b', 'a#b', 'x.']) {
      assert.equal(toYaml({ k: s }), `k: ${s}\n`, s);
    }
  });

  it('quotes every string a YAML 1.1 or 1.2 reader could read as something else', () => {
    for (const s of TRICKY) {
      const text = toYaml({ k: s });
      assert.notEqual(text, `k: ${s}\n`, `${JSON.stringify(s)} was written plain`);
      assertRoundTrip({ k: s });
      assertRoundTrip({ [s]: s });
      assertRoundTrip([s]);
    }
  });

  it('quotes keys that need it', () => {
    assert.equal(toYaml({ 'on': 1, '0x1F': 2, 'a b': 3, 'a: b': 4, '': 5 }), '"on": 1\n"0x1F": 2\na b: 3\n"a: b": 4\n"": 5\n');
  });

  it('writes multi-line strings as literal block scalars with the right chomping', () => {
    assert.equal(toYaml({ k: 'one\ntwo' }), 'k: |-\n  one\n  two\n');
    assert.equal(toYaml({ k: 'one\ntwo\n' }), 'k: |\n  one\n  two\n');
    assert.equal(toYaml({ k: 'one\n\n  two\n\n' }), 'k: |+\n  one\n\n    two\n\n');
    assert.equal(toYaml({ k: ['a\nb'] }), 'k:\n  - |-\n    a\n    b\n');
    for (const s of ['one\ntwo', 'one\ntwo\n', 'one\n\n  two\n\n', 'a\n\n\n']) {
      assertRoundTrip({ k: s, after: 1 });
      assertRoundTrip({ k: [s, s], after: 1 });
    }
  });

  it('double-quotes multi-line strings a block scalar cannot hold exactly', () => {
    assert.equal(toYaml({ k: 'trailing \nspace' }), 'k: "trailing \\nspace"\n');
    assert.equal(toYaml({ k: ' indented\nfirst' }), 'k: " indented\\nfirst"\n');
    assert.equal(toYaml({ k: 'cr\r\nlf' }), 'k: "cr\\r\\nlf"\n');
  });

  it('escapes control and non-printable characters', () => {
    assert.equal(toYaml({ k: 'a\u0000\u0007\u001b\u007f\u0085\u2028b' }), 'k: "a\\0\\a\\e\\x7F\\N\\Lb"\n');
    assert.equal(toYaml({ k: 'quote " and \\' }), 'k: quote " and \\\n');
    assert.equal(toYaml({ k: '"quoted"' }), 'k: "\\"quoted\\""\n');
  });

  it('writes numbers so both YAML versions read the same number', () => {
    assert.equal(toYaml({ a: 1e21, b: 1.5e-7, c: -0, d: 0.1, e: 42 }), 'a: 1.0e+21\nb: 1.5e-7\nc: -0.0\nd: 0.1\ne: 42\n');
    assertRoundTrip({ a: 1e21, b: 1.5e-7, c: -0, d: 0.1, e: 42, f: Number.MAX_VALUE, g: Number.MIN_VALUE });
    assert.equal(toYaml([Infinity, -Infinity]), '- .inf\n- -.inf\n');
  });

  it('writes keys longer than a YAML implicit key may be as explicit keys', () => {
    const long = 'k'.repeat(1500);
    assert.ok(toYaml({ [long]: { a: 1 } }).startsWith(`? ${long}\n:\n  a: 1\n`));
    assertRoundTrip({ [long]: { a: [1, { [long]: 'v' }] }, short: 1 });
  });

  it('leaves out undefined members and writes undefined items as null, like JSON', () => {
    assert.equal(toYaml({ a: undefined, b: [undefined], c: { d: undefined } }), 'b:\n  - null\nc: {}\n');
  });

  it('round-trips any JSON object through the yaml package (YAML 1.2 and 1.1)', () => {
    const objects = fc
      .jsonValue({ stringUnit: 'binary' })
      .filter((v) => typeof v === 'object' && v !== null && !Array.isArray(v));
    fc.assert(fc.property(objects, (v) => assertRoundTrip(v)), { numRuns: 1500 });
  });

  it('round-trips objects full of look-alike strings', () => {
    const str = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: 'grapheme-ascii', maxLength: 12 }));
    const { obj } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, str, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), tie('arr'), tie('obj')),
      arr: fc.array(tie('value'), { maxLength: 4 }),
      obj: fc.dictionary(str, tie('value'), { maxKeys: 5, noNullPrototype: true }),
    }));
    fc.assert(fc.property(obj, (v) => assertRoundTrip(v)), { numRuns: 1500 });
  });

  it('writes a 1,000-service document in well under 50 ms', () => {
    const doc = largeDocument(1000);
    const text = toYaml(doc);
    const lines = text.split('\n').length - 1;
    assert.ok(lines > 35_000, `only ${lines} lines`);
    let best = Infinity;
    for (let run = 0; run < 5; run++) {
      const t0 = performance.now();
      toYaml(doc);
      best = Math.min(best, performance.now() - t0);
    }
    assert.ok(best < 50, `toYaml took ${best.toFixed(1)} ms for ${lines} lines`);
    assert.deepStrictEqual(YAML.parse(text), doc);
  });
});

/** A compose-config-like document: about 38 lines per service. */
function largeDocument(n: number): Record<string, unknown> {
  const services: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    services[`svc${i}`] = {
      command: ['node', 'server.js', `--port=${3000 + i}`],
      depends_on: { [`svc${i + 1}`]: { condition: 'service_healthy', required: true } },
      environment: { NODE_ENV: 'production', PORT: String(3000 + i), DEBUG: 'false', EMPTY: '', UNSET: null },
      healthcheck: { interval: '30s', retries: 3, test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], timeout: '5s' },
      image: `registry.example.com/team/app-${i}:1.2.3`,
      labels: { 'com.example.team': 'platform', 'com.example.tier': 'backend' },
      networks: { backend: null, frontend: { aliases: [`app${i}`] } },
      ports: [{ mode: 'ingress', protocol: 'tcp', published: String(8000 + i), target: 3000 + i }],
      restart: 'unless-stopped',
      volumes: [
        { source: `/srv/data/${i}`, target: '/data', type: 'bind', bind: { create_host_path: true } },
        { source: 'cache', target: '/cache', type: 'volume', volume: {} },
      ],
    };
  }
  return { name: 'big', services, networks: { backend: { name: 'big_backend' }, frontend: { name: 'big_frontend' } } };
}
