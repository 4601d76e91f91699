import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { loadGrpc } from '../../../../src/testing/load-grpc';
import type { GrpcBidiCall } from '../../../../src/sources/xds/transport/grpc-bidi-call';
import { GrpcStatus, type GrpcStatusError } from '../../../../src/sources/xds/transport/grpc-status-error';
import { parseGrpcTarget } from '../../../../src/sources/xds/transport/grpc-target';
import { Http2GrpcChannel, type Http2GrpcChannelOptions } from '../../../../src/sources/xds/transport/http2-grpc-channel';

const METHOD = '/sidecarless.test.Echo/Chat';
const identity = (b: Buffer) => b;
const TLS_DIR = path.join(__dirname, '../../../../../test/fixtures/xds-tls');

type Outcome = { kind: 'end' } | { kind: 'error'; error: GrpcStatusError };

/** Collects a call's messages (as text) and resolves with how it ended. */
function track(call: GrpcBidiCall<Buffer, Buffer>): { messages: string[]; done: Promise<Outcome> } {
  const messages: string[] = [];
  call.on('data', (m) => messages.push(m.toString('utf8')));
  const done = new Promise<Outcome>((resolve) => {
    call.on('end', () => resolve({ kind: 'end' }));
    call.on('error', (error) => resolve({ kind: 'error', error }));
  });
  return { messages, done };
}

function open(channel: Http2GrpcChannel, method = METHOD): GrpcBidiCall<Buffer, Buffer> {
  return channel.openBidi<Buffer, Buffer>(method, identity, identity);
}

/** What the echo server does with a message: `end` ends OK, `fail:<text>` fails, others echo. */
function echoService(g: typeof grpc, seen: { cancelled: number; userAgents: string[] }): grpc.UntypedServiceImplementation {
  return {
    Chat: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
      seen.userAgents.push(String(call.metadata.get('user-agent')[0] ?? ''));
      // grpc-js also says 'cancelled' after it sent a status: count only calls cut short.
      let ended = false;
      call.on('cancelled', () => void (ended || seen.cancelled++));
      call.on('data', (m: Buffer) => {
        const text = m.toString('utf8');
        if (text === 'end' || text.startsWith('fail:')) ended = true;
        if (text === 'end') call.end();
        else if (text.startsWith('fail:')) call.emit('error', { code: g.status.PERMISSION_DENIED, details: text.slice(5) });
        else call.write(Buffer.from(`echo ${text}`));
      });
    },
  };
}

