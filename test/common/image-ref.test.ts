import assert from 'node:assert/strict';
import { formatImageReference, imageReferenceProblem, parseImageReference } from '../../src/common/image-ref.js';

describe('image references', () => {
  it('parses the familiar forms', () => {
    assert.deepEqual(parseImageReference('busybox'), { registry: 'docker.io', repository: 'library/busybox', tag: undefined, digest: undefined });
    assert.equal(formatImageReference(parseImageReference('busybox')), 'docker.io/library/busybox:latest');
    assert.equal(formatImageReference(parseImageReference('localhost:5000/app/web:dev')), 'localhost:5000/app/web:dev');
    assert.equal(parseImageReference('ghcr.io/o/r:1.2').registry, 'ghcr.io');
    const d = 'sha256:' + 'a'.repeat(64);
    assert.equal(parseImageReference(`busybox@${d}`).digest, d);
    assert.equal(parseImageReference(`busybox:1.36@${d}`).tag, '1.36');
  });

  it('names what is wrong with a bad reference', () => {
    assert.match(imageReferenceProblem('Busybox')!, /lowercase/);
    assert.match(imageReferenceProblem('busybox:')!, /not a valid tag/);
    assert.match(imageReferenceProblem('busy box')!, /not a valid repository/);
    assert.match(imageReferenceProblem('busybox@sha256:xyz')!, /digest/);
    assert.match(imageReferenceProblem('')!, /empty/);
    assert.equal(imageReferenceProblem('my-registry.local:5000/a_b/c-d:v1.0'), undefined);
  });
});
