import assert from 'node:assert/strict';
import { CompiledQueryParameterMatcher } from '../../src/routing/query-parameter-matcher';
import { findQueryParameter } from '../../src/routing/query-string';
import { exact, thrown } from './fixtures';

describe('findQueryParameter', () => {
  it('returns the first value, percent-decoded', () => {
    assert.equal(findQueryParameter('/p?a=1&b=x%20y&a=2', 'a'), '1');
    assert.equal(findQueryParameter('/p?a=1&b=x%20y', 'b'), 'x y');
  });
  it('returns "" for a parameter without =, undefined when absent', () => {
    assert.equal(findQueryParameter('/p?debug&a=1', 'debug'), '');
    assert.equal(findQueryParameter('/p?debugger=1', 'debug'), undefined);
    assert.equal(findQueryParameter('/p', 'a'), undefined);
  });
  it('stops at the fragment and ignores a ? inside it', () => {
    assert.equal(findQueryParameter('/p?a=1#b=2', 'b'), undefined);
    assert.equal(findQueryParameter('/p#x?a=1', 'a'), undefined);
  });
  it('keeps malformed escapes as sent', () => {
    assert.equal(findQueryParameter('/p?a=%zz', 'a'), '%zz');
  });
});

describe('CompiledQueryParameterMatcher', () => {
  it('without a matcher, requires the parameter to be present', () => {
    const m = new CompiledQueryParameterMatcher({ name: 'debug' }, 'q');
    assert.equal(m.matches('/p?debug'), true);
    assert.equal(m.matches('/p?other=1'), false);
  });
  it('with a string matcher, tests the first value', () => {
    const m = new CompiledQueryParameterMatcher({ name: 'v', matcher: exact('2') }, 'q');
    assert.equal(m.matches('/p?v=2'), true);
    assert.equal(m.matches('/p?v=1&v=2'), false);
    assert.equal(m.matches('/p'), false);
  });
  it('rejects an empty name and an empty prefix matcher', () => {
    assert.equal(thrown(() => new CompiledQueryParameterMatcher({ name: '' }, 'q[0]')).field, 'q[0].name');
    const err = thrown(
      () => new CompiledQueryParameterMatcher({ name: 'a', matcher: { kind: 'prefix', value: '', ignoreCase: false } }, 'q[0]'),
    );
    assert.equal(err.field, 'q[0].matcher.value');
  });
});
