#!/usr/bin/env node
// A Nest app with MeshModule: `npm run build && node examples/nest-app/index.js`.
// Plain JS, so decorators are applied as functions; in TypeScript write @Controller(), @Get(), …
'use strict';

require('reflect-metadata');
const http = require('node:http');
const { once } = require('node:events');
const { mkdtemp, writeFile, rm } = require('node:fs/promises');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { Controller, Get, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { MeshModule, InjectMesh } = require('../../dist/integrations/nest/index.js');
const { createMeshFetch } = require('../../dist/integrations/undici/index.js');

class RatingsController {
  constructor(mesh) {
    this.fetch = createMeshFetch(mesh);
  }
  async ratings() {
    return (await this.fetch('http://ratings/ratings/1')).json();
  }
}
InjectMesh()(RatingsController, undefined, 0);
Get('ratings')(RatingsController.prototype, 'ratings', Object.getOwnPropertyDescriptor(RatingsController.prototype, 'ratings'));
Controller()(RatingsController);

async function main() {
  const backend = http.createServer((_req, res) => res.end(JSON.stringify({ stars: 5, from: `127.0.0.1:${backend.address().port}` })));
  backend.listen(0, '127.0.0.1');
  await once(backend, 'listening');
  const dir = await mkdtemp(path.join(tmpdir(), 'sidecarless-nest-'));
  const file = path.join(dir, 'mesh.yaml');
  await writeFile(file, `services:\n  ratings: {}\nclusters:\n  ratings:\n    endpoints: ["127.0.0.1:${backend.address().port}"]\n`);

  class AppModule {}
  Module({
    imports: [MeshModule.forRoot({ client: { file }, readyTimeoutMs: 5000 })],
    controllers: [RatingsController],
  })(AppModule);

  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  try {
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${app.getHttpServer().address().port}/ratings`;
    console.log(`GET /ratings -> ${await (await fetch(url)).text()}`);
    await app.get(RatingsController).fetch.close();
  } finally {
    await app.close(); // MeshModule closes the MeshClient it created
    backend.close();
    await rm(dir, { recursive: true, force: true });
  }
  console.log('app closed');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
