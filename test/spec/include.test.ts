import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { GantryError } from '../../src/common/errors.js';
import { applyInclude, type IncludeRequest } from '../../src/spec/include.js';
import { setChildPosition, type Mapping, type Node } from '../../src/spec/tree.js';

// The included projects are handed back by a fake loadProject (the lead's
// loader builds them for real); the fixture files only have to exist.
const dir = resolve('test/fixtures/include');
const main = join(dir, 'compose.yaml');
const f = (p: string) => join(dir, p);
const at = (line: number, col = 5) => ({ file: main, line, col });

interface Call {
  req: IncludeRequest;
  chain: string[];
}

/** Where applyInclude stands: by default the main file, first of its chain. */
interface Here {
  file: string;
  baseDir: string;
  chain: string[];
}
const top: Here = { file: main, baseDir: dir, chain: [main] };

async function include(doc: Mapping, projects: Record<string, Mapping> = {}, here: Here = top) {
  const calls: Call[] = [];
  await applyInclude(doc, {
    ...here,
    warn: () => {},
    loadProject: async (req, c) => {
      calls.push({ req, chain: c });
      return projects[req.files[0]!] ?? {};
    },
  });
  return calls;
}

async function failure(doc: Mapping, projects: Record<string, Mapping> = {}, here?: Here): Promise<GantryError> {
  try {
    await include(doc, projects, here);
  } catch (e) {
    assert.ok(e instanceof GantryError, String(e));
    return e;
  }
  assert.fail('expected an error');
}

/** An include list whose entry i is written on line i + 2. */
function entries(...items: Node[]): Node[] {
  items.forEach((_, i) => setChildPosition(items, i, at(i + 2, 5)));
  return items;
}

