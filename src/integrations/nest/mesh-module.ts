import {
  Inject,
  Logger,
  Module,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { MeshClient } from '../../client/mesh-client';
import { meshContext } from '../express/mesh-context-middleware';
import { MESH_MODULE_OPTIONS, MeshConfigurableModule, type MeshModuleOptions } from './mesh-module-options';

function createMesh(options: MeshModuleOptions): MeshClient {
  if (options.mesh !== undefined) return options.mesh;
  if (options.client === undefined) throw new TypeError('MeshModule: give `client` (MeshClient options) or `mesh` (a MeshClient)');
  return new MeshClient(options.client);
}

/**
 * Nest module that provides one `MeshClient` to the application (global by default): it waits for
 * the mesh to be ready on module init (with a timeout), applies the routing-header middleware to
 * every route, and closes the client on application shutdown.
 *
 * @example
 * ```ts
 * @Module({ imports: [MeshModule.forRoot({ client: { file: 'mesh.yaml' }, readyTargets: ['reviews'] })] })
 * export class AppModule {}
 *
 * @Injectable()
 * class ReviewsService {
 *   constructor(private readonly mesh: MeshClient) {}
 * }
 * ```
 */
@Module({
  providers: [{ provide: MeshClient, useFactory: createMesh, inject: [MESH_MODULE_OPTIONS] }],
  exports: [MeshClient],
})
export class MeshModule extends MeshConfigurableModule implements NestModule, OnModuleInit, OnApplicationShutdown {
  readonly #logger = new Logger('MeshModule');

  constructor(
    @Inject(MeshClient) private readonly mesh: MeshClient,
    @Inject(MESH_MODULE_OPTIONS) private readonly options: MeshModuleOptions,
  ) {
    super();
  }

  /** Applies the routing-header middleware to every route. */
  configure(consumer: MiddlewareConsumer): void {
    if (this.options.context === false) return;
    consumer.apply(meshContext(this.options.context ?? {})).forRoutes('{*path}');
  }

  /** Waits until the mesh is ready (sources synced, `readyTargets` pickable). */
  async onModuleInit(): Promise<void> {
    try {
      await this.mesh.ready(this.options.readyTargets ?? [], { timeoutMs: this.options.readyTimeoutMs ?? 10_000 });
    } catch (error) {
      if (this.options.requireReady !== false) throw error;
      this.#logger.warn(`starting before the mesh is ready: ${(error as Error).message}`);
    }
  }

  /** Closes the client the module created. */
  async onApplicationShutdown(): Promise<void> {
    if (this.options.mesh === undefined) await this.mesh.close();
  }
}
