import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/errors';
import type { PathMatcher } from '../../src/model/route-table';
import { compilePathMatcher, pathEnd } from '../../src/routing/path-matcher';
import { thrown } from './fixtures';

function matches(m: PathMatcher, path: string, caseSensitive = true): boolean {
  return compilePathMatcher(m, caseSensitive, 'f')(path, pathEnd(path));
}

describe('compilePathMatcher', () => {
  it('prefix: "" and "/" match every path', () => {
    for (const value of ['', '/']) {
      assert.equal(matches({ kind: 'prefix', value }, '/pkg.Svc/Method'), true);
    }
  });
  it('prefix: the path starts with the value', () => {
    assert.equal(matches({ kind: 'prefix', value: '/svc.A/' }, '/svc.A/Get'), true);
    assert.equal(matches({ kind: 'prefix', value: '/svc.A/' }, '/svc.B/Get'), false);
  });
  it('prefix does not reach into the query string', () => {
    assert.equal(matches({ kind: 'prefix', value: '/a?x' }, '/a?x=1'), false);
  });
  it('path: equals the value once the query string and fragment are removed', () => {
    assert.equal(matches({ kind: 'path', value: '/api' }, '/api?x=1'), true);
    assert.equal(matches({ kind: 'path', value: '/api' }, '/api#frag'), true);
    assert.equal(matches({ kind: 'path', value: '/api' }, '/api/'), false);
    assert.equal(matches({ kind: 'path', value: '/api' }, '/ap'), false);
  });
  it('caseSensitive false compares prefix, path and pathSeparatedPrefix case-insensitively', () => {
    assert.equal(matches({ kind: 'prefix', value: '/Svc' }, '/svc/Method', false), true);
    assert.equal(matches({ kind: 'prefix', value: '/Svc' }, '/svc/Method', true), false);
    assert.equal(matches({ kind: 'path', value: '/API' }, '/api', false), true);
    assert.equal(matches({ kind: 'pathSeparatedPrefix', value: '/API' }, '/api/x', false), true);
  });
  it('regex: must match the entire path (query stripped); caseSensitive does not apply', () => {
    const m: PathMatcher = { kind: 'regex', regex: '/v[0-9]+/items' };
    assert.equal(matches(m, '/v2/items'), true);
    assert.equal(matches(m, '/v2/items?q=1'), true);
    assert.equal(matches(m, '/v2/items/1'), false);
    assert.equal(matches(m, '/V2/ITEMS', false), false);
  });
  it('pathSeparatedPrefix: the value itself or the value followed by /', () => {
    const m: PathMatcher = { kind: 'pathSeparatedPrefix', value: '/api/dev' };
    for (const p of ['/api/dev', '/api/dev/', '/api/dev/v1', '/api/dev?x=1']) assert.equal(matches(m, p), true, p);
    for (const p of ['/api/devx', '/api/de', '/api']) assert.equal(matches(m, p), false, p);
  });
  it('rejects a pathSeparatedPrefix ending in /', () => {
    const err = thrown(() => compilePathMatcher({ kind: 'pathSeparatedPrefix', value: '/api/' }, true, 'routes[0].match.path'));
    assert.equal(err.code, ErrorCode.INVALID_CONFIG);
    assert.equal(err.field, 'routes[0].match.path.value');
  });
  it('rejects an invalid path regex', () => {
    const err = thrown(() => compilePathMatcher({ kind: 'regex', regex: '*' }, true, 'routes[0].match.path'));
    assert.equal(err.field, 'routes[0].match.path.regex');
  });
});
