// The demo's backends: small HTTP and gRPC servers on loopback (port 0), each answering with its
// version so the demo can count where every request landed.
'use strict';

const http = require('node:http');
const { once } = require('node:events');
const grpc = require('@grpc/grpc-js');

// A JSON-encoded unary method, so the demo needs no .proto file.
const json = { serialize: (v) => Buffer.from(JSON.stringify(v)), deserialize: (b) => JSON.parse(b.toString()) };
const greeterService = {
  sayHello: {
    path: '/helloworld.Greeter/SayHello',
    requestStream: false,
    responseStream: false,
    requestSerialize: json.serialize,
    requestDeserialize: json.deserialize,
    responseSerialize: json.serialize,
    responseDeserialize: json.deserialize,
  },
};

/** The generated-style client class for `helloworld.Greeter`. */
const Greeter = grpc.makeGenericClientConstructor(greeterService, 'Greeter');

/** An HTTP server answering `{ service, version, ...extra }` as JSON. Resolves with { port, close }. */
async function startHttpBackend(service, version, extra = {}) {
  const body = (req) => JSON.stringify({ service, version, path: req.url, host: req.headers.host, ...extra });
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(body(req));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: server.address().port,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A grpc-js server implementing `helloworld.Greeter/SayHello`. Resolves with { port, close }. */
function startGrpcBackend(version) {
  const server = new grpc.Server();
  server.addService(greeterService, { sayHello: (call, cb) => cb(null, { message: `hello ${call.request.name}`, version }) });
  return new Promise((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) =>
      err ? reject(err) : resolve({ port, close: async () => server.forceShutdown() }),
    ),
  );
}

module.exports = { Greeter, startHttpBackend, startGrpcBackend };
