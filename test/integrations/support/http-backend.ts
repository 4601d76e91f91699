import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

/** What a test backend saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  servername?: string;
}

/** A loopback HTTP(S) backend that records requests and answers with JSON naming itself. */
export interface TestBackend {
  readonly name: string;
  readonly port: number;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

/** Decides the answer to one request; default 200 with `{ backend, host }`. */
export type BackendBehaviour = (req: SeenRequest, res: http.ServerResponse, index: number) => void;

const TLS_DIR = path.join(__dirname, '../../../../test/integrations/support/tls');

/** The test certificate (CN/SAN `reviews`) and key. */
export function testTls(): { cert: Buffer; key: Buffer } {
  return { cert: readFileSync(path.join(TLS_DIR, 'reviews.cert.pem')), key: readFileSync(path.join(TLS_DIR, 'reviews.key.pem')) };
}

/** Starts a backend on 127.0.0.1, port 0. */
export async function startBackend(name: string, behaviour?: BackendBehaviour, options: { tls?: boolean } = {}): Promise<TestBackend> {
  const seen: SeenRequest[] = [];
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        ...(options.tls ? { servername: (req.socket as import('node:tls').TLSSocket).servername || undefined } : {}),
      };
      seen.push(s);
      if (behaviour) behaviour(s, res, seen.length - 1);
      else {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ backend: name, host: req.headers.host, url: req.url }));
      }
    });
  };
  const server = options.tls ? https.createServer(testTls(), onRequest) : http.createServer(onRequest);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    name,
    port: (server.address() as AddressInfo).port,
    seen,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A loopback port nobody listens on (bound then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  server.close();
  await once(server, 'close');
  return port;
}
