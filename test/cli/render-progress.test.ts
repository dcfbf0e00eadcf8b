// The progress renderers on a captured stream: listr2 rows on a (fake) terminal, lines otherwise.

import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { progressView } from '../../src/cli/render/progress.js';

function capture(isTTY: boolean): { stream: PassThrough & { isTTY?: boolean; columns?: number; rows?: number }; text: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 100, rows: 40 });
  let out = '';
  stream.on('data', (d: Buffer) => (out += d.toString()));
  return { stream, text: () => out };
}

const strip = (s: string) => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

describe('progress renderers', () => {
  it('auto on a terminal draws one listr2 row per resource, ending in its final state', async () => {
    const { stream, text } = capture(true);
    const view = await progressView('auto', stream);
    view.sink({ object: 'Network', name: 'p_default', status: 'Creating', done: false });
    view.sink({ object: 'Network', name: 'p_default', status: 'Created', done: true });
    view.sink({ object: 'Container', name: 'p-web-1', status: 'Creating', done: false });
    await new Promise((r) => setTimeout(r, 50));
    // A row that appears once the list is already running.
    view.sink({ object: 'Container', name: 'p-db-1', status: 'Starting', done: false });
    view.sink({ object: 'Container', name: 'p-web-1', status: 'Started', done: true });
    await new Promise((r) => setTimeout(r, 50));
    view.sink({ object: 'Container', name: 'p-db-1', status: 'Started', done: true });
    await view.end();
    const final = strip(text());
    assert.match(final, /Network p_default {2}Created/);
    assert.match(final, /Container p-web-1 {2}Started/);
    assert.match(final, /Container p-db-1 {2}Started/);
    assert.ok(final.includes('✔'), final);
  });

  it('auto off a terminal is plain: one line per event', async () => {
    const { stream, text } = capture(false);
    const view = await progressView('auto', stream);
    view.sink({ object: 'Container', name: 'p-web-1', status: 'Creating', done: false });
    view.sink({ object: 'Container', name: 'p-web-1', status: 'Started', done: true });
    await view.end();
    assert.equal(text(), ' Container p-web-1  Creating\n Container p-web-1  Started\n');
  });

  it('json is one object per line; quiet writes nothing', async () => {
    const { stream, text } = capture(false);
    const json = await progressView('json', stream);
    json.sink({ object: 'Image', name: 'busybox', status: 'Pulled', done: true });
    const quiet = await progressView('quiet', stream);
    quiet.sink({ object: 'Image', name: 'busybox', status: 'Pulled', done: true });
    assert.deepEqual(JSON.parse(text()), { id: 'Image busybox', object: 'Image', name: 'busybox', status: 'Pulled', done: true });
  });
});
