import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { GantryError } from '../../../src/common/errors.js';
import { canonicalize } from '../../../src/spec/canonical.js';
import { contextFor, FILE, plain, treeOf } from './yaml-tree.js';

function volumesOf(items: string, ctx = contextFor()) {
  const doc = canonicalize(treeOf(`services:\n  web:\n    volumes:\n${items}`), ctx);
  return plain((doc.services as any).web.volumes);
}

function volumeError(item: string): GantryError {
  try {
    volumesOf(`      - /ok\n      - ${item}\n`);
  } catch (e) {
    assert.ok(e instanceof GantryError, String(e));
    return e;
  }
  assert.fail(`${item} was accepted`);
}

describe('canonical: services.*.volumes', () => {
  it('a relative bind becomes absolute and creates its host path', () => {
    assert.deepEqual(volumesOf('      - ./data:/data\n'), [
      { type: 'bind', source: '/project/data', target: '/data', bind: { create_host_path: true } },
    ]);
  });

  it('an absolute bind, read-only', () => {
    assert.deepEqual(volumesOf('      - /var/run/docker.sock:/var/run/docker.sock:ro\n'), [
      { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', read_only: true, bind: { create_host_path: true } },
    ]);
  });

  it('~ is the home directory from the environment', () => {
    assert.deepEqual(volumesOf('      - ~/.cache:/cache\n', contextFor({ env: { HOME: '/home/alice' } })), [
      { type: 'bind', source: '/home/alice/.cache', target: '/cache', bind: { create_host_path: true } },
    ]);
  });

  it('.. climbs out of the base directory', () => {
    assert.equal(volumesOf('      - ../shared/:/shared/\n')[0].source, '/shared');
  });

  it('a named volume', () => {
    assert.deepEqual(volumesOf('      - db-data:/var/lib/postgresql/data\n'), [
      { type: 'volume', source: 'db-data', target: '/var/lib/postgresql/data', volume: {} },
    ]);
  });

  it('an anonymous volume', () => {
    assert.deepEqual(volumesOf('      - /data\n'), [{ type: 'volume', target: '/data', volume: {} }]);
  });

  it('nocopy on a named volume', () => {
    assert.deepEqual(volumesOf('      - cache:/cache:ro,nocopy\n'), [
      { type: 'volume', source: 'cache', target: '/cache', read_only: true, volume: { nocopy: true } },
    ]);
  });

  it('SELinux label and propagation on a bind', () => {
    assert.deepEqual(volumesOf('      - ./src:/src:z,rslave\n      - ./db:/db:Z\n'), [
      { type: 'bind', source: '/project/src', target: '/src', bind: { selinux: 'z', propagation: 'rslave', create_host_path: true } },
      { type: 'bind', source: '/project/db', target: '/db', bind: { selinux: 'Z', create_host_path: true } },
    ]);
  });

  it('rw after ro leaves it writable', () => {
    assert.deepEqual(volumesOf('      - ./a:/a:ro,rw\n'), [{ type: 'bind', source: '/project/a', target: '/a', bind: { create_host_path: true } }]);
  });

  it('container paths are cleaned', () => {
    assert.equal(volumesOf('      - data:/var//lib/./x/\n')[0].target, '/var/lib/x');
  });

  it('Docker Desktop consistency hints are accepted with a warning', () => {
    const ctx = contextFor();
    assert.deepEqual(volumesOf('      - ./a:/a:cached\n', ctx), [{ type: 'bind', source: '/project/a', target: '/a', bind: { create_host_path: true } }]);
    assert.equal(ctx.warnings.length, 1);
    assert.equal(ctx.warnings[0]!.path, 'services.web.volumes[0]');
    assert.match(ctx.warnings[0]!.message, /"cached" has no effect/);
  });

  it('a colon inside ${…} does not split (no interpolation)', () => {
    assert.deepEqual(volumesOf('      - ${DIR:-./data}:/data\n', contextFor({ interpolated: false })), [
      { type: 'volume', source: '${DIR:-./data}', target: '/data', volume: {} },
    ]);
  });

  it('long form: a relative bind source becomes absolute; keys in compose-go order', () => {
    const out = volumesOf('      - target: /app\n        source: ./app\n        type: bind\n        read_only: "true"\n');
    assert.deepEqual(out, [{ type: 'bind', source: '/project/app', target: '/app', read_only: true }]);
    assert.deepEqual(Object.keys(out[0]), ['type', 'source', 'target', 'read_only']);
  });

  it('long form: a bind mapping gets create_host_path: true unless written', () => {
    assert.deepEqual(
      volumesOf(
        '      - {type: bind, source: /a, target: /a, bind: {propagation: shared}}\n' +
          '      - {type: bind, source: /b, target: /b, bind: {create_host_path: "false"}}\n',
      ),
      [
        { type: 'bind', source: '/a', target: '/a', bind: { propagation: 'shared', create_host_path: true } },
        { type: 'bind', source: '/b', target: '/b', bind: { create_host_path: false } },
      ],
    );
  });

  it('long form: tmpfs and volume entries keep their options', () => {
    assert.deepEqual(
      volumesOf('      - {type: tmpfs, target: /tmp/, tmpfs: {size: 1000}}\n      - {type: volume, source: v, target: /v, volume: {nocopy: "yes"}}\n'),
      [
        { type: 'tmpfs', target: '/tmp', tmpfs: { size: 1000 } },
        { type: 'volume', source: 'v', target: '/v', volume: { nocopy: true } },
      ],
    );
  });

  for (const [item, why] of [
    ['"./a:/a:rx"', '"rx" is not a volume mode'],
    ['"./a:/a:ro:z"', 'too many colons'],
    ['"./a::ro"', 'empty section'],
    ['"./a:data"', 'target "data" is not an absolute path'],
    ['"relative"', 'target "relative" is not an absolute path'],
  ] as const) {
    it(`rejects ${item} with the path and position`, () => {
      const e = volumeError(item);
      assert.equal(e.kind, 'value');
      assert.equal(e.path, 'services.web.volumes[1]');
      assert.deepEqual(e.position, { file: FILE, line: 5, col: 9 });
      assert.ok(e.message.includes(why), e.message);
      assert.ok(e.hint);
    });
  }

  it('rejects an empty long-form target and a bind without a source', () => {
    const e1 = volumeError('{type: volume, target: ""}');
    assert.match(e1.message, /empty target/);
    const e2 = volumeError('{type: bind, target: /x}');
    assert.match(e2.message, /needs a source/);
    assert.equal(e2.path, 'services.web.volumes[1]');
  });
});
