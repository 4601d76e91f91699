import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ErrorCode } from '../../src/errors';
import { compileRegexRewrite, compileSafeRegex, validateRe2 } from '../../src/routing/safe-regex';
import { thrown } from './fixtures';

describe('safe regex (RE2 via re2js)', () => {
  it('matches the entire input, not a substring', () => {
    const r = compileSafeRegex('/svc\\.[A-Z][a-z]+/Get', 'f');
    assert.equal(r.fullMatch('/svc.Foo/Get'), true);
    assert.equal(r.fullMatch('/svc.Foo/GetAll'), false);
    assert.equal(r.fullMatch('x/svc.Foo/Get'), false);
  });
  it('anchors alternations as a whole (a|ab matches ab)', () => {
    assert.equal(compileSafeRegex('a|ab', 'f').fullMatch('ab'), true);
  });
  it('rejects syntax RE2 does not have (lookahead, backreferences) with INVALID_CONFIG naming the field', () => {
    for (const bad of ['(?=x)', '(a)\\1', '[z-a]', '(']) {
      const err = thrown(() => validateRe2(bad, 'routes[3].match.path.regex'));
      assert.equal(err.code, ErrorCode.INVALID_CONFIG);
      assert.equal(err.field, 'routes[3].match.path.regex');
    }
  });
  it('accepts valid RE2', () => {
    assert.doesNotThrow(() => validateRe2('^[a-z]+(-[0-9]+)?$', 'f'));
  });
  it('stays linear on inputs that make backtracking engines explode', () => {
    const r = compileSafeRegex('(a+)+b', 'f');
    const started = process.hrtime.bigint();
    assert.equal(r.fullMatch('a'.repeat(5000)), false);
    assert.ok(process.hrtime.bigint() - started < 2_000_000_000n);
  });

  describe('regex rewrite', () => {
    it('replaces every match and expands \\N capture groups', () => {
      const rw = compileRegexRewrite('user-([0-9]+)', 'u\\1', 'f');
      assert.equal(rw.replaceAll('user-1,user-22'), 'u1,u22');
    });
    it('treats \\\\ as a backslash and $ as a literal', () => {
      assert.equal(compileRegexRewrite('a', '\\\\$1', 'f').replaceAll('xa'), 'x\\$1');
    });
    it('rejects references to missing groups and bad escapes in the substitution', () => {
      assert.equal(thrown(() => compileRegexRewrite('a', '\\1', 'hp')).field, 'hp.substitution');
      assert.equal(thrown(() => compileRegexRewrite('(a)', '\\q', 'hp')).field, 'hp.substitution');
      assert.equal(thrown(() => compileRegexRewrite('(a', 'x', 'hp')).field, 'hp.regex');
    });
  });

  it('does not load re2js for route tables without regexes, and loads it on the first regex', () => {
    const routerJs = path.resolve(__dirname, '../../src/routing/router.js');
    const script = `
      const { Router } = require(${JSON.stringify(routerJs)});
      const loaded = () => Object.keys(require.cache).some((k) => k.includes('re2js'));
      const route = (p) => ({ match: { path: p, caseSensitive: true, headers: [], queryParameters: [] },
        action: { kind: 'cluster', cluster: 'c' }, hashPolicies: [] });
      const t = (p) => ({ name: 't', virtualHosts: [{ name: 'v', domains: ['*'], routes: [route(p)] }] });
      new Router(t({ kind: 'prefix', value: '/' }), { mode: 'http' }).match('a', { path: '/x' });
      const before = loaded();
      new Router(t({ kind: 'regex', regex: '/x.*' }), { mode: 'http' });
      process.stdout.write(JSON.stringify([before, loaded()]));`;
    const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), [false, true]);
  });
});
