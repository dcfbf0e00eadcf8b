// The registry client's pure parts: challenge parsing, credentials,
// reference → endpoint, manifest parsing and platform choice.

import assert from 'node:assert/strict';
import { parseChallenges } from '../../../src/engine/images/registry/auth-challenge.js';
import { MEDIA, layerProblem, parseManifest, parsePlatform, pickPlatform, type Descriptor } from '../../../src/engine/images/registry/manifests.js';
import { decodeRegistryAuth } from '../../../src/engine/images/registry/registry-credentials.js';
import { loginTarget, registryTarget } from '../../../src/engine/images/registry/registry-target.js';

const D = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

describe('registry client parts', () => {
  it('parses Bearer and Basic challenges, quoted and bare, several in one header', () => {
    assert.deepEqual(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"'), [
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' } },
    ]);
    assert.deepEqual(parseChallenges('Basic realm=x, Bearer realm="a\\"b", service=s'), [
      { scheme: 'basic', params: { realm: 'x' } },
      { scheme: 'bearer', params: { realm: 'a"b', service: 's' } },
    ]);
    assert.deepEqual(parseChallenges(null), []);
  });

  it('decodes X-Registry-Auth in base64url and base64, and docker config `auth`', () => {
    const enc = (v: unknown, how: BufferEncoding) => Buffer.from(JSON.stringify(v)).toString(how);
    assert.deepEqual(decodeRegistryAuth(enc({ username: 'a', password: 'p?>~', serveraddress: 'h' }, 'base64url')), { username: 'a', password: 'p?>~', serveraddress: 'h', identitytoken: undefined, registrytoken: undefined });
    assert.equal(decodeRegistryAuth(enc({ username: 'a', password: 'p?>~' }, 'base64')).password, 'p?>~');
    assert.deepEqual(decodeRegistryAuth(enc({ auth: Buffer.from('me:se:cret').toString('base64') }, 'base64url')).password, 'se:cret');
    assert.deepEqual(decodeRegistryAuth(undefined), {});
    assert.deepEqual(decodeRegistryAuth('e30='), { username: undefined, password: undefined, serveraddress: undefined, identitytoken: undefined, registrytoken: undefined });
    assert.throws(() => decodeRegistryAuth('!!!not json'), /X-Registry-Auth/);
  });

  it('maps references to endpoints: Docker Hub over HTTPS, loopback over HTTP', () => {
    const hub = registryTarget('busybox', '');
    assert.deepEqual([hub.endpoint, hub.repository, hub.tag, hub.name], ['https://registry-1.docker.io', 'library/busybox', 'latest', 'docker.io/library/busybox']);
    assert.equal(registryTarget('localhost:5000/a/b', '2').endpoint, 'http://localhost:5000');
    assert.equal(registryTarget('127.3.4.5:80/a', null).endpoint, 'http://127.3.4.5:80');
    assert.equal(registryTarget('ghcr.io/o/r:v1', null).endpoint, 'https://ghcr.io');
    const byDigest = registryTarget('ghcr.io/o/r', D(1));
    assert.deepEqual([byDigest.tag, byDigest.digest], [undefined, D(1)]);
    assert.throws(() => registryTarget('BusyBox', null), /invalid reference format/);
    assert.equal(loginTarget('https://index.docker.io/v1/').endpoint, 'https://registry-1.docker.io');
    assert.equal(loginTarget('127.0.0.1:5000').endpoint, 'http://127.0.0.1:5000');
  });

  it('parses manifests and lists, refusing what it cannot trust', () => {
    const list = parseManifest(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: [{ digest: D(1), size: 5, platform: { os: 'linux', architecture: 'amd64' } }] })), null);
    assert.equal(list.kind, 'list');
    const image = parseManifest(Buffer.from(JSON.stringify({ schemaVersion: 2, config: { digest: D(2), size: 3 }, layers: [{ digest: D(3), size: 9, mediaType: MEDIA.dockerLayerGzip }] })), MEDIA.dockerManifest);
    assert.equal(image.kind, 'image');
    assert.throws(() => parseManifest(Buffer.from('{"schemaVersion":1}'), null), /schema version 1/);
    assert.throws(() => parseManifest(Buffer.from(JSON.stringify({ schemaVersion: 2, config: { digest: 'md5:x', size: 1 } })), null), /no sha256 digest/);
    assert.throws(() => parseManifest(Buffer.from(JSON.stringify({ schemaVersion: 2, config: { digest: D(2), size: -1 } })), null), /no valid size/);
    assert.match(layerProblem('application/vnd.oci.image.layer.v1.tar+zstd') ?? '', /zstd/);
    assert.equal(layerProblem('application/vnd.oci.image.layer.v1.tar'), undefined);
  });

  it('picks a platform: os and arch must match, the variant when given', () => {
    const entry = (n: number, architecture: string, variant?: string): Descriptor => ({ mediaType: MEDIA.ociManifest, digest: D(n), size: 1, platform: { os: 'linux', architecture, variant } });
    const list = [entry(1, 'arm', 'v6'), entry(2, 'arm', 'v7'), entry(3, 'arm64'), entry(4, 'amd64'), { ...entry(5, 'amd64'), platform: { os: 'windows', architecture: 'amd64' } }];
    assert.equal(pickPlatform(list, parsePlatform('linux/arm/v7')!)?.digest, D(2));
    assert.equal(pickPlatform(list, parsePlatform('linux/arm64/v8')!)?.digest, D(3));
    assert.equal(pickPlatform(list, parsePlatform('linux/amd64')!)?.digest, D(4));
    assert.equal(pickPlatform(list, parsePlatform('windows/amd64')!)?.digest, D(5));
    assert.equal(pickPlatform(list, parsePlatform('linux/s390x')!), undefined);
    assert.throws(() => parsePlatform('linux'), /os\/arch/);
  });
});
