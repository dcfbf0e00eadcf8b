import assert from 'node:assert/strict';
import { ApiError } from '../../../src/engine/api/api-error.js';
import { matchLabels, queryBool, queryFilters } from '../../../src/engine/api/http-io.js';
import { Router } from '../../../src/engine/api/router.js';

describe('engine router', () => {
  const router = new Router().get('/containers/{id}/json', () => undefined).post('/containers/{id}/start', () => undefined).get('/images/{name*}/json', () => undefined);

  it('strips the version prefix and fills parameters', () => {
    const m = router.match('GET', '/v1.41/containers/abc/json?size=1');
    assert.equal(m.ctx.apiVersion, '1.41');
    assert.equal(m.ctx.path, '/containers/abc/json');
    assert.deepEqual(m.ctx.params, { id: 'abc' });
    assert.equal(m.ctx.query.get('size'), '1');
    assert.deepEqual(router.match('GET', '/containers/x%2Fy/json').ctx.params, { id: 'x/y' });
  });

  it('lets a trailing parameter hold slashes (image names)', () => {
    assert.deepEqual(router.match('GET', '/v1.43/images/127.0.0.1:5000/team/app:1/json').ctx.params, { name: '127.0.0.1:5000/team/app:1' });
  });

  it('answers 404 for unknown paths and 405 for a known path with another method', () => {
    assert.throws(() => router.match('GET', '/nope'), (e: unknown) => e instanceof ApiError && e.status === 404);
    assert.throws(() => router.match('DELETE', '/containers/a/start'), (e: unknown) => e instanceof ApiError && e.status === 405);
  });

  it('refuses API versions older than the minimum', () => {
    assert.throws(() => router.match('GET', '/v1.10/containers/a/json'), (e: unknown) => e instanceof ApiError && e.status === 400 && /too old/.test(e.message));
  });

  it("reads docker's query values", () => {
    const q = new URLSearchParams('a=1&b=true&c=0&filters=' + encodeURIComponent('{"label":["x=y"],"status":{"running":true}}'));
    assert.equal(queryBool(q, 'a'), true);
    assert.equal(queryBool(q, 'b'), true);
    assert.equal(queryBool(q, 'c'), false);
    assert.equal(queryBool(q, 'missing', true), true);
    assert.deepEqual(queryFilters(q), { label: ['x=y'], status: ['running'] });
    assert.throws(() => queryFilters(new URLSearchParams('filters={bad')), /invalid filter/);
  });

  it('matches label filters by key or key=value', () => {
    assert.equal(matchLabels({ a: '1', b: '' }, ['a', 'b=']), true);
    assert.equal(matchLabels({ a: '1' }, ['a=2']), false);
    assert.equal(matchLabels(undefined, undefined), true);
  });
});
