import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';
import YAML, { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { GantryError, GantryErrors, type Position } from '../../src/common/errors.js';
import { composeSchema, packageRoot, VALIDATOR_OPTIONS, type ComposeValidator } from '../../src/spec/schema-validator.js';
import { setChildPosition, setKeyPosition, setSelfPosition, setTag, type Mapping, type Node } from '../../src/spec/tree.js';
import { validateSchema } from '../../src/spec/validate.js';

const FILE = 'compose.yaml';

/**
 * A tree with positions, the way the reader records them: where each key is
 * written and where each value starts. Built here so these tests do not
 * depend on the reader stage.
 */
function tree(text: string): Mapping {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const at = (n: unknown): Position | undefined => {
    const range = (n as YamlNode | null)?.range;
    if (!range) return undefined;
    const { line, col } = lines.linePos(range[0]);
    return { file: FILE, line, col };
  };
  const build = (n: unknown): Node => {
    if (isMap(n)) {
      const out: Mapping = {};
      setSelfPosition(out, at(n));
      for (const pair of n.items) {
        const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
        out[key] = build(pair.value);
        setKeyPosition(out, key, at(pair.key));
        setChildPosition(out, key, at(pair.value));
      }
      return out;
    }
    if (isSeq(n)) {
      const out = n.items.map(build);
      n.items.forEach((item, i) => setChildPosition(out, i, at(item)));
      return out;
    }
    if (isScalar(n)) return n.value as Node;
    return null;
  };
  return build(doc.contents) as Mapping;
}

function errorsOf(doc: Mapping): GantryError[] {
  try {
    validateSchema(doc);
  } catch (e) {
    assert.ok(e instanceof GantryErrors, `expected GantryErrors, got ${String(e)}`);
    return e.errors;
  }
  assert.fail('expected the document to be rejected');
}

function onlyError(text: string): GantryError {
  const errors = errorsOf(tree(text));
  assert.equal(errors.length, 1, `expected one error, got:\n${errors.map((e) => `${e.path}: ${e.message}`).join('\n')}`);
  return errors[0]!;
}

const pos = (line: number, col: number): Position => ({ file: FILE, line, col });

const corpus = join(packageRoot(), 'test', 'fixtures', 'conformance');
const corpusFiles = (folder: string) => readdirSync(join(corpus, folder)).filter((n) => n.endsWith('.yaml')).sort();
const corpusDoc = (folder: string, name: string) => YAML.parse(readFileSync(join(corpus, folder, name), 'utf8'), { merge: true }) as Mapping;

describe('schema validation', () => {
  describe('the conformance corpus', () => {
    it('has enough files to mean something', () => {
      assert.ok(corpusFiles('valid').length >= 40);
      assert.ok(corpusFiles('invalid').length >= 30);
    });

    for (const name of corpusFiles('valid')) {
      it(`accepts valid/${name}`, () => {
        validateSchema(corpusDoc('valid', name));
      });
    }

    for (const name of corpusFiles('invalid')) {
      it(`rejects invalid/${name} with schema errors in compose words`, () => {
        const errors = errorsOf(corpusDoc('invalid', name));
        assert.ok(errors.length > 0);
        for (const e of errors) {
          assert.equal(e.kind, 'schema');
          assert.ok(e.path !== undefined, `no path on "${e.message}"`);
          // ajv's own words must not leak through.
          assert.doesNotMatch(e.message, /\bobject\b|\barray\b|must NOT|must match exactly one schema|must have required property/);
        }
      });
    }
  });

  describe('error messages', () => {
    it('names an unknown key at its position, with a did-you-mean from the keys allowed there', () => {
      const e = onlyError('services:\n  web:\n    image: nginx\n    restart_policy: always\n');
      assert.equal(e.kind, 'schema');
      assert.equal(e.message, 'unknown key "restart_policy" in services.web');
      assert.equal(e.path, 'services.web.restart_policy');
      assert.equal(e.hint, 'did you mean "restart"? ("restart_policy" belongs in services.web.deploy)');
      assert.deepEqual(e.position, pos(4, 5));
    });

    it('says where a key written at the wrong level belongs', () => {
      const e = onlyError('services:\n  web:\n    image: nginx\n    replicas: 2\n');
      assert.equal(e.message, 'unknown key "replicas" in services.web');
      assert.equal(e.hint, '"replicas" belongs in services.web.deploy');
    });

    it('suggests the closest top-level key', () => {
      const e = onlyError('servces:\n  web:\n    image: nginx\n');
      assert.equal(e.message, 'unknown top-level key "servces"');
      assert.equal(e.path, 'servces');
      assert.equal(e.hint, 'did you mean "services"?');
      assert.deepEqual(e.position, pos(1, 1));
    });

    it('lists the allowed keys of a small mapping and the x- rule when nothing is close', () => {
      const e = onlyError('services:\n  web:\n    image: nginx\n    ports:\n      - target: 80\n        hostport_binding: 8080\n');
      assert.equal(e.message, 'unknown key "hostport_binding" in services.web.ports[0]');
      assert.equal(e.hint, 'allowed keys: app_protocol, host_ip, mode, name, protocol, published, target; custom keys must start with "x-"');
      assert.deepEqual(e.position, pos(6, 9));
    });

    it('says what type was expected and what was found, in compose words', () => {
      const e = onlyError('services:\n  app:\n    image: 1.25\n');
      assert.equal(e.message, 'services.app.image must be a string, got a number');
      assert.equal(e.path, 'services.app.image');
      assert.equal(e.hint, 'put the value in quotes so YAML reads it as a string');
      assert.deepEqual(e.position, pos(3, 12));
    });

    it('lists every type a scalar may take', () => {
      const e = onlyError('services:\n  app:\n    image: busybox\n    tty: [yes]\n');
      assert.equal(e.message, 'services.app.tty must be a boolean or a string, got a sequence');
    });

    it('collapses a oneOf that no form fits into one error naming the forms', () => {
      const e = onlyError('services:\n  web:\n    image: nginx\n    ports:\n      - [8080, 80]\n');
      assert.equal(
        e.message,
        'services.web.ports[0] must be a number (container port), a string (short syntax [[IP:]HOST:]CONTAINER[/PROTOCOL]) or a mapping (long syntax), got a sequence',
      );
      assert.equal(e.path, 'services.web.ports[0]');
      assert.deepEqual(e.position, pos(5, 9));
    });

    it('reports the long syntax only when a mapping was written', () => {
      const e = onlyError('services:\n  db:\n    image: postgres\n    volumes:\n      - source: data\n        target: /data\n');
      assert.equal(e.message, 'services.db.volumes[0] is missing the required key "type"');
      assert.equal(e.hint, 'add type: one of bind, volume, tmpfs, cluster, npipe, image');
      assert.deepEqual(e.position, pos(5, 9));
    });

    it('names the two forms of a list-or-mapping attribute', () => {
      const e = onlyError('services:\n  app:\n    image: busybox\n    environment: 5\n');
      assert.equal(e.message, 'services.app.environment must be a mapping or a sequence (list of KEY=VALUE), got a number');
    });

    it('lists the allowed values of an enum, with a did-you-mean', () => {
      const e = onlyError('services:\n  app:\n    image: busybox\n    cgroup: hots\n');
      assert.equal(e.message, 'services.app.cgroup must be one of host, private; got "hots"');
      assert.equal(e.hint, 'did you mean "host"?');
      assert.deepEqual(e.position, pos(4, 13));
    });

    it('finds the enum inside the long form of depends_on', () => {
      const e = onlyError('services:\n  web:\n    image: nginx\n    depends_on:\n      db:\n        condition: service_ready\n  db:\n    image: postgres\n');
      assert.equal(e.path, 'services.web.depends_on.db.condition');
      assert.equal(e.message, 'services.web.depends_on.db.condition must be one of service_started, service_healthy, service_completed_successfully; got "service_ready"');
    });

    it('names a missing required key and what it may be', () => {
      const e = onlyError('services:\n  web:\n    image: nginx\n    depends_on:\n      db:\n        required: true\n  db:\n    image: postgres\n');
      assert.equal(e.message, 'services.web.depends_on.db is missing the required key "condition"');
      assert.equal(e.path, 'services.web.depends_on.db');
      assert.equal(e.hint, 'add condition: one of service_started, service_healthy, service_completed_successfully');
      assert.deepEqual(e.position, pos(6, 9));
    });

    it('states the rule a name breaks, at the name', () => {
      const e = onlyError('services:\n  "web server":\n    image: nginx\n');
      assert.equal(e.message, 'invalid name "web server" in services: names must match [a-zA-Z0-9._-]+');
      assert.equal(e.path, 'services["web server"]');
      assert.equal(e.hint, "use only letters, digits, '.', '_' and '-'");
      assert.deepEqual(e.position, pos(2, 3));
    });

    it('points at the second of two equal list entries', () => {
      const e = onlyError('services:\n  web:\n    image: nginx\n    ports:\n      - "8080:80"\n      - "8080:80"\n');
      assert.equal(e.message, 'services.web.ports lists the same entry twice: [0] and [1]');
      assert.equal(e.path, 'services.web.ports[1]');
      assert.deepEqual(e.position, pos(6, 9));
    });

    it('says the bounds of a number', () => {
      const e = onlyError('services:\n  app:\n    image: busybox\n    cpu_percent: 101\n');
      assert.equal(e.message, 'services.app.cpu_percent must be at most 100, got 101');
    });

    it('names what an empty service is', () => {
      const e = onlyError('services:\n  app:\n');
      assert.equal(e.message, 'services.app must be a mapping, got null');
      assert.equal(e.hint, 'give it a value, or remove the key');
    });

    it('reports every problem once, in file order, first one on the GantryErrors itself', () => {
      const doc = tree(
        'services:\n  web:\n    image: nginx\n    restart_policy: always\n    cgroup: hots\n    ports:\n      - {target: 80, host_port: 1}\n' +
          '  db:\n    image: 5\nservces: {}\n',
      );
      let thrown: unknown;
      try {
        validateSchema(doc);
      } catch (e) {
        thrown = e;
      }
      assert.ok(thrown instanceof GantryErrors);
      assert.deepEqual(
        thrown.errors.map((e) => e.path),
        ['services.web.restart_policy', 'services.web.cgroup', 'services.web.ports[0].host_port', 'services.db.image', 'servces'],
      );
      assert.equal(thrown.kind, 'schema');
      assert.equal(thrown.message, thrown.errors[0]!.message);
      assert.deepEqual(thrown.position, pos(4, 5));
    });

    it('ignores what a !reset value holds, since the merge discards it', () => {
      const text = 'services:\n  web:\n    image: nginx\n    build: null\n    restart_policy: null\n';
      assert.equal(errorsOf(tree(text)).length, 2);
      const doc = tree(text);
      const web = (doc.services as Mapping).web as Mapping;
      setTag(web, 'build', 'reset');
      setTag(web, 'restart_policy', 'reset');
      validateSchema(doc);
    });

    it('accepts strings where interpolation may leave text in a number or boolean field', () => {
      validateSchema(tree('services:\n  web:\n    image: nginx\n    scale: "${SCALE}"\n    tty: "true"\n    ports:\n      - target: "${PORT}"\n'));
    });
  });

  describe('the validator the build generates', () => {
    it('finds exactly what the runtime-compiled one finds', function () {
      this.timeout(20000);
      const ajv = new Ajv({ ...VALIDATOR_OPTIONS, code: { source: true } });
      const compiled = ajv.compile(composeSchema());
      const generate = ((standalone as unknown as { default?: typeof standalone.default }).default ?? standalone) as typeof standalone.default;
      const code = generate(ajv, compiled);
      const module = { exports: {} as unknown };
      // Evaluated in place of being written out: the generated code requires ajv's runtime helpers.
      new Function('require', 'module', 'exports', code)(createRequire(import.meta.url), module, module.exports);
      const generated = module.exports as ComposeValidator;
      const findings = (v: ComposeValidator, doc: unknown) =>
        v(doc) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)} ${e.parentSchema === undefined}`);
      for (const folder of ['valid', 'invalid']) {
        for (const name of corpusFiles(folder)) {
          const doc = corpusDoc(folder, name);
          assert.deepEqual(findings(generated, doc), findings(compiled as ComposeValidator, doc), `${folder}/${name}`);
        }
      }
    });
  });
});
