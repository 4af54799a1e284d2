import { Construct } from 'constructs';
import { MeshValidation } from '../validation/mesh-validation';
import { MeshNamespace } from './mesh-namespace';

/**
 * The namespace a construct puts its objects in, when the construct chose it (a default or a
 * name prop): rendered through a MeshNamespace, child `Namespace` of `scope` (one Namespace
 * object per name in the app, however many parts ask), unless `create` is false: then the
 * namespace exists already, and the app's validation is told so.
 *
 * Internal: not re-exported from lib/index.ts.
 */
export function chosenNamespace(scope: Construct, name: string, create: boolean | undefined): MeshNamespace | undefined {
  if (create ?? true) {
    return new MeshNamespace(scope, 'Namespace', { name });
  }
  MeshValidation.of(scope).addExternalNamespaces(name);
  return undefined;
}
