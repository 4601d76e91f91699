import 'reflect-metadata';
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { Controller, Get, Injectable, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MeshClient } from '../../../src/client/mesh-client';
import { ErrorCode } from '../../../src/errors';
import { InjectMesh, MeshModule } from '../../../src/integrations/nest/index';
import { createMeshFetch, type MeshFetch } from '../../../src/integrations/undici/index';
import { StaticSource } from '../../../src/sources/static/static-source';
import { startBackend, type TestBackend } from '../support/http-backend';
import { testSnapshot } from '../support/mesh-fixture';

@Injectable()
class ReviewsClient {
  readonly fetch: MeshFetch;
  constructor(readonly mesh: MeshClient) {
    this.fetch = createMeshFetch(mesh);
  }
}

@Injectable()
class DecoratedUser {
  constructor(@InjectMesh() readonly mesh: MeshClient) {}
}

@Controller()
class ReviewsController {
  constructor(private readonly reviews: ReviewsClient) {}

  @Get('reviews')
  async get(): Promise<unknown> {
    return (await this.reviews.fetch('http://reviews/')).json();
  }
}

describe('sidecarless/nest', () => {
  let v1: TestBackend;
  let v2: TestBackend;
  let app: INestApplication | undefined;

  beforeEach(async () => {
    v1 = await startBackend('v1');
    v2 = await startBackend('v2');
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await v1.close();
    await v2.close();
  });

  function snapshot() {
    return testSnapshot(
      [
        {
          target: 'reviews',
          routes: [
            { header: { name: 'x-canary', value: 'true' }, action: { kind: 'cluster', cluster: 'v2' } },
            { action: { kind: 'cluster', cluster: 'v1' } },
          ],
        },
      ],
      [
        { name: 'v1', ports: [v1.port] },
        { name: 'v2', ports: [v2.port] },
      ],
    );
  }

  async function start(root: unknown): Promise<string> {
    app = await NestFactory.create(root as never, { logger: false });
    await app.listen(0, '127.0.0.1');
    return (await app.getUrl()).replace('[::1]', '127.0.0.1');
  }

  it('provides a ready MeshClient, applies the context middleware, and closes the client on shutdown', async () => {
    const source = new StaticSource(snapshot());
    @Module({ imports: [MeshModule.forRoot({ client: { sources: [source] }, readyTargets: ['reviews'] })], controllers: [ReviewsController], providers: [ReviewsClient, DecoratedUser] })
    class AppModule {}
    const base = await start(AppModule);
    const mesh = app!.get(MeshClient);
    assert.equal(app!.get(DecoratedUser).mesh, mesh);
    assert.equal(mesh.pick('reviews').ok, true, 'ready before the app listens');
    assert.equal(((await (await fetch(`${base}/reviews`)).json()) as { backend: string }).backend, 'v1');
    const canary = await fetch(`${base}/reviews`, { headers: { 'x-canary': 'true' } });
    assert.equal(((await canary.json()) as { backend: string }).backend, 'v2');
    await app!.get(ReviewsClient).fetch.close();
    const close = sinon.spy(mesh, 'close');
    await app!.close();
    app = undefined;
    assert.equal(close.callCount, 1);
  });

  it('forRootAsync builds options from a factory and keeps a client the app owns open', async () => {
    const own = new MeshClient({ sources: [new StaticSource(snapshot())] });
    @Module({ providers: [{ provide: 'OWN', useValue: own }], exports: ['OWN'] })
    class ConfigModule {}
    @Module({
      imports: [MeshModule.forRootAsync({ imports: [ConfigModule], inject: ['OWN'], useFactory: (mesh: MeshClient) => ({ mesh, context: false }) })],
      providers: [DecoratedUser],
    })
    class AppModule {}
    await start(AppModule);
    assert.equal(app!.get(DecoratedUser).mesh, own);
    const close = sinon.spy(own, 'close');
    await app!.close();
    assert.equal(close.callCount, 0);
    app = undefined;
    await own.ready(['reviews']);
    await own.close();
  });

  it('fails application start when the mesh is not ready in time, unless requireReady is false', async () => {
    const never = new StaticSource();
    @Module({ imports: [MeshModule.forRoot({ client: { sources: [never] }, readyTimeoutMs: 20 })] })
    class StrictModule {}
    app = await NestFactory.create(StrictModule, { logger: false, abortOnError: false });
    await assert.rejects(app.init(), { code: ErrorCode.TIMEOUT });
    await app.close();
    @Module({ imports: [MeshModule.forRoot({ client: { sources: [new StaticSource()] }, readyTimeoutMs: 20, requireReady: false })] })
    class LenientModule {}
    app = await NestFactory.create(LenientModule, { logger: false });
    await app.init();
    assert.equal(app.get(MeshClient).pick('reviews').ok, false);
  });
});
