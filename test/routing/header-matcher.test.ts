import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/errors';
import type { HeaderMatch, HeaderMatcher } from '../../src/model/route-table';
import { CompiledHeaderMatcher } from '../../src/routing/header-matcher';
import type { RequestContext } from '../../src/routing/request-context';
import type { RoutingMode } from '../../src/routing/routing-mode';
import { exact, thrown } from './fixtures';

function matcher(name: string, match: HeaderMatch, extra: Partial<HeaderMatcher> = {}): CompiledHeaderMatcher {
  return new CompiledHeaderMatcher({ name, match, invert: false, treatMissingAsEmpty: false, ...extra }, 'h');
}
const str = (value: string) => ({ kind: 'string', matcher: exact(value) }) as const;
const range = (start: bigint, end: bigint) => ({ kind: 'range', start, end }) as const;
const present = (p: boolean) => ({ kind: 'present', present: p }) as const;
const withHeaders = (headers: Record<string, string | string[]>): RequestContext => ({ headers });

function test(m: CompiledHeaderMatcher, ctx: RequestContext, mode: RoutingMode = 'http', authority = 'svc'): boolean {
  return m.matches(ctx, authority, mode);
}

describe('CompiledHeaderMatcher', () => {
  it('matches a string matcher against the header value', () => {
    const m = matcher('x-env', str('canary'));
    assert.equal(test(m, withHeaders({ 'x-env': 'canary' })), true);
    assert.equal(test(m, withHeaders({ 'x-env': 'prod' })), false);
  });
  it('joins multi-valued headers with "," before matching', () => {
    const m = matcher('x-tag', str('a,b'));
    assert.equal(test(m, withHeaders({ 'x-tag': ['a', 'b'] })), true);
    assert.equal(test(m, withHeaders({ 'x-tag': ['a'] })), false);
  });
  it('a missing header fails value matchers, inverted or not', () => {
    assert.equal(test(matcher('x-env', str('canary')), {}), false);
    assert.equal(test(matcher('x-env', str('canary'), { invert: true }), {}), false);
    assert.equal(test(matcher('x-n', range(0n, 10n), { invert: true }), {}), false);
  });
  it('invert negates a value test on a present header', () => {
    const m = matcher('x-env', str('canary'), { invert: true });
    assert.equal(test(m, withHeaders({ 'x-env': 'prod' })), true);
    assert.equal(test(m, withHeaders({ 'x-env': 'canary' })), false);
  });
  it('present tests presence; invert inverts the presence test', () => {
    const ctxWith = withHeaders({ 'x-a': '' });
    assert.equal(test(matcher('x-a', present(true)), ctxWith), true);
    assert.equal(test(matcher('x-a', present(true)), {}), false);
    assert.equal(test(matcher('x-a', present(false)), {}), true);
    assert.equal(test(matcher('x-a', present(false)), ctxWith), false);
    assert.equal(test(matcher('x-a', present(true), { invert: true }), {}), true);
    assert.equal(test(matcher('x-a', present(true), { invert: true }), ctxWith), false);
  });
  it('treatMissingAsEmpty evaluates an absent header as ""', () => {
    assert.equal(test(matcher('x-env', str(''), { treatMissingAsEmpty: true }), {}), true);
    assert.equal(test(matcher('x-env', str('canary'), { treatMissingAsEmpty: true, invert: true }), {}), true);
    assert.equal(test(matcher('x-env', present(true), { treatMissingAsEmpty: true }), {}), true);
  });
  it('treats -bin headers as absent', () => {
    const ctx = withHeaders({ 'x-trace-bin': 'AAEC' });
    assert.equal(test(matcher('x-trace-bin', present(true)), ctx, 'grpc'), false);
    assert.equal(test(matcher('x-trace-bin', str('AAEC')), ctx, 'http'), false);
  });
  it('exposes :method, :path and :authority in HTTP mode only', () => {
    const ctx: RequestContext = { method: 'POST', path: '/a?b=1' };
    assert.equal(test(matcher(':method', str('POST')), ctx), true);
    assert.equal(test(matcher(':path', str('/a?b=1')), ctx), true);
    assert.equal(test(matcher(':authority', str('svc:80')), ctx, 'http', 'svc:80'), true);
    assert.equal(test(matcher(':method', str('POST')), ctx, 'grpc'), false);
    assert.equal(test(matcher(':authority', present(true)), ctx, 'grpc'), false);
  });
  it('reports content-type as application/grpc in gRPC mode when unset', () => {
    const m = matcher('content-type', str('application/grpc'));
    assert.equal(test(m, {}, 'grpc'), true);
    assert.equal(test(m, {}, 'http'), false);
    assert.equal(test(m, withHeaders({ 'content-type': 'application/grpc+proto' }), 'grpc'), false);
  });
  it('ignores values that are not strings (prototype keys, numbers)', () => {
    assert.equal(test(matcher('constructor', present(true)), withHeaders({})), false);
  });

  describe('range', () => {
    const m = matcher('x-n', range(10n, 20n));
    const check = (value: string) => test(m, withHeaders({ 'x-n': value }));
    it('matches base-10 integers with start <= v < end', () => {
      assert.equal(check('10'), true);
      assert.equal(check('15'), true);
      assert.equal(check('+15'), true);
      assert.equal(check('0015'), true);
      assert.equal(check('19'), true);
      assert.equal(check('20'), false);
      assert.equal(check('9'), false);
    });
    it('rejects anything that is not an optional sign and digits', () => {
      for (const v of ['1.5', '15a', ' 15', '15 ', '', '-', '+', '0x10', '1e1']) assert.equal(check(v), false, v);
    });
    it('handles negative ranges and int64 limits', () => {
      const neg = matcher('x-n', range(-10n, 0n));
      assert.equal(test(neg, withHeaders({ 'x-n': '-10' })), true);
      assert.equal(test(neg, withHeaders({ 'x-n': '-0' })), false);
      const wide = matcher('x-n', range(-(2n ** 63n), 2n ** 63n - 1n));
      assert.equal(test(wide, withHeaders({ 'x-n': '-9223372036854775808' })), true);
      assert.equal(test(wide, withHeaders({ 'x-n': '9223372036854775806' })), true);
      assert.equal(test(wide, withHeaders({ 'x-n': '9223372036854775807' })), false, 'end is exclusive');
      assert.equal(test(wide, withHeaders({ 'x-n': '9223372036854775808' })), false, 'overflows int64');
      assert.equal(test(wide, withHeaders({ 'x-n': '123456789012345678901' })), false, 'more than 19 digits');
    });
    it('compares exactly near 2^53 where doubles would round', () => {
      const big = matcher('x-n', range(9007199254740993n, 9007199254740994n));
      assert.equal(test(big, withHeaders({ 'x-n': '9007199254740993' })), true);
      assert.equal(test(big, withHeaders({ 'x-n': '9007199254740992' })), false);
    });
  });

  it('rejects a range with start > end and an empty name, naming the field', () => {
    const err = thrown(() => new CompiledHeaderMatcher({ name: 'x', match: range(5n, 4n), invert: false, treatMissingAsEmpty: false }, 'm'));
    assert.equal(err.code, ErrorCode.INVALID_CONFIG);
    assert.equal(err.field, 'm.match.start');
    const err2 = thrown(() => new CompiledHeaderMatcher({ name: '', match: present(true), invert: false, treatMissingAsEmpty: false }, 'm'));
    assert.equal(err2.field, 'm.name');
  });
});
