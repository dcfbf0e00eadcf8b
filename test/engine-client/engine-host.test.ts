import assert from 'node:assert/strict';
import { GantryError } from '../../src/common/errors.js';
import { chooseHost, DEFAULT_HOST, parseEngineHost } from '../../src/engine-client/engine-host.js';
import { createModem } from '../../src/engine-client/engine-modem.js';

describe('engine host (DOCKER_HOST, --host)', () => {
  it("falls back to the embedded engine's socket, or to the given default host", () => {
    assert.deepEqual(chooseHost({ env: {} }), { url: DEFAULT_HOST, endpoint: { kind: 'unix', socketPath: '/run/gantry/engine.sock' }, source: 'default' });
    const other = chooseHost({ env: { DOCKER_HOST: '' }, defaultHost: 'unix:///var/run/docker.sock' });
    assert.deepEqual(other.endpoint, { kind: 'unix', socketPath: '/var/run/docker.sock' });
    assert.equal(other.source, 'default');
  });

  it('takes DOCKER_HOST over the default, and --host over DOCKER_HOST', () => {
    const env = { DOCKER_HOST: 'tcp://10.0.0.5:2375' };
    assert.deepEqual(chooseHost({ env, defaultHost: 'unix:///x.sock' }).endpoint, { kind: 'tcp', host: '10.0.0.5', port: 2375 });
    assert.equal(chooseHost({ env }).source, 'DOCKER_HOST');
    const flag = chooseHost({ env, host: 'unix:///tmp/other.sock' });
    assert.deepEqual(flag.endpoint, { kind: 'unix', socketPath: '/tmp/other.sock' });
    assert.equal(flag.source, '--host');
  });

  it('reads tcp hosts with and without a port, bracketed IPv6 and a bare host:port', () => {
    assert.deepEqual(parseEngineHost('tcp://docker.example'), { kind: 'tcp', host: 'docker.example', port: 2375 });
    assert.deepEqual(parseEngineHost('tcp://[::1]:2380/'), { kind: 'tcp', host: '::1', port: 2380 });
    assert.deepEqual(parseEngineHost('localhost:1234'), { kind: 'tcp', host: 'localhost', port: 1234 });
  });

  it('turns on TLS with DOCKER_TLS_VERIFY, and certificates without verification with DOCKER_CERT_PATH alone', () => {
    const verified = chooseHost({ env: { DOCKER_HOST: 'tcp://h', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' } });
    assert.deepEqual(verified.endpoint, { kind: 'tcp', host: 'h', port: 2376, tls: { certPath: '/certs', verify: true } });
    const keepsPort = chooseHost({ env: { DOCKER_HOST: 'tcp://h:9999', DOCKER_TLS_VERIFY: '1' }, homeDir: '/home/u' });
    assert.deepEqual(keepsPort.endpoint, { kind: 'tcp', host: 'h', port: 9999, tls: { certPath: '/home/u/.docker', verify: true } });
    const unverified = chooseHost({ env: { DOCKER_HOST: 'tcp://h:2376', DOCKER_CERT_PATH: '/certs' } });
    assert.deepEqual(unverified.endpoint, { kind: 'tcp', host: 'h', port: 2376, tls: { certPath: '/certs', verify: false } });
    // TLS settings never apply to a unix socket.
    assert.deepEqual(chooseHost({ env: { DOCKER_TLS_VERIFY: '1' } }).endpoint, { kind: 'unix', socketPath: '/run/gantry/engine.sock' });
  });

  it('reads ssh hosts with user and port', () => {
    assert.deepEqual(parseEngineHost('ssh://deploy@build.example:2222'), { kind: 'ssh', host: 'build.example', port: 2222, username: 'deploy' });
    assert.deepEqual(parseEngineHost('ssh://build.example'), { kind: 'ssh', host: 'build.example', port: 22 });
  });

  it('rejects malformed hosts with a usage error that shows the right forms', () => {
    for (const [bad, words] of [
      ['unix://relative.sock', /absolute socket path/],
      ['ftp://host', /unsupported scheme "ftp:\/\/"/],
      ['tcp://host:99999', /port that is not a number/],
      ['tcp://:2375', /no host name/],
      ['ssh://u@host/path', /must not have a path/],
      ['/var/run/docker.sock', /write it as unix:\/\/\/var\/run\/docker.sock/],
    ] as const) {
      assert.throws(
        () => chooseHost({ env: { DOCKER_HOST: bad } }),
        (e: unknown) => e instanceof GantryError && e.kind === 'usage' && words.test(e.message) && e.message.includes(`DOCKER_HOST "${bad}"`) && /unix:\/\/\/path/.test(e.hint ?? ''),
        bad,
      );
    }
    assert.throws(() => chooseHost({ host: 'ftp://x', env: {} }), /--host "ftp:\/\/x"/);
  });

  it('says which certificate directory is unreadable', () => {
    const choice = chooseHost({ env: { DOCKER_HOST: 'tcp://h', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nonexistent/certs' } });
    assert.throws(
      () => createModem(choice, {}),
      (e: unknown) => e instanceof GantryError && e.kind === 'file' && e.message.includes('/nonexistent/certs') && /ca\.pem/.test(e.hint ?? ''),
    );
  });
});
