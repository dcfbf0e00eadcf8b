import assert from 'node:assert/strict';
import { GantryError, GantryErrors } from '../../src/common/errors.js';
import { activeProfiles, applyProfiles } from '../../src/spec/profiles.js';
import { setChildPosition, type Mapping } from '../../src/spec/tree.js';

const names = (services: Mapping) => Object.keys(services).sort();
const enabled = (d: Mapping) => names(d.services as Mapping);
const dep = (required = true) => ({ condition: 'service_started', required });

function failure(doc: Mapping, active: string[] = [], named: string[] = []): GantryError {
  try {
    applyProfiles(doc, active, named);
  } catch (e) {
    assert.ok(e instanceof GantryError, String(e));
    return e;
  }
  assert.fail('expected an error');
}

describe('profiles', () => {
  const doc = (): Mapping => ({
    name: 'p',
    services: { web: { image: 'a' }, debug: { image: 'a', profiles: ['debug'] }, tools: { image: 'a', profiles: ['tools', 'debug'] }, lone: { image: 'a', profiles: ['lone'] } },
    networks: { n: {} },
  });

  it('services without profiles are always enabled; the others need an active profile', () => {
    const d = doc();
    const disabled = applyProfiles(d, [], []);
    assert.deepEqual(enabled(d), ['web']);
    assert.deepEqual(names(disabled), ['debug', 'lone', 'tools']);
    assert.deepEqual((disabled.debug as Mapping).profiles, ['debug']);
    assert.deepEqual(d.networks, { n: {} });
  });

  it('one active profile of a service is enough', () => {
    const d = doc();
    applyProfiles(d, ['tools'], []);
    assert.deepEqual(enabled(d), ['tools', 'web']);
    const e = doc();
    applyProfiles(e, ['debug'], []);
    assert.deepEqual(enabled(e), ['debug', 'tools', 'web']);
  });

  it('* enables every service', () => {
    const d = doc();
    assert.deepEqual(applyProfiles(d, ['*'], []), {});
    assert.deepEqual(enabled(d), ['debug', 'lone', 'tools', 'web']);
  });

  it('a service named on the command line is enabled, and brings its profiles along', () => {
    const lone = doc();
    applyProfiles(lone, [], ['lone']);
    assert.deepEqual(enabled(lone), ['lone', 'web']);
    // tools is in profiles tools and debug: naming it enables debug's services too.
    const tools = doc();
    applyProfiles(tools, [], ['tools']);
    assert.deepEqual(enabled(tools), ['debug', 'tools', 'web']);
  });

  it('a named service already enabled brings nothing', () => {
    const d = doc();
    applyProfiles(d, ['tools'], ['tools', 'web']);
    assert.deepEqual(enabled(d), ['tools', 'web']);
  });

  it('activeProfiles: the asked ones, then those of named services left out, without repeats', () => {
    assert.deepEqual(activeProfiles(doc(), ['x', 'x'], []), ['x']);
    assert.deepEqual(activeProfiles(doc(), ['tools'], ['tools', 'debug', 'lone']), ['tools', 'debug', 'lone']);
    assert.deepEqual(activeProfiles(doc(), [], ['debug', 'tools']), ['debug', 'tools']);
    assert.deepEqual(activeProfiles(doc(), ['*'], ['lone']), ['*']);
    assert.deepEqual(activeProfiles(doc(), [], ['web', 'nope']), []);
  });

  it('a document without services has nothing to disable', () => {
    assert.deepEqual(applyProfiles({ name: 'x' }, ['a'], []), {});
  });

  describe('needs of enabled services', () => {
    // The example of spec 15-profiles.md.
    const spec = (): Mapping => ({
      services: {
        foo: { image: 'foo' },
        bar: { image: 'bar', profiles: ['test'] },
        baz: { image: 'baz', depends_on: { bar: dep() }, profiles: ['test'] },
        zot: { image: 'zot', depends_on: { bar: dep() }, profiles: ['debug'] },
      },
    });

    it('follows the example of the specification', () => {
      const cases: [string[], string[], string[] | 'error'][] = [
        [[], [], ['foo']],
        [['test'], [], ['bar', 'baz', 'foo']],
        [['debug'], [], 'error'],
        [['debug', 'test'], [], ['bar', 'baz', 'foo', 'zot']],
        [[], ['bar'], ['bar', 'baz', 'foo']],
        [[], ['baz'], ['bar', 'baz', 'foo']],
        [[], ['zot'], 'error'],
        [['test'], ['zot'], ['bar', 'baz', 'foo', 'zot']],
      ];
      for (const [active, named, want] of cases) {
        const d = spec();
        if (want === 'error') assert.equal(failure(d, active, named).kind, 'reference', `${active} ${named}`);
        else {
          applyProfiles(d, active, named);
          assert.deepEqual(enabled(d), want, `profiles ${active}, named ${named}`);
        }
      }
    });

    it('a required dependency on a disabled service is an error that names the profile to enable', () => {
      const zot: Mapping = { image: 'zot', depends_on: { bar: dep() } };
      const depends = zot.depends_on as Mapping;
      setChildPosition(depends, 'bar', { file: 'compose.yaml', line: 9, col: 7 });
      const e = failure({ services: { bar: { image: 'bar', profiles: ['test'] }, zot } });
      assert.equal(e.kind, 'reference');
      assert.equal(e.message, 'service "zot" needs service "bar" (depends_on), which is disabled: none of its profiles (test) is active');
      assert.equal(e.path, 'services.zot.depends_on.bar');
      assert.deepEqual(e.position, { file: 'compose.yaml', line: 9, col: 7 });
      assert.equal(e.hint, 'enable profile "test" (--profile test)');
    });

    it('with several profiles, the hint offers each', () => {
      const e = failure({ services: { bar: { image: 'bar', profiles: ['a', 'b'] }, zot: { image: 'zot', links: ['bar:b'] } } });
      assert.equal(e.hint, 'enable one of the profiles "a" (--profile a), "b" (--profile b)');
      assert.equal(e.path, 'services.zot.links[0]');
    });

    it('an optional dependency on a disabled service stays, to be skipped at run time', () => {
      const d: Mapping = { services: { bar: { image: 'bar', profiles: ['test'] }, zot: { image: 'zot', depends_on: { bar: dep(false) } } } };
      applyProfiles(d, [], []);
      assert.deepEqual(enabled(d), ['zot']);
      assert.deepEqual(((d.services as Mapping).zot as Mapping).depends_on, { bar: dep(false) });
    });

    it('links, volumes_from, service: namespaces and build contexts are needs too', () => {
      const d: Mapping = {
        services: {
          off: { image: 'o', profiles: ['p'] },
          a: { image: 'a', links: ['off'] },
          b: { image: 'b', volumes_from: ['off:ro', 'container:other'] },
          c: { image: 'c', network_mode: 'service:off' },
          d: { image: 'd', ipc: 'service:off', pid: 'service:off' },
          e: { image: 'e', build: { context: '/e', additional_contexts: { base: 'service:off' } } },
        },
      };
      const e = failure(d);
      assert.ok(e instanceof GantryErrors);
      assert.deepEqual(
        e.errors.map((x) => x.path),
        ['services.a.links[0]', 'services.b.volumes_from[0]', 'services.c.network_mode', 'services.d.ipc', 'services.d.pid', 'services.e.build.additional_contexts.base'],
      );
    });

    it('disabled services may need each other, and container: volumes need no service', () => {
      const d: Mapping = {
        services: {
          web: { image: 'w', volumes_from: ['container:x'], network_mode: 'host' },
          a: { image: 'a', profiles: ['p'], depends_on: { b: dep() } },
          b: { image: 'b', profiles: ['q'] },
        },
      };
      applyProfiles(d, [], []);
      assert.deepEqual(enabled(d), ['web']);
    });

    it('a need of an enabled service on an enabled one is fine', () => {
      const d: Mapping = { services: { db: { image: 'd', profiles: ['p'] }, web: { image: 'w', depends_on: { db: dep() }, profiles: ['p'] } } };
      applyProfiles(d, ['p'], []);
      assert.deepEqual(enabled(d), ['db', 'web']);
    });
  });
});
