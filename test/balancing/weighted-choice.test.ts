import assert from 'node:assert/strict';
import { chooseWeighted, cumulativeWeights } from '../../src/balancing/weighted-choice';

describe('weighted choice', () => {
  it('maps [0, 1) onto slots sized by weight and skips zero weights', () => {
    const c = cumulativeWeights([1, 0, 3]);
    assert.deepEqual([...c], [1, 1, 4]);
    assert.equal(chooseWeighted(c, 0), 0);
    assert.equal(chooseWeighted(c, 0.2499), 0);
    assert.equal(chooseWeighted(c, 0.25), 2);
    assert.equal(chooseWeighted(c, 0.9999), 2);
  });
});
