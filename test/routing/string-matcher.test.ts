import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/errors';
import { compileStringMatcher, validateStringMatcher } from '../../src/routing/string-matcher';
import { thrown } from './fixtures';

describe('compileStringMatcher', () => {
  const m = (kind: 'exact' | 'prefix' | 'suffix' | 'contains', value: string, ignoreCase = false) =>
    compileStringMatcher({ kind, value, ignoreCase }, 'f');

  it('exact matches the whole value only', () => {
    assert.equal(m('exact', 'canary')('canary'), true);
    assert.equal(m('exact', 'canary')('canary2'), false);
    assert.equal(m('exact', 'canary')('Canary'), false);
    assert.equal(m('exact', '')(''), true);
  });
  it('prefix, suffix and contains look at the start, the end and anywhere', () => {
    assert.equal(m('prefix', 'ab')('abc'), true);
    assert.equal(m('prefix', 'ab')('cab'), false);
    assert.equal(m('suffix', 'bc')('abc'), true);
    assert.equal(m('suffix', 'bc')('bca'), false);
    assert.equal(m('contains', 'b')('abc'), true);
    assert.equal(m('contains', 'x')('abc'), false);
  });
  it('ignoreCase folds ASCII letters for every non-regex kind', () => {
    assert.equal(m('exact', 'CaNaRy', true)('canARY'), true);
    assert.equal(m('exact', 'canary', true)('canar'), false);
    assert.equal(m('prefix', 'AB', true)('abc'), true);
    assert.equal(m('suffix', 'BC', true)('aBc'), true);
    assert.equal(m('suffix', 'abcd', true)('bcd'), false);
    assert.equal(m('contains', 'B-C', true)('xb-cx'), true);
    assert.equal(m('contains', 'B-D', true)('xb-cx'), false);
  });
  it('ignoreCase does not fold non-ASCII letters (as Envoy)', () => {
    assert.equal(m('exact', 'É', true)('é'), false);
    assert.equal(m('exact', 'É', true)('É'), true);
  });
  it('regex must match the entire value', () => {
    const r = compileStringMatcher({ kind: 'regex', regex: 'v[0-9]+' }, 'f');
    assert.equal(r('v12'), true);
    assert.equal(r('xv12'), false);
    assert.equal(r('v12x'), false);
  });
  it('rejects empty prefix, suffix and contains values, naming the field', () => {
    for (const kind of ['prefix', 'suffix', 'contains'] as const) {
      const err = thrown(() => compileStringMatcher({ kind, value: '', ignoreCase: false }, 'headers[0]'));
      assert.equal(err.code, ErrorCode.INVALID_CONFIG);
      assert.equal(err.field, 'headers[0].value');
    }
  });
  it('rejects an invalid regex, naming the regex field', () => {
    const err = thrown(() => compileStringMatcher({ kind: 'regex', regex: '(a' }, 'headers[1].match.matcher'));
    assert.equal(err.code, ErrorCode.INVALID_CONFIG);
    assert.equal(err.field, 'headers[1].match.matcher.regex');
  });
  it('validateStringMatcher accepts a valid matcher and rejects what compile rejects', () => {
    assert.doesNotThrow(() => validateStringMatcher({ kind: 'suffix', value: '.com', ignoreCase: true }, 'f'));
    assert.equal(thrown(() => validateStringMatcher({ kind: 'contains', value: '', ignoreCase: true }, 'f')).field, 'f.value');
  });
});
