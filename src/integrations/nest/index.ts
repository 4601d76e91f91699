/**
 * `sidecarless/nest`: the mesh as a Nest module.
 * @packageDocumentation
 */
export { MeshModule } from './mesh-module';
export { InjectMesh } from './inject-mesh';
export type { MeshModuleOptions } from './mesh-module-options';
export { MeshClient } from '../../client/mesh-client';
