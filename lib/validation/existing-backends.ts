import { IConstruct } from 'constructs';
import { ExistingGrafana } from '../dashboards/existing-grafana';
import { SidecarGrafana } from '../dashboards/sidecar-grafana';
import { ExistingPrometheus } from '../metrics/existing-prometheus';
import { MeshValidation } from './mesh-validation';

/**
 * Tells the app's {@link MeshValidation} that the namespaces of the backends `scope` uses exist
 * already: an ExistingPrometheus, ExistingGrafana or SidecarGrafana runs in a namespace the app does not render,
 * but the objects and URLs that point into it are right. Internal: not re-exported from lib/index.ts.
 */
export function declareExistingBackends(scope: IConstruct, ...backends: readonly unknown[]): void {
  const validation = MeshValidation.of(scope);
  for (const backend of backends) {
    if ((backend instanceof ExistingPrometheus || backend instanceof ExistingGrafana || backend instanceof SidecarGrafana) && backend.namespace !== undefined) {
      validation.addExternalNamespaces(backend.namespace);
    }
  }
}
