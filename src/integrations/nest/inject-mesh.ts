import { Inject } from '@nestjs/common';
import { MeshClient } from '../../client/mesh-client';

/**
 * Injects the module's `MeshClient`. Same as typing a constructor parameter as `MeshClient`; use it
 * where type metadata is unavailable (plain JS, interfaces).
 */
export function InjectMesh(): PropertyDecorator & ParameterDecorator {
  return Inject(MeshClient);
}
