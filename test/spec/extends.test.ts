import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { GantryError, GantryErrors } from '../../src/common/errors.js';
import { applyExtends, type ExtendsContext } from '../../src/spec/extends.js';
import { childPosition, setChildPosition, setTag, tagOf, type Mapping } from '../../src/spec/tree.js';

// Fixture files are written in canonical long form and read with the yaml
// package alone: the reader and canonical.ts are other stages.
const dir = resolve('test/fixtures/extends');
const main = join(dir, 'compose.yaml');

function context(loaded: string[] = []): ExtendsContext {
  return {
    file: main,
    baseDir: dir,
    loadDocument: async (path) => {
      loaded.push(path);
      return parse(readFileSync(path, 'utf8')) as Mapping;
    },
    warn: () => {},
  };
}

async function extended(doc: Mapping, loaded: string[] = []): Promise<Mapping> {
  await applyExtends(doc, context(loaded));
  return doc.services as Mapping;
}

async function failure(doc: Mapping): Promise<GantryError> {
  try {
    await extended(doc);
  } catch (e) {
    assert.ok(e instanceof GantryError, String(e));
    return e;
  }
  assert.fail('expected an error');
}

const at = (line: number) => ({ file: main, line, col: 5 });

describe('extends', () => {
  describe('in one file', () => {
    it('the extending service wins for scalars, mappings merge, command is replaced', async () => {
      const s = await extended({
        services: {
          base: { image: 'busybox', user: 'root', environment: { A: '1', B: '1' }, command: ['a'], healthcheck: { test: ['CMD', 'true'], retries: 3 } },
          web: { extends: 'base', user: 'me', environment: { B: '2' }, command: ['b'], healthcheck: { test: ['CMD', 'false'] } },
        },
      });
      assert.deepEqual(s.web, { image: 'busybox', user: 'me', environment: { A: '1', B: '2' }, command: ['b'], healthcheck: { test: ['CMD', 'false'], retries: 3 } });
      assert.deepEqual(s.base, { image: 'busybox', user: 'root', environment: { A: '1', B: '1' }, command: ['a'], healthcheck: { test: ['CMD', 'true'], retries: 3 } });
    });

    it('takes the long form {service} without a file', async () => {
      const s = await extended({ services: { base: { image: 'a' }, web: { extends: { service: 'base' }, user: 'u' } } });
      assert.deepEqual(s.web, { image: 'a', user: 'u' });
    });

    it('resolves chains whatever the order of the services', async () => {
      const s = await extended({
        services: {
          cli: { extends: 'common', command: ['cli'] },
          common: { extends: 'base', image: 'busybox', environment: { C: '1' } },
          base: { image: 'alpine', user: 'root', environment: { B: '1' } },
        },
      });
      assert.deepEqual(s.cli, { image: 'busybox', user: 'root', environment: { B: '1', C: '1' }, command: ['cli'] });
      assert.deepEqual(s.common, { image: 'busybox', user: 'root', environment: { B: '1', C: '1' } });
      assert.equal((s.cli as Mapping).extends, undefined);
      assert.equal((s.common as Mapping).extends, undefined);
    });

    it('combines sequences: sets without repeats, volumes by target, dns appended', async () => {
      const p = (n: number) => ({ target: n, published: String(n), protocol: 'tcp', mode: 'ingress' });
      const s = await extended({
        services: {
          base: {
            image: 'a',
            cap_add: ['NET_ADMIN'],
            security_opt: ['label:role:ROLE'],
            ports: [p(80)],
            expose: ['80'],
            dns: ['1.1.1.1'],
            volumes: [{ type: 'volume', source: 'common', target: '/var/lib/backup/data', read_only: false }],
          },
          cli: {
            extends: 'base',
            cap_add: ['NET_ADMIN', 'SYS_TIME'],
            security_opt: ['label:user:USER'],
            ports: [p(80), p(81)],
            expose: ['80'],
            dns: ['8.8.8.8'],
            volumes: [{ type: 'volume', source: 'cli', target: '/var/lib/backup/data', read_only: true }],
          },
        },
      });
      assert.deepEqual(s.cli, {
        image: 'a',
        cap_add: ['NET_ADMIN', 'SYS_TIME'],
        security_opt: ['label:role:ROLE', 'label:user:USER'],
        ports: [p(80), p(81)],
        expose: ['80'],
        dns: ['1.1.1.1', '8.8.8.8'],
        volumes: [{ type: 'volume', source: 'cli', target: '/var/lib/backup/data', read_only: true }],
      });
    });

    it('inherits depends_on, links, volumes_from and network_mode, as compose v2 does', async () => {
      const s = await extended({
        services: {
          db: { image: 'db' },
          base: { image: 'a', depends_on: { db: { condition: 'service_started', required: true } }, links: ['db'], volumes_from: ['db'], network_mode: 'service:db', ipc: 'service:db' },
          web: { extends: 'base' },
        },
      });
      assert.deepEqual(s.web, s.base);
    });

    it('a base written with no body extends to nothing', async () => {
      const s = await extended({ services: { empty: null, web: { extends: 'empty', image: 'a' } } });
      assert.deepEqual(s.web, { image: 'a' });
    });

    it('the result is a new object: changing it changes no base', async () => {
      const base = { image: 'a', environment: { A: '1' }, cap_add: ['X'] };
      const s = await extended({ services: { base, one: { extends: 'base' }, two: { extends: 'base' } } });
      ((s.one as Mapping).environment as Mapping).A = 'changed';
      ((s.one as Mapping).cap_add as string[]).push('Y');
      assert.deepEqual(base, { image: 'a', environment: { A: '1' }, cap_add: ['X'] });
      assert.deepEqual(s.two, { image: 'a', environment: { A: '1' }, cap_add: ['X'] });
    });

    it('!reset and !override of the extending service act on the base and stay for the file merge', async () => {
      const web: Mapping = { extends: 'base', ports: [], labels: { b: '2' }, environment: { A: null } };
      setTag(web, 'ports', 'reset');
      setTag(web, 'labels', 'override');
      setTag(web.environment as Mapping, 'A', 'reset');
      const s = await extended({
        services: { base: { image: 'a', ports: [{ target: 80, protocol: 'tcp', mode: 'ingress' }], labels: { a: '1' }, environment: { A: '1', B: '2' } }, web },
      });
      assert.deepEqual(s.web, { image: 'a', ports: [], labels: { b: '2' }, environment: { A: null, B: '2' } });
      assert.equal(tagOf(s.web as Mapping, 'ports'), 'reset');
      assert.equal(tagOf(s.web as Mapping, 'labels'), 'override');
      assert.equal(tagOf((s.web as Mapping).environment as Mapping, 'A'), 'reset');
    });

    it('keeps positions: inherited values point into the base', async () => {
      const base: Mapping = { image: 'a', user: 'root' };
      setChildPosition(base, 'user', at(3));
      const web: Mapping = { extends: 'base', image: 'b' };
      setChildPosition(web, 'image', at(6));
      const s = await extended({ services: { base, web } });
      assert.deepEqual(childPosition(s.web as Mapping, 'user'), at(3));
      assert.deepEqual(childPosition(s.web as Mapping, 'image'), at(6));
    });
  });

  describe('across files', () => {
    it('loads the base file relative to the base directory and resolves its own chain', async () => {
      const loaded: string[] = [];
      const s = await extended({ services: { web: { extends: { file: 'common/base.yaml', service: 'middle' }, cap_add: ['NET_ADMIN', 'SYS_TIME'] } } }, loaded);
      assert.deepEqual(s.web, {
        image: 'busybox',
        environment: { LEVEL: 'middle', KEEP: '1' },
        cap_add: ['NET_ADMIN', 'SYS_TIME'],
        command: ['root'],
        volumes: [{ type: 'bind', source: '/abs/conf', target: '/conf' }],
      });
      assert.deepEqual(loaded, [join(dir, 'common/base.yaml')]);
    });

    it('a file named in another file is relative to that file', async () => {
      const s = await extended({ services: { web: { extends: { file: join(dir, 'common/base.yaml'), service: 'deep' } } } });
      assert.deepEqual(s.web, { image: 'alpine', user: 'nobody', hostname: 'deep' });
    });

    it('loads each file once however many services extend it', async () => {
      const loaded: string[] = [];
      const ext = (service: string) => ({ extends: { file: 'common/base.yaml', service } });
      const s = await extended({ services: { a: ext('middle'), b: ext('middle'), c: ext('root'), d: ext('deep') } }, loaded);
      assert.deepEqual(loaded, [join(dir, 'common/base.yaml'), join(dir, 'deeper/root.yaml')]);
      assert.deepEqual(s.a, s.b);
      assert.notEqual(s.a, s.b);
    });

    it('inherits references to services the base file defines; they are not imported', async () => {
      const s = await extended({ services: { web: { extends: { file: 'common/base.yaml', service: 'needs' } } } });
      assert.deepEqual(Object.keys(s), ['web']);
      assert.deepEqual((s.web as Mapping).depends_on, { db: { condition: 'service_healthy', required: true } });
      assert.equal((s.web as Mapping).network_mode, 'service:db');
    });

    it('leaves the loaded base document as it was', async () => {
      const cached = parse(readFileSync(join(dir, 'common/base.yaml'), 'utf8')) as Mapping;
      const before = JSON.stringify(cached);
      const ctx = { ...context(), loadDocument: async () => cached };
      await applyExtends({ services: { web: { extends: { file: 'common/base.yaml', service: 'middle' }, environment: { X: '1' } } } }, ctx);
      assert.equal(JSON.stringify(cached), before);
    });
  });

  describe('errors', () => {
    it('an unknown base service: where, and did you mean', async () => {
      const web: Mapping = { extends: 'basc' };
      setChildPosition(web, 'extends', at(5));
      const e = await failure({ services: { basic: { image: 'busybox' }, web } });
      assert.equal(e.kind, 'reference');
      assert.equal(e.message, 'service "web" extends service "basc", which is not defined');
      assert.equal(e.path, 'services.web.extends');
      assert.deepEqual(e.position, at(5));
      assert.equal(e.hint, 'did you mean "basic"?');
    });

    it('an unknown base service in another file names the file and its services', async () => {
      const ext: Mapping = { file: 'deeper/root.yaml', service: 'nothere' };
      setChildPosition(ext, 'service', at(9));
      const e = await failure({ services: { web: { extends: ext } } });
      assert.equal(e.kind, 'reference');
      assert.equal(e.message, 'service "web" extends service "nothere", which is not defined in deeper/root.yaml');
      assert.equal(e.path, 'services.web.extends.service');
      assert.deepEqual(e.position, at(9));
      assert.equal(e.hint, 'defined services: deepest');
    });

    it('a missing file is a file error at extends.file', async () => {
      const ext: Mapping = { file: 'nope.yaml', service: 'x' };
      setChildPosition(ext, 'file', at(4));
      const e = await failure({ services: { web: { extends: ext } } });
      assert.equal(e.kind, 'file');
      assert.match(e.message, /nope\.yaml, which does not exist/);
      assert.equal(e.path, 'services.web.extends.file');
      assert.deepEqual(e.position, at(4));
      assert.equal(e.hint, `extends.file is relative to ${dir}`);
    });

    it('a cycle in one file lists the whole chain', async () => {
      const e = await failure({ services: { a: { extends: 'b' }, b: { extends: 'c' }, c: { extends: 'a' } } });
      assert.equal(e.kind, 'cycle');
      assert.equal(e.message, 'extends cycle: a -> b -> c -> a');
      assert.equal(e.path, 'services.c.extends');
    });

    it('a service that extends itself', async () => {
      const e = await failure({ services: { a: { extends: 'a', image: 'x' } } });
      assert.equal(e.kind, 'cycle');
      assert.equal(e.message, 'extends cycle: a -> a');
    });

    it('a cycle across files names the files', async () => {
      const e = await failure({ services: { web: { extends: { file: 'loop.yaml', service: 'back' } } } });
      assert.equal(e.kind, 'cycle');
      assert.equal(e.message, 'extends cycle: back (loop.yaml) -> loop (common/base.yaml) -> back (loop.yaml)');
    });

    it('an extends that names no service', async () => {
      const e = await failure({ services: { web: { extends: { file: 'loop.yaml' } } } });
      assert.equal(e.kind, 'schema');
      assert.equal(e.path, 'services.web.extends');
    });

    it('errors are GantryErrors, never plain ones', async () => {
      const e = await failure({ services: { web: { extends: { file: 'common', service: 'x' } } } });
      assert.equal(e.kind, 'file');
      assert.ok(!(e instanceof GantryErrors));
    });
  });
});
