import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/errors';
import { validateDomain, VirtualHostMatcher } from '../../src/routing/virtual-host-matcher';
import { thrown } from './fixtures';

function pick(domainsPerHost: string[][], authority: string): number {
  return new VirtualHostMatcher(domainsPerHost.map((domains) => ({ domains }))).match(authority);
}

describe('VirtualHostMatcher', () => {
  it('prefers exact > suffix wildcard > prefix wildcard > *', () => {
    const hosts = [['*'], ['api.*'], ['*.foo.com'], ['api.foo.com']];
    assert.equal(pick(hosts, 'api.foo.com'), 3);
    assert.equal(pick(hosts, 'x.foo.com'), 2);
    assert.equal(pick(hosts, 'api.bar'), 1);
    assert.equal(pick(hosts, 'z.org'), 0);
  });
  it('prefers the longer pattern within a class', () => {
    assert.equal(pick([['*.com'], ['*.foo.com']], 'a.foo.com'), 1);
    assert.equal(pick([['foo.*'], ['foo.bar.*']], 'foo.bar.baz'), 1);
  });
  it('requires a wildcard to match at least one character', () => {
    assert.equal(pick([['*-bar.foo.com']], '-bar.foo.com'), -1);
    assert.equal(pick([['*-bar.foo.com']], 'a-bar.foo.com'), 0);
    assert.equal(pick([['foo-*']], 'foo-'), -1);
  });
  it('compares case-insensitively and keeps the port as part of the authority', () => {
    assert.equal(pick([['Reviews.Default:9080']], 'reviews.default:9080'), 0);
    assert.equal(pick([['reviews']], 'REVIEWS'), 0);
    assert.equal(pick([['reviews']], 'reviews:9080'), -1);
    assert.equal(pick([['reviews:*']], 'reviews:9080'), 0);
  });
  it('returns -1 when nothing matches, and remembers answers per authority', () => {
    const m = new VirtualHostMatcher([{ domains: ['a'] }]);
    assert.equal(m.match('b'), -1);
    assert.equal(m.match('b'), -1);
    assert.equal(m.match('a'), 0);
    assert.equal(m.match('a'), 0);
  });
  it('keeps answering correctly after more authorities than its memo holds', () => {
    const m = new VirtualHostMatcher([{ domains: ['*.svc'] }, { domains: ['*'] }]);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 3000; i++) {
        assert.equal(m.match(`a${i}.svc`), 0);
        assert.equal(m.match(`a${i}.org`), 1);
      }
    }
  });
  it('rejects a domain repeated across virtual hosts (case-insensitively), naming the second one', () => {
    const err = thrown(() => new VirtualHostMatcher([{ domains: ['a', 'b'] }, { domains: ['c', 'B'] }], 'rt.'));
    assert.equal(err.code, ErrorCode.INVALID_CONFIG);
    assert.equal(err.field, 'rt.virtualHosts[1].domains[1]');
  });
});

describe('validateDomain', () => {
  it('classifies exact, suffix wildcard, prefix wildcard and *', () => {
    assert.equal(validateDomain('a.com', 'd'), 'exact');
    assert.equal(validateDomain('*.a.com', 'd'), 'suffixWildcard');
    assert.equal(validateDomain('a.*', 'd'), 'prefixWildcard');
    assert.equal(validateDomain('*', 'd'), 'any');
  });
  it('rejects a * that is not at one end, two *, and an empty domain', () => {
    for (const bad of ['a.*.com', '*.a.*', '**', '']) {
      const err = thrown(() => validateDomain(bad, 'virtualHosts[0].domains[2]'));
      assert.equal(err.code, ErrorCode.INVALID_CONFIG);
      assert.equal(err.field, 'virtualHosts[0].domains[2]');
    }
  });
});
