import assert from 'node:assert/strict';
import { classifyAttemptError } from '../../../src/integrations/undici/attempt-failure';

function err(code: string, message = 'x'): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyAttemptError', () => {
  it('classifies refused connections as connect-failure and later errors as resets', () => {
    assert.equal(classifyAttemptError(err('ECONNREFUSED'), false), 'connect-failure');
    assert.equal(classifyAttemptError(err('UND_ERR_CONNECT_TIMEOUT'), false), 'connect-failure');
    assert.equal(classifyAttemptError(err('ETIMEDOUT'), false), 'connect-failure');
    assert.equal(classifyAttemptError(err('ETIMEDOUT'), true), 'reset');
    assert.equal(classifyAttemptError(err('ECONNRESET'), true), 'reset');
    assert.equal(classifyAttemptError(err('UND_ERR_SOCKET'), true), 'reset');
  });
  it('recognises an HTTP/2 REFUSED_STREAM', () => {
    assert.equal(classifyAttemptError(err('ERR_HTTP2_STREAM_ERROR', 'Stream closed with error code NGHTTP2_REFUSED_STREAM'), true), 'refused-stream');
  });
});
