import assert from 'node:assert/strict';
import type { Dispatcher } from 'undici';
import { RawHandlerAdapter } from '../../../src/integrations/undici/raw-handler-adapter';

/** A controller that records what the adapter asks of it. */
function recordingController(): Dispatcher.DispatchController & { calls: string[]; abortReason?: Error } {
  const calls: string[] = [];
  const c = {
    calls,
    abortReason: undefined as Error | undefined,
    aborted: false,
    paused: false,
    reason: null,
    abort(reason: Error) {
      calls.push('abort');
      c.abortReason = reason;
    },
    pause() {
      calls.push('pause');
    },
    resume() {
      calls.push('resume');
    },
  };
  return c;
}

describe('RawHandlerAdapter', () => {
  it('re-encodes headers and trailers as raw latin1 pairs, one pair per value', () => {
    const seen: unknown[] = [];
    const adapter = new RawHandlerAdapter({
      onHeaders: (status, headers, _resume, text) => {
        seen.push(status, headers.map((b) => b.toString('latin1')), text);
        return true;
      },
      onData: () => true,
      onComplete: (trailers) => {
        seen.push((trailers as unknown as Buffer[]).map((b) => b.toString('latin1')));
      },
      onError: () => undefined,
    });
    const controller = recordingController();
    adapter.onResponseStart(controller, 200, { 'set-cookie': ['a=1', 'b=2'], 'content-type': 'text/plain', 'x-é': 'ü' }, 'OK');
    adapter.onResponseEnd(controller, { 'x-checksum': 'abc' });
    assert.deepEqual(seen, [200, ['set-cookie', 'a=1', 'set-cookie', 'b=2', 'content-type', 'text/plain', 'x-é', 'ü'], 'OK', ['x-checksum', 'abc']]);
    assert.deepEqual(controller.calls, []);
  });

  it("turns the raw handler's back-pressure into pause, and its resume callback into resume", () => {
    let resume: (() => void) | undefined;
    const adapter = new RawHandlerAdapter({
      onHeaders: (_s, _h, r) => {
        resume = r;
        return false;
      },
      onData: () => false,
      onComplete: () => undefined,
      onError: () => undefined,
    });
    const controller = recordingController();
    adapter.onResponseStart(controller, 200, {}, '');
    adapter.onResponseData(controller, Buffer.from('x'));
    resume!();
    assert.deepEqual(controller.calls, ['pause', 'pause', 'resume']);
  });

  it('hands the raw handler an abort that always gives the controller a reason', () => {
    let abort: ((reason?: Error) => void) | undefined;
    let context: unknown;
    const adapter = new RawHandlerAdapter({
      onConnect: ((a: (reason?: Error) => void, ctx?: unknown) => {
        abort = a;
        context = ctx;
      }) as never,
      onHeaders: () => true,
      onData: () => true,
      onComplete: () => undefined,
      onError: () => undefined,
    });
    const controller = recordingController();
    adapter.onRequestStart(controller, { id: 1 });
    assert.deepEqual(context, { id: 1 });
    abort!();
    assert.equal(controller.abortReason?.name, 'AbortError');
    const reason = new Error('mine');
    abort!(reason);
    assert.equal(controller.abortReason, reason);
  });

  it('passes errors to onError', () => {
    const errors: Error[] = [];
    const adapter = new RawHandlerAdapter({ onHeaders: () => true, onData: () => true, onComplete: () => undefined, onError: (e) => errors.push(e) });
    const error = new Error('boom');
    adapter.onResponseError(null, error);
    assert.deepEqual(errors, [error]);
  });
});
