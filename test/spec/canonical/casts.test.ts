import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { GantryError } from '../../../src/common/errors.js';
import { canonicalize } from '../../../src/spec/canonical.js';
import { contextFor, FILE, plain, treeOf } from './yaml-tree.js';

const web = (yaml: string, ctx = contextFor()) => (plain(canonicalize(treeOf(`services:\n  web:\n${yaml}`), ctx).services) as any).web;

describe('canonical: typed scalars left as strings by interpolation', () => {
  it('integers, numbers and booleans', () => {
    const s = web(
      '    scale: "2"\n    cpus: "0.5"\n    pids_limit: "-1"\n    privileged: "true"\n    tty: "False"\n    init: "false"\n    read_only: "TRUE"\n' +
        '    deploy:\n      replicas: "3"\n      resources:\n        limits:\n          cpus: "1.5"\n' +
        '    ulimits:\n      nproc: "65535"\n      nofile:\n        soft: "1024"\n        hard: "2048"\n',
    );
    assert.deepEqual(s, {
      scale: 2,
      cpus: 0.5,
      pids_limit: -1,
      privileged: true,
      tty: false,
      init: false,
      read_only: true,
      deploy: { replicas: 3, resources: { limits: { cpus: 1.5 } } },
      ulimits: { nproc: 65535, nofile: { soft: 1024, hard: 2048 } },
    });
  });

  it('values already typed are kept', () => {
    assert.deepEqual(web('    scale: 2\n    privileged: false\n'), { scale: 2, privileged: false });
  });

  it('YAML 1.1 booleans are accepted with a warning', () => {
    const ctx = contextFor();
    assert.deepEqual(web('    stdin_open: "yes"\n    tty: "off"\n', ctx), { stdin_open: true, tty: false });
    assert.equal(ctx.warnings.length, 2);
    assert.equal(ctx.warnings[0]!.path, 'services.web.stdin_open');
    assert.match(ctx.warnings[0]!.message, /use `true`/);
  });

  it('a string that does not cast is an error at its position', () => {
    assert.throws(
      () => web('    image: x\n    deploy:\n      replicas: "three"\n'),
      (e: GantryError) =>
        e.kind === 'value' &&
        e.path === 'services.web.deploy.replicas' &&
        e.position?.file === FILE &&
        e.position.line === 5 &&
        e.position.col === 17 &&
        /not a whole number/.test(e.message) &&
        e.hint === 'use a whole number, e.g. 3',
    );
    assert.throws(() => web('    privileged: "1"\n'), (e: GantryError) => e.path === 'services.web.privileged' && e.hint === 'use true or false');
    assert.throws(() => web('    cpus: "half"\n'), (e: GantryError) => e.path === 'services.web.cpus' && /not a number/.test(e.message));
  });

  it('without interpolation, ${VAR} strings pass through untouched', () => {
    assert.deepEqual(web('    scale: "${N}"\n    privileged: "${P:-false}"\n', contextFor({ interpolated: false })), {
      scale: '${N}',
      privileged: '${P:-false}',
    });
  });
});
