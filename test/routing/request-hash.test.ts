import assert from 'node:assert/strict';
import { xxh64Reference as xxh64 } from '../../src/hashing/xxh64';
import type { HashPolicy } from '../../src/model/route-table';
import { findCookie } from '../../src/routing/cookie';
import { RequestHasher, rotl64By1 } from '../../src/routing/request-hash';
import type { RequestContext } from '../../src/routing/request-context';
import type { RoutingMode } from '../../src/routing/routing-mode';
import { thrown } from './fixtures';

const CHANNEL = 0x0123456789abcdefn;
const header = (name: string, terminal = false): HashPolicy => ({ kind: 'header', name, terminal });
const cookie = (name: string, terminal = false): HashPolicy => ({ kind: 'cookie', name, terminal });
const query = (name: string, terminal = false): HashPolicy => ({ kind: 'queryParameter', name, terminal });
const channel = (terminal = false): HashPolicy => ({ kind: 'channelId', terminal });

function hash(policies: HashPolicy[], ctx: RequestContext, mode: RoutingMode = 'http'): bigint | undefined {
  return new RequestHasher(policies, mode, CHANNEL, 'hp').hash(ctx);
}

describe('RequestHasher', () => {
  it('hashes a header value with XXH64 (seed 0)', () => {
    assert.equal(hash([header('x-user')], { headers: { 'x-user': 'alice' } }), xxh64('alice'));
  });
  it('joins multi-valued headers with "," before hashing', () => {
    assert.equal(hash([header('x-user')], { headers: { 'x-user': ['a', 'b'] } }), xxh64('a,b'));
  });
  it('is undefined when no policy produced a hash (the balancer then uses a random one)', () => {
    assert.equal(hash([header('x-user'), cookie('sid')], {}), undefined);
    assert.equal(hash([], { headers: { 'x-user': 'a' } }), undefined);
  });
  it('combines results as rotl64(hash, 1) XOR h, in policy order', () => {
    const ctx = { headers: { a: '1', b: '2' } };
    assert.equal(hash([header('a'), header('b')], ctx), rotl64By1(xxh64('1')) ^ xxh64('2'));
    assert.equal(hash([header('b'), header('a')], ctx), rotl64By1(xxh64('2')) ^ xxh64('1'));
  });
  it('skips policies that yield nothing without disturbing the combination', () => {
    const ctx = { headers: { a: '1', b: '2' } };
    assert.equal(hash([header('a'), header('missing'), header('b')], ctx), rotl64By1(xxh64('1')) ^ xxh64('2'));
  });
  it('stops at a terminal policy once a hash exists', () => {
    const ctx = { headers: { a: '1', b: '2' } };
    assert.equal(hash([header('a', true), header('b')], ctx), xxh64('1'));
    assert.equal(hash([header('missing', true), header('b')], ctx), xxh64('2'), 'terminal without a hash goes on');
    assert.equal(hash([header('a'), header('b', true), header('c')], { headers: { ...ctx.headers, c: '3' } }), rotl64By1(xxh64('1')) ^ xxh64('2'));
  });
  it('rotl64By1 rotates the top bit into bit 0', () => {
    assert.equal(rotl64By1(0x8000000000000001n), 3n);
    assert.equal(rotl64By1(1n), 2n);
  });
  it('applies regexRewrite (every match) to the header value before hashing', () => {
    const p: HashPolicy = { kind: 'header', name: ':path', terminal: false, regexRewrite: { regex: '/users/([0-9]+)/.*', substitution: '\\1' } };
    assert.equal(hash([p], { path: '/users/42/orders' }), xxh64('42'));
    const all: HashPolicy = { kind: 'header', name: 'x', terminal: false, regexRewrite: { regex: '[0-9]', substitution: '#' } };
    assert.equal(hash([all], { headers: { x: 'a1b22' } }), xxh64('a#b##'));
  });
  it('treats -bin headers as absent', () => {
    assert.equal(hash([header('x-id-bin')], { headers: { 'x-id-bin': 'AAE=' } }, 'grpc'), undefined);
  });
  it('hashes a cookie value from the cookie header in HTTP mode', () => {
    const ctx = { headers: { cookie: 'theme=dark; sid=abc123; x=1' } };
    assert.equal(hash([cookie('sid')], ctx), xxh64('abc123'));
    assert.equal(hash([cookie('sid')], ctx, 'grpc'), undefined);
  });
  it('hashes the first value of a query parameter in HTTP mode only', () => {
    const ctx = { path: '/p?user=bob&user=eve' };
    assert.equal(hash([query('user')], ctx), xxh64('bob'));
    assert.equal(hash([query('user')], ctx, 'grpc'), undefined);
  });
  it('uses the per-router channel id as is for channelId', () => {
    assert.equal(hash([channel()], {}), CHANNEL);
    assert.equal(hash([channel()], {}, 'grpc'), CHANNEL);
    assert.equal(hash([header('a'), channel()], { headers: { a: '1' } }), rotl64By1(xxh64('1')) ^ CHANNEL);
  });
  it('rejects an invalid regexRewrite and empty names, naming the policy', () => {
    const bad: HashPolicy = { kind: 'header', name: 'x', terminal: false, regexRewrite: { regex: '(', substitution: '' } };
    assert.equal(thrown(() => new RequestHasher([header('a'), bad], 'http', 0n, 'hashPolicies')).field, 'hashPolicies[1].regexRewrite.regex');
    assert.equal(thrown(() => new RequestHasher([cookie('')], 'http', 0n, 'hashPolicies')).field, 'hashPolicies[0].name');
  });
});

describe('findCookie', () => {
  it('finds a cookie by exact name, first occurrence, spaces trimmed', () => {
    assert.equal(findCookie('a=1; sid=x;sid=y', 'sid'), 'x');
    assert.equal(findCookie('  sid=x  ', 'sid'), 'x');
    assert.equal(findCookie('xsid=1; sidx=2', 'sid'), undefined);
  });
  it('removes surrounding double quotes', () => {
    assert.equal(findCookie('sid="abc"', 'sid'), 'abc');
  });
  it('treats an empty value as absent, and searches each value of a split header', () => {
    assert.equal(findCookie('sid=; a=1', 'sid'), undefined);
    assert.equal(findCookie(['a=1', 'sid=z'], 'sid'), 'z');
    assert.equal(findCookie(undefined, 'sid'), undefined);
  });
});