describe('Http2GrpcChannel', () => {
  const cleanups: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function echoServer(bind: string, creds?: grpc.ServerCredentials) {
    const g = loadGrpc();
    const seen = { cancelled: 0, userAgents: [] as string[] };
    const server = new g.Server();
    server.addService(
      { Chat: { path: METHOD, requestStream: true, responseStream: true, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity } },
      echoService(g, seen),
    );
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(bind, creds ?? g.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    cleanups.push(() => void server.forceShutdown());
    return { port, seen };
  }

  function channel(uri: string, extra: Partial<Http2GrpcChannelOptions> = {}): Http2GrpcChannel {
    const c = new Http2GrpcChannel({ target: parseGrpcTarget(uri, 'server_uri'), userAgent: 'sidecarless-test/1', ...extra });
    cleanups.push(() => c.close());
    return c;
  }

  it('runs a bidirectional call against a grpc-js server: messages in order, OK status ends it', async () => {
    const { port, seen } = await echoServer('127.0.0.1:0');
    const call = open(channel(`127.0.0.1:${port}`));
    const t = track(call);
    call.write(Buffer.from('a'));
    call.write(Buffer.from('b'));
    call.write(Buffer.from('end'));
    assert.deepEqual(await t.done, { kind: 'end' });
    assert.deepEqual(t.messages, ['echo a', 'echo b']);
    assert.match(seen.userAgents[0]!, /^sidecarless-test\/1/);
  });

  it('reports a non-OK status with its code and percent-decoded message', async () => {
    const { port } = await echoServer('127.0.0.1:0');
    const call = open(channel(`127.0.0.1:${port}`));
    const t = track(call);
    call.write(Buffer.from('x'));
    call.write(Buffer.from('fail:no entry: 100% ☃'));
    const out = await t.done;
    assert.equal(out.kind, 'error');
    assert.equal(out.kind === 'error' && out.error.code, GrpcStatus.PERMISSION_DENIED);
    assert.equal(out.kind === 'error' && out.error.details, 'no entry: 100% ☃');
    assert.deepEqual(t.messages, ['echo x']);
  });

  it('reports a Trailers-Only response (unknown method) as its status', async () => {
    const { port } = await echoServer('127.0.0.1:0');
    const t = track(open(channel(`127.0.0.1:${port}`), '/sidecarless.test.Echo/Nope'));
    const out = await t.done;
    assert.equal(out.kind === 'error' && out.error.code, GrpcStatus.UNIMPLEMENTED);
  });

  it('fails a call with UNAVAILABLE when nothing listens, and connects on the next call once a server is there', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const c = channel(`127.0.0.1:${port}`);
    const out = await track(open(c)).done;
    assert.equal(out.kind === 'error' && out.error.code, GrpcStatus.UNAVAILABLE);
    assert.match(out.kind === 'error' ? out.error.message : '', /^14 UNAVAILABLE: .*ECONNREFUSED/);
    await echoServer(`127.0.0.1:${port}`);
    const call = open(c);
    const t = track(call);
    const ready = new Promise<void>((r) => c.whenReady(r));
    call.write(Buffer.from('again'));
    call.write(Buffer.from('end'));
    await ready;
    assert.deepEqual(await t.done, { kind: 'end' });
    assert.deepEqual(t.messages, ['echo again']);
  });

  it('connects over a Unix domain socket (unix:///path, as Istio proxyless bootstraps do)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecarless-uds-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const sock = path.join(dir, 'XDS');
    await echoServer(`unix://${sock}`);
    const call = open(channel(`unix://${sock}`));
    const t = track(call);
    call.write(Buffer.from('uds'));
    call.write(Buffer.from('end'));
    assert.deepEqual(await t.done, { kind: 'end' });
    assert.deepEqual(t.messages, ['echo uds']);
  });

  it('connects over TLS, verifying the server against the given CA', async () => {
    const g = loadGrpc();
    const cert = fs.readFileSync(path.join(TLS_DIR, 'server-cert.pem'));
    const key = fs.readFileSync(path.join(TLS_DIR, 'server-key.pem'));
    const { port } = await echoServer('127.0.0.1:0', g.ServerCredentials.createSsl(null, [{ private_key: key, cert_chain: cert }]));
    const call = open(channel(`127.0.0.1:${port}`, { tls: { ca: cert } }));
    const t = track(call);
    call.write(Buffer.from('secure'));
    call.write(Buffer.from('end'));
    assert.deepEqual(await t.done, { kind: 'end' });
    assert.deepEqual(t.messages, ['echo secure']);
    // Without the CA the certificate is not trusted.
    const out = await track(open(channel(`127.0.0.1:${port}`, { tls: {} }))).done;
    assert.equal(out.kind === 'error' && out.error.code, GrpcStatus.UNAVAILABLE);
  });

  it('presents a client certificate for mutual TLS', async () => {
    const g = loadGrpc();
    const cert = fs.readFileSync(path.join(TLS_DIR, 'server-cert.pem'));
    const key = fs.readFileSync(path.join(TLS_DIR, 'server-key.pem'));
    const creds = g.ServerCredentials.createSsl(cert, [{ private_key: key, cert_chain: cert }], true);
    const { port } = await echoServer('127.0.0.1:0', creds);
    const call = open(channel(`127.0.0.1:${port}`, { tls: { ca: cert, cert, key } }));
    const t = track(call);
    call.write(Buffer.from('mtls'));
    call.write(Buffer.from('end'));
    assert.deepEqual(await t.done, { kind: 'end' });
    assert.deepEqual(t.messages, ['echo mtls']);
    const out = await track(open(channel(`127.0.0.1:${port}`, { tls: { ca: cert } }))).done;
    assert.equal(out.kind, 'error', 'refused without a client certificate');
  });

  it('cancels a call: the server sees it cancelled and the client hears nothing more', async () => {
    const { port, seen } = await echoServer('127.0.0.1:0');
    const c = channel(`127.0.0.1:${port}`);
    const call = open(c);
    const t = track(call);
    call.write(Buffer.from('hi'));
    await new Promise<void>((r) => call.once('data', () => r()));
    call.cancel();
    call.write(Buffer.from('ignored'));
    const second = open(c);
    const t2 = track(second);
    second.write(Buffer.from('end'));
    await t2.done;
    assert.equal(seen.cancelled, 1);
    const settled = await Promise.race([t.done, Promise.resolve('pending')]);
    assert.equal(settled, 'pending');
  });

  describe('against a plain HTTP/2 server', () => {
    async function h2Server(onStream: (stream: http2.ServerHttp2Stream) => void): Promise<number> {
      const server = http2.createServer();
      server.on('stream', (s) => {
        s.on('error', () => undefined);
        onStream(s);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
      const sessions = new Set<http2.ServerHttp2Session>();
      server.on('session', (s) => sessions.add(s));
      cleanups.push(() => sessions.forEach((s) => s.destroy()));
      return (server.address() as net.AddressInfo).port;
    }

    it('lets a call finish after GOAWAY and opens the next call on a new connection', async () => {
      const sessions = new Set<http2.Http2Session>();
      const port = await h2Server((s) => {
        const first = sessions.size === 0;
        sessions.add(s.session!);
        s.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        s.on('wantTrailers', () => s.sendTrailers({ 'grpc-status': '0' }));
        s.write(frame(first ? 'before goaway' : 'on a new connection'));
        if (first) s.session!.goaway();
        s.end();
      });
      const c = channel(`127.0.0.1:${port}`);
      const t1 = track(open(c));
      assert.deepEqual(await t1.done, { kind: 'end' });
      const t2 = track(open(c));
      assert.deepEqual(await t2.done, { kind: 'end' });
      assert.deepEqual([...t1.messages, ...t2.messages], ['before goaway', 'on a new connection']);
      assert.equal(sessions.size, 2);
    });

    it('maps an HTTP error status without grpc-status to a gRPC code (503 → UNAVAILABLE)', async () => {
      const port = await h2Server((s) => s.respond({ ':status': 503 }, { endStream: true }));
      const out = await track(open(channel(`127.0.0.1:${port}`))).done;
      assert.equal(out.kind === 'error' && out.error.code, GrpcStatus.UNAVAILABLE);
    });

    it('rejects a response that is not gRPC (content-type) with UNKNOWN', async () => {
      const port = await h2Server((s) => {
        s.respond({ ':status': 200, 'content-type': 'text/html' });
        s.end('<html>');
      });
      const out = await track(open(channel(`127.0.0.1:${port}`))).done;
      assert.equal(out.kind === 'error' && out.error.code, GrpcStatus.UNKNOWN);
    });

    it('fails a stream that ends without a status, or inside a message, with INTERNAL', async () => {
      const port = await h2Server((s) => {
        s.respond({ ':status': 200, 'content-type': 'application/grpc' });
        s.end(Buffer.from([0, 0, 0, 0, 9, 1]));
      });
      const out = await track(open(channel(`127.0.0.1:${port}`))).done;
      assert.equal(out.kind === 'error' && out.error.code, GrpcStatus.INTERNAL);
    });

    it('maps a stream reset to a status (REFUSED_STREAM → UNAVAILABLE)', async () => {
      const port = await h2Server((s) => s.close(http2.constants.NGHTTP2_REFUSED_STREAM));
      const out = await track(open(channel(`127.0.0.1:${port}`))).done;
      assert.equal(out.kind === 'error' && out.error.code, GrpcStatus.UNAVAILABLE);
    });

    it('fails a response it cannot decode with INTERNAL and resets the stream', async () => {
      let serverSawReset = false;
      const reset = new Promise<void>((resolve) => {
        void h2Server((s) => {
          s.on('close', () => {
            serverSawReset = s.rstCode === http2.constants.NGHTTP2_CANCEL;
            resolve();
          });
          s.respond({ ':status': 200, 'content-type': 'application/grpc' });
          s.write(frame('not json'));
        }).then((port) => {
          const c = channel(`127.0.0.1:${port}`);
          const call = c.openBidi<Buffer, unknown>(METHOD, identity, (b) => JSON.parse(b.toString()) as unknown);
          call.on('error', (e) => outcome.push(e.code));
        });
      });
      const outcome: number[] = [];
      await reset;
      assert.deepEqual(outcome, [GrpcStatus.INTERNAL]);
      assert.ok(serverSawReset);
    });
  });

  it('drops a connection whose keepalive PING goes unanswered, failing its calls with UNAVAILABLE', async () => {
    const { port } = await echoServer('127.0.0.1:0');
    // A loopback relay that can be frozen: bytes stop flowing both ways, like a dead peer.
    let frozen = false;
    const relay = net.createServer((client) => {
      const upstream = net.connect(port, '127.0.0.1');
      client.on('data', (d) => void (frozen || upstream.write(d)));
      upstream.on('data', (d) => void (frozen || client.write(d)));
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => relay.close(() => r())));
    const c = channel(`127.0.0.1:${(relay.address() as net.AddressInfo).port}`, { keepaliveTimeMs: 20, keepaliveTimeoutMs: 50 });
    const call = open(c);
    const t = track(call);
    call.write(Buffer.from('ping'));
    await new Promise<void>((r) => call.once('data', () => r()));
    frozen = true;
    const out = await t.done;
    assert.equal(out.kind === 'error' && out.error.code, GrpcStatus.UNAVAILABLE);
    assert.match(out.kind === 'error' ? out.error.details : '', /keepalive/);
  });
});

function frame(text: string): Buffer {
  const body = Buffer.from(text);
  const out = Buffer.alloc(5 + body.length);
  out.writeUInt32BE(body.length, 1);
  body.copy(out, 5);
  return out;
}
