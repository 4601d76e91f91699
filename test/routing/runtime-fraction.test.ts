import assert from 'node:assert/strict';
import { drawRuntimeFraction, validateRuntimeFraction } from '../../src/routing/runtime-fraction';
import { seededRandom, thrown } from './fixtures';

describe('drawRuntimeFraction', () => {
  it('matches 25 % ± 1 % of 100,000 draws at 250,000 per million', () => {
    const random = seededRandom(7);
    let hits = 0;
    for (let i = 0; i < 100_000; i++) if (drawRuntimeFraction(250_000, random)) hits++;
    assert.ok(Math.abs(hits / 100_000 - 0.25) <= 0.01, `got ${hits}`);
  });
  it('always matches when absent or at least a million, never at 0', () => {
    const random = seededRandom(1);
    for (let i = 0; i < 1000; i++) {
      assert.equal(drawRuntimeFraction(undefined, random), true);
      assert.equal(drawRuntimeFraction(2_000_000, random), true);
      assert.equal(drawRuntimeFraction(0, random), false);
    }
  });
  it('compares an integer draw in [0, 1e6) with the numerator', () => {
    assert.equal(drawRuntimeFraction(1, () => 0), true);
    assert.equal(drawRuntimeFraction(1, () => 0.000001), false);
    assert.equal(drawRuntimeFraction(999_999, () => 0.999999), false);
  });
  it('rejects negative and fractional values', () => {
    assert.equal(thrown(() => validateRuntimeFraction(-1, 'f')).field, 'f');
    assert.equal(thrown(() => validateRuntimeFraction(0.5, 'f')).field, 'f');
  });
});
