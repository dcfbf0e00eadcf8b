import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { GantryError } from '../../../src/common/errors.js';
import { canonicalize } from '../../../src/spec/canonical.js';
import { contextFor, plain, treeOf } from './yaml-tree.js';

const buildOf = (yaml: string, ctx = contextFor()) =>
  (plain(canonicalize(treeOf(`services:\n  web:\n    build:${yaml}`), ctx).services) as any).web.build;

describe('canonical: services.*.build', () => {
  it('a string is an absolute context', () => {
    assert.deepEqual(buildOf(' ./app\n'), { context: '/project/app' });
    assert.deepEqual(buildOf(' .\n'), { context: '/project' });
  });

  it('long form: the context becomes absolute, dockerfile stays as written', () => {
    assert.deepEqual(buildOf('\n      context: ../svc\n      dockerfile: docker/Dockerfile.dev\n'), {
      context: '/svc',
      dockerfile: 'docker/Dockerfile.dev',
    });
  });

  for (const url of [
    'https://github.com/docker/rootfs.git#main',
    'git@github.com:docker/rootfs.git',
    'github.com/docker/rootfs',
    'docker-image://alpine',
  ]) {
    it(`a remote context is left alone: ${url}`, () => {
      assert.deepEqual(buildOf(` ${JSON.stringify(url)}\n`), { context: url });
    });
  }

  it('no context: left for normalize to fill in after the merge', () => {
    assert.deepEqual(buildOf('\n      dockerfile_inline: FROM scratch\n'), { dockerfile_inline: 'FROM scratch' });
  });

  it('additional contexts: list → mapping, paths absolute, images and services kept', () => {
    assert.deepEqual(
      buildOf('\n      context: .\n      additional_contexts:\n        - assets=./assets\n        - base=docker-image://alpine:3\n        - svc=service:base\n').additional_contexts,
      { assets: '/project/assets', base: 'docker-image://alpine:3', svc: 'service:base' },
    );
  });

  it('an additional context without = is an error', () => {
    assert.throws(
      () => buildOf('\n      context: .\n      additional_contexts: [assets]\n'),
      (e: GantryError) => e.kind === 'value' && e.path === 'services.web.build.additional_contexts[0]' && /NAME=/.test(e.hint ?? ''),
    );
  });

  it('ssh: list → mapping, default alone is null, key paths absolute', () => {
    assert.deepEqual(buildOf('\n      context: .\n      ssh: [default, key=~/.ssh/id]\n').ssh, { default: null, key: '/home/me/.ssh/id' });
    assert.throws(() => buildOf('\n      context: .\n      ssh: [mykey]\n'), GantryError);
  });

  it('secrets: a name → {source}; extra_hosts like the service attribute', () => {
    const b = buildOf('\n      context: .\n      secrets: [npmrc, {source: token, mode: "0400"}]\n      extra_hosts: ["repo:10.0.0.1"]\n');
    assert.deepEqual(b.secrets, [{ source: 'npmrc' }, { source: 'token', mode: 0o400 }]);
    assert.deepEqual(b.extra_hosts, ['repo=10.0.0.1']);
  });

  it('provenance and sbom are text; booleans are cast', () => {
    assert.deepEqual(buildOf('\n      context: .\n      provenance: true\n      sbom: "mode=max"\n      no_cache: "true"\n      pull: "off"\n'), {
      context: '/project',
      provenance: 'true',
      sbom: 'mode=max',
      no_cache: true,
      pull: false,
    });
  });
});
