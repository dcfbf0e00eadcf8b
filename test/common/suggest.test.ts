import assert from 'node:assert/strict';
import { closest, editDistance, suggestion } from '../../src/common/suggest.js';

describe('suggestions', () => {
  it('measures edit distance', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('same', 'same'), 0);
  });

  it('finds plausible typos and refuses far-fetched ones', () => {
    assert.equal(closest('imgae', ['image', 'build', 'ports']), 'image');
    assert.equal(closest('restart_policy', ['restart', 'ports']), 'restart');
    assert.equal(closest('zzzzzz', ['image', 'build']), undefined);
  });

  it('lists what exists when nothing is close', () => {
    assert.equal(suggestion('dbx', ['db', 'web'], 'service'), 'did you mean "db"?');
    assert.equal(suggestion('qqqqqq', ['db', 'web'], 'service'), 'defined services: db, web');
    assert.equal(suggestion('x', [], 'network'), 'no network is defined');
  });
});
