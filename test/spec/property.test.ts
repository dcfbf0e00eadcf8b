// Whatever document a person (or a generator) writes, the loader either
// returns a Project or throws its own GantryError: never a TypeError, never
// an uncaught exception from a stage that trusted its input.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { GantryError } from '../../src/common/errors.js';
import { loadProject } from '../../src/spec/index.js';

const serviceKeys = ['image', 'build', 'command', 'entrypoint', 'environment', 'env_file', 'ports', 'volumes', 'depends_on', 'links', 'networks', 'network_mode', 'healthcheck', 'deploy', 'scale', 'profiles', 'extends', 'labels', 'restart', 'container_name', 'tmpfs', 'secrets', 'configs', 'stop_grace_period', 'mem_limit', 'shm_size', 'volumes_from', 'expose', 'dns', 'ulimits', 'bogus_key'];
const topKeys = ['services', 'networks', 'volumes', 'secrets', 'configs', 'name', 'include', 'x-ext', 'version', 'unknown'];

const scalar = fc.oneof(
  fc.constantFrom('busybox', 'web', 'db', '8080:80', '127.0.0.1:80:80/udp', './data:/data:ro', 'data:/x', '${X}', '${X:-1}', '${Y:?boom}', '$$', '10s', '1m30s', '512m', 'service:web', 'a=b', '', 'CMD', 'x:y:z:w', '-1', '0'),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -5, max: 70000 }),
  fc.boolean(),
  fc.constant(null),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.constantFrom(...serviceKeys, 'condition', 'target', 'published', 'source', 'type', 'test', 'replicas', 'web', 'db'), tie('node'), { maxKeys: 4 })),
})).node;
const service = fc.dictionary(fc.constantFrom(...serviceKeys), value, { maxKeys: 6 });
const document = fc.record(
  {
    services: fc.dictionary(fc.constantFrom('web', 'db', 'worker', 'bad name!'), fc.oneof(service, scalar), { maxKeys: 3 }),
    other: fc.dictionary(fc.constantFrom(...topKeys), value, { maxKeys: 3 }),
  },
).map(({ services, other }) => ({ ...other, services }));

describe('loader property: loads or fails with a GantryError', () => {
  it('holds for generated compose documents', async () => {
    await fc.assert(
      fc.asyncProperty(document, async (doc) => {
        const text = stringify(doc);
        try {
          await loadProject({ files: ['-'], stdin: text, workingDir: '/tmp', env: { X: 'x' }, projectName: 'prop' });
        } catch (e) {
          if (!(e instanceof GantryError)) {
            throw new Error(`not a GantryError for:\n${text}\n${(e as Error)?.stack}`);
          }
          assert.ok(e.message.length > 0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('holds for arbitrary text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), async (text) => {
        try {
          await loadProject({ files: ['-'], stdin: text, workingDir: '/tmp', env: {}, projectName: 'prop' });
        } catch (e) {
          if (!(e instanceof GantryError)) throw new Error(`not a GantryError for ${JSON.stringify(text)}: ${(e as Error)?.stack}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