describe('include', () => {
  it('short form: each path is a project in its own directory, with its own .env', async () => {
    const calls = await include({ include: ['sub/compose.yaml'] });
    assert.deepEqual(calls, [{ req: { files: [f('sub/compose.yaml')], projectDirectory: f('sub'), envFiles: [] }, chain: [main] }]);
  });

  it('copies every kind of resource in and removes the include key', async () => {
    const doc: Mapping = { include: ['sub/compose.yaml'], services: { web: { image: 'a' } } };
    await include(doc, {
      [f('sub/compose.yaml')]: {
        services: { api: { image: 'b' } },
        networks: { back: {} },
        volumes: { data: {} },
        secrets: { s: { file: '/s' } },
        configs: { c: { file: '/c' } },
        models: { m: { model: 'ai/x' } },
        name: 'sub',
      },
    });
    assert.deepEqual(doc, {
      services: { web: { image: 'a' }, api: { image: 'b' } },
      networks: { back: {} },
      volumes: { data: {} },
      secrets: { s: { file: '/s' } },
      configs: { c: { file: '/c' } },
      models: { m: { model: 'ai/x' } },
    });
  });

  it('long form: a list of paths merged in order, project_directory and env_file', async () => {
    const calls = await include({
      include: [
        { path: ['sub/compose.yaml', 'sub/extra.yaml'], project_directory: 'other', env_file: 'e.env' },
        { path: 'other/compose.yaml', env_file: ['e.env', f('dev.env')] },
      ],
    });
    assert.deepEqual(
      calls.map((c) => c.req),
      [
        { files: [f('sub/compose.yaml'), f('sub/extra.yaml')], projectDirectory: f('other'), envFiles: [f('e.env')] },
        { files: [f('other/compose.yaml')], projectDirectory: f('other'), envFiles: [f('e.env'), f('dev.env')] },
      ],
    );
  });

  it('env_file /dev/null means no env file at all', async () => {
    const calls = await include({ include: [{ path: 'sub/compose.yaml', env_file: '/dev/null' }] });
    assert.deepEqual(calls[0]!.req.envFiles, ['/dev/null']);
  });

  it('includes one after another, each seeing what the earlier ones brought', async () => {
    const doc: Mapping = { include: ['sub/compose.yaml', 'other/compose.yaml'] };
    const calls = await include(doc, {
      [f('sub/compose.yaml')]: { services: { api: { image: 'b' } }, networks: { shared: { driver: 'bridge', labels: { a: '1', b: '2' } } } },
      [f('other/compose.yaml')]: { services: { tools: { image: 'c' } }, networks: { shared: { labels: { b: '2', a: '1' }, driver: 'bridge' } } },
    });
    assert.equal(calls.length, 2);
    assert.deepEqual(Object.keys(doc.services as Mapping), ['api', 'tools']);
    assert.deepEqual(Object.keys(doc.networks as Mapping), ['shared']);
  });

  it('no include: nothing happens', async () => {
    const doc: Mapping = { services: { web: { image: 'a' } } };
    assert.deepEqual(await include(doc), []);
    assert.deepEqual(doc, { services: { web: { image: 'a' } } });
  });

  describe('conflicts', () => {
    it('a name defined here and by an include is an error naming both files', async () => {
      const e = await failure({ include: entries('sub/compose.yaml'), services: { api: { image: 'mine' } } }, { [f('sub/compose.yaml')]: { services: { api: { image: 'theirs' } } } });
      assert.equal(e.kind, 'reference');
      assert.equal(e.message, 'service "api" is defined both in compose.yaml and in the included sub/compose.yaml');
      assert.equal(e.path, 'include[0]');
      assert.deepEqual(e.position, at(2));
      assert.match(e.hint!, /rename one of them; to change an included definition, list an override file after it/);
    });

    it('the same name from two includes is an error naming both included files', async () => {
      const e = await failure(
        { include: entries('sub/compose.yaml', 'other/compose.yaml') },
        { [f('sub/compose.yaml')]: { volumes: { data: {} } }, [f('other/compose.yaml')]: { volumes: { data: { driver: 'nfs' } } } },
      );
      assert.equal(e.kind, 'reference');
      assert.equal(e.message, 'volume "data" is defined both in sub/compose.yaml and in the included other/compose.yaml');
      assert.deepEqual(e.position, at(3));
    });

    it('the same definition twice is no conflict', async () => {
      const doc: Mapping = { include: ['sub/compose.yaml'], services: { api: { image: 'b', environment: { A: '1', B: '2' } } } };
      await include(doc, { [f('sub/compose.yaml')]: { services: { api: { environment: { B: '2', A: '1' }, image: 'b' } } } });
      assert.deepEqual(doc.services, { api: { image: 'b', environment: { A: '1', B: '2' } } });
    });
  });

  describe('errors', () => {
    it('a missing file is a file error at its include entry', async () => {
      const e = await failure({ include: entries('sub/compose.yaml', 'nope.yaml') });
      assert.equal(e.kind, 'file');
      assert.equal(e.message, `included file nope.yaml does not exist (${f('nope.yaml')})`);
      assert.equal(e.path, 'include[1]');
      assert.deepEqual(e.position, at(3));
      assert.equal(e.hint, `paths in include are relative to ${dir}`);
    });

    it('in the long form, the error points at the path that is missing', async () => {
      const paths = ['sub/compose.yaml', 'sub/nope.yaml'];
      setChildPosition(paths, 1, at(4, 9));
      const e = await failure({ include: [{ path: paths }] });
      assert.equal(e.kind, 'file');
      assert.equal(e.path, 'include[0].path[1]');
      assert.deepEqual(e.position, at(4, 9));
    });

    it('a missing env_file is a file error', async () => {
      const entry: Mapping = { path: 'sub/compose.yaml', env_file: 'missing.env' };
      setChildPosition(entry, 'env_file', at(7));
      const e = await failure({ include: [entry] });
      assert.equal(e.kind, 'file');
      assert.match(e.message, /env file missing\.env of the include does not exist/);
      assert.equal(e.path, 'include[0].env_file');
      assert.deepEqual(e.position, at(7));
    });

    it('a cycle lists the chain of files', async () => {
      // compose.yaml includes loop/compose.yaml, which includes ../compose.yaml.
      const e = await failure({ include: entries('../compose.yaml') }, {}, { file: f('loop/compose.yaml'), baseDir: f('loop'), chain: [main, f('loop/compose.yaml')] });
      assert.equal(e.kind, 'cycle');
      assert.equal(e.message, 'include cycle: compose.yaml -> loop/compose.yaml -> compose.yaml');
      assert.deepEqual(e.position, at(2));
    });

    it('a file that includes itself', async () => {
      const e = await failure({ include: ['compose.yaml'] });
      assert.equal(e.kind, 'cycle');
      assert.equal(e.message, 'include cycle: compose.yaml -> compose.yaml');
    });

    it('an entry without a path', async () => {
      const e = await failure({ include: [{ project_directory: 'sub' }] });
      assert.equal(e.kind, 'schema');
      assert.equal(e.path, 'include[0].path');
    });
  });
});
