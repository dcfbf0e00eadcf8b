import assert from 'node:assert/strict';
import { DEFAULT_PATH, resolveProcess } from '../../../src/engine/containers/bundle/process-spec.js';

const image = {
  Entrypoint: ['/docker-entrypoint.sh'],
  Cmd: ['nginx', '-g', 'daemon off;'],
  Env: ['PATH=/opt/bin:/usr/bin', 'NGINX_VERSION=1.25', 'MODE=image'],
  WorkingDir: '/srv',
  User: 'www',
};

describe('bundle: resolveProcess', () => {
  it('runs the image entrypoint with the image cmd by default', () => {
    const p = resolveProcess({ Hostname: 'abc123' }, image, { home: '/var/www' });
    assert.deepEqual(p.args, ['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;']);
    assert.equal(p.cwd, '/srv');
    assert.equal(p.user, 'www');
    assert.deepEqual(p.env, [
      'PATH=/opt/bin:/usr/bin',
      'HOSTNAME=abc123',
      'NGINX_VERSION=1.25',
      'MODE=image',
      'HOME=/var/www',
    ]);
  });

  it('replaces only the cmd when the request gives one', () => {
    assert.deepEqual(resolveProcess({ Cmd: ['sh'] }, image).args, ['/docker-entrypoint.sh', 'sh']);
  });

  it('drops the image cmd with a request entrypoint', () => {
    assert.deepEqual(resolveProcess({ Entrypoint: ['/bin/echo'] }, image).args, ['/bin/echo']);
    assert.deepEqual(resolveProcess({ Entrypoint: ['/bin/echo'], Cmd: ['hi'] }, image).args, ['/bin/echo', 'hi']);
  });

  it('resets the entrypoint with [""] (image cmd gone) or [] (image cmd kept)', () => {
    assert.deepEqual(resolveProcess({ Entrypoint: [''], Cmd: ['ls'] }, image).args, ['ls']);
    assert.deepEqual(resolveProcess({ Entrypoint: [] }, image).args, ['nginx', '-g', 'daemon off;']);
    assert.throws(() => resolveProcess({ Entrypoint: [''] }, image), /No command specified/);
  });

  it('fails when nothing is left to run', () => {
    assert.throws(() => resolveProcess({}, {}), (e: Error) => e.name === 'BundleError' && e.message === 'No command specified');
    assert.throws(() => resolveProcess({ Cmd: [] }, { Cmd: null }), /No command specified/);
  });

  it('merges env by name, request first, and honours bare names as removal', () => {
    const p = resolveProcess({ Env: ['MODE=request', 'EXTRA=1', 'PATH'], Tty: true, Hostname: 'h' }, image);
    assert.deepEqual(p.env, ['HOSTNAME=h', 'TERM=xterm', 'MODE=request', 'EXTRA=1', 'NGINX_VERSION=1.25', 'HOME=/']);
  });

  it('adds the default PATH, keeps a requested HOME and defaults cwd and user', () => {
    const p = resolveProcess({ Cmd: ['true'], Env: ['HOME=/custom'], User: '1000:1000' }, { User: 'ignored' });
    assert.deepEqual(p.env, [`PATH=${DEFAULT_PATH}`, 'HOSTNAME=', 'HOME=/custom']);
    assert.equal(p.cwd, '/');
    assert.equal(p.user, '1000:1000');
    assert.equal(resolveProcess({ Cmd: ['true'], WorkingDir: '/a/./b/../c/' }, {}).cwd, '/a/c');
    assert.throws(() => resolveProcess({ Cmd: ['true'], WorkingDir: 'rel' }, {}), /needs to be an absolute path/);
  });
});
