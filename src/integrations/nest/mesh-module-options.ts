import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { MeshClient } from '../../client/mesh-client';
import type { MeshClientOptions } from '../../client/mesh-client-options';
import type { MeshContextOptions } from '../express/mesh-context-middleware';

/** Options of `MeshModule.forRoot()` / `forRootAsync()`. */
export interface MeshModuleOptions {
  /** Options of the `MeshClient` the module creates (and closes on shutdown). Ignored when `mesh` is given. */
  client?: MeshClientOptions;
  /** A client created by the application; the module injects it but does not close it. */
  mesh?: MeshClient;
  /** Targets that must be pickable before the application starts (for example `['reviews']`). Default none. */
  readyTargets?: readonly string[];
  /** How long module init waits for the mesh to be ready, in ms. Default 10,000. */
  readyTimeoutMs?: number;
  /**
   * Fail application start when the mesh is not ready in time (default true). With false the app
   * starts and picks fail with `MESH_ERR_UNKNOWN_TARGET` until the sources sync.
   */
  requireReady?: boolean;
  /** The routing-header middleware applied to every route (see `meshContext`); false to leave it out. Default `{}`. */
  context?: MeshContextOptions | false;
}

const builder = new ConfigurableModuleBuilder<MeshModuleOptions>({ moduleName: 'Mesh' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }));

/** @internal The generated module base class and the options token. */
export const { ConfigurableModuleClass: MeshConfigurableModule, MODULE_OPTIONS_TOKEN: MESH_MODULE_OPTIONS } = builder.build();
