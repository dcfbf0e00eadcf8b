import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineError, type BuildMessage, type EngineClient } from '../../src/engine-client/index.js';
import { splitTag } from '../../src/engine-client/images-client.js';
import { collect, newTestRun, TEST_IMAGE, testClient } from './test-engine.js';

/** A tar of a build context made of the given files. */
function contextTar(files: Record<string, string>): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-ec-build-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return execFileSync('tar', ['-c', '-C', dir, ...Object.keys(files)]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('images (real engine)', function () {
  this.timeout(30_000);
  const run = newTestRun();
  let client: EngineClient;

  before(async () => {
    client = await testClient();
  });
  after(async () => {
    await run.sweep(client);
  });

  it('splits references into name and tag', () => {
    assert.deepEqual(splitTag('busybox'), { name: 'busybox' });
    assert.deepEqual(splitTag('localhost:5000/app:1.2'), { name: 'localhost:5000/app', tag: '1.2' });
    assert.deepEqual(splitTag('localhost:5000/app'), { name: 'localhost:5000/app' });
    assert.deepEqual(splitTag('app@sha256:abc'), { name: 'app', tag: 'sha256:abc' });
  });

  it('inspects an image, and answers undefined for one that is not there', async () => {
    const image = await client.images.inspect(TEST_IMAGE);
    assert.match(image?.Id ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.ok(image?.RepoTags.includes(TEST_IMAGE));
    assert.equal(await client.images.inspect('gantry-no-such-image:nope'), undefined);
    assert.equal(await client.images.inspect('localhost:5000/gantry/no-such:nope'), undefined);
  });

  it('tags, lists and removes', async () => {
    const tag = `gantry-test-${run.id}:tagged`;
    await client.images.tag(TEST_IMAGE, tag);
    const listed = await client.images.list({ filters: { reference: [tag] } });
    assert.equal(listed.length, 1);
    assert.ok(listed[0]!.RepoTags?.includes(tag));
    const removed = await client.images.remove(tag);
    assert.deepEqual(removed, [{ Untagged: tag }]);
    assert.ok(await client.images.inspect(TEST_IMAGE), 'removing a tag leaves the image');
    await assert.rejects(client.images.remove(tag), (e: unknown) => e instanceof EngineError && e.statusCode === 404 && e.message.startsWith(`remove image ${tag}: `));
  });

  it('builds from a tar context with a Dockerfile name, build args, a target stage, labels and several tags #distribution', async () => {
    const dockerfile = [
      `FROM ${TEST_IMAGE} AS base`,
      'ARG RUN_ID',
      'LABEL dev.gantry.test-run=$RUN_ID',
      'ARG WHO=nobody',
      'RUN echo "hi $WHO" > /who.txt',
      'COPY greeting.txt /greeting.txt',
      'FROM base AS broken',
      'RUN exit 3',
    ].join('\n');
    const tags = [`gantry-test-${run.id}:built`, `gantry-test-${run.id}:also`];
    const messages: BuildMessage[] = await collect(
      client.images.build(contextTar({ 'Build.dockerfile': dockerfile, 'greeting.txt': 'hello\n' }), {
        tags,
        dockerfile: 'Build.dockerfile',
        buildArgs: { RUN_ID: run.id, WHO: 'gantry' },
        target: 'base',
        labels: { 'dev.gantry.built-by': 'engine-client-test' },
      }),
    );
    assert.ok(messages.some((m) => m.stream?.includes('Successfully built')), 'the classic builder reports success');
    const image = await client.images.inspect(tags[0]!);
    assert.ok(image?.RepoTags.includes(tags[1]!), 'every tag is applied');
    assert.equal(image?.Config?.Labels?.['dev.gantry.test-run'], run.id);
    assert.equal(image?.Config?.Labels?.['dev.gantry.built-by'], 'engine-client-test');

    const name = run.name('from-build');
    await client.containers.create({ Image: tags[0]!, Cmd: ['cat', '/who.txt', '/greeting.txt'], Labels: run.labels }, { name });
    await client.containers.start(name);
    assert.equal(await client.containers.wait(name), 0);
    assert.deepEqual((await collect(client.containers.logs(name))).map((l) => l.line), ['hi gantry', 'hello']);
  });

  it('turns a failure inside the build output into an error with the engine message #distribution', async () => {
    const dockerfile = [`FROM ${TEST_IMAGE}`, 'ARG RUN_ID', 'LABEL dev.gantry.test-run=$RUN_ID', 'RUN exit 3'].join('\n');
    const tag = `gantry-test-${run.id}:broken`;
    await assert.rejects(collect(client.images.build(contextTar({ Dockerfile: dockerfile }), { tags: [tag], buildArgs: { RUN_ID: run.id } })), (e: unknown) => {
      assert.ok(e instanceof EngineError);
      assert.match(e.message, new RegExp(`^build image ${tag}: The command '/bin/sh -c exit 3' returned a non-zero code: 3`));
      return true;
    });
    assert.equal(await client.images.inspect(tag), undefined);
  });

  it('reports a pull that cannot reach its registry as an engine error', async () => {
    const ref = '127.0.0.1:9/gantry/nothing:latest';
    await assert.rejects(collect(client.images.pull(ref)), (e: unknown) => {
      assert.ok(e instanceof EngineError);
      assert.ok(e.message.startsWith(`pull image ${ref}: `), e.message);
      assert.match(e.engineMessage ?? '', /127\.0\.0\.1:9/);
      return true;
    });
  });
});
