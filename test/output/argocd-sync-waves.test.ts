import { Testing, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { ARGOCD_SYNC_WAVE, ApplyPhase, addArgoCdSyncWaves } from '../../lib';
import { Istio, IstioSpecVersion } from '../../imports/sail-istio-sailoperator.io';

test('each object gets the sync wave of its apply phase, the same number whichever chart holds it', () => {
  // GIVEN a namespace, a control plane and a ConfigMap, spread over two charts
  const app = Testing.app();
  const first = new Chart(app, 'istio');
  new k8s.KubeNamespace(first, 'ns', { metadata: { name: 'shop' } });
  new Istio(first, 'istio', { metadata: { name: 'default' }, spec: { namespace: 'istio-system', version: IstioSpecVersion.V1_30_3 } });
  const second = new Chart(app, 'workloads');
  new k8s.KubeConfigMap(second, 'cm', { metadata: { namespace: 'shop' } });
  // WHEN
  addArgoCdSyncWaves([first, second]);
  // THEN
  const waves = [...first.toJson(), ...second.toJson()].map((m) => `${m.kind}: ${m.metadata.annotations[ARGOCD_SYNC_WAVE]}`);
  expect(waves).toEqual(['Namespace: 10', 'Istio: 30', 'ConfigMap: 40']);
  expect([ApplyPhase.NAMESPACES, ApplyPhase.CONTROL_PLANE, ApplyPhase.MESH].map((phase) => phase.order)).toEqual([10, 30, 40]);
});
