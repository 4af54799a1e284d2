import { Testing, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { ARGOCD_SYNC_WAVE, addArgoCdSyncWaves } from '../../lib';

test('each chart gets the sync wave of its position', () => {
  // GIVEN
  const app = Testing.app();
  const first = new Chart(app, 'namespaces');
  new k8s.KubeNamespace(first, 'ns', { metadata: { name: 'shop' } });
  const second = new Chart(app, 'workloads');
  new k8s.KubeConfigMap(second, 'cm', { metadata: { namespace: 'shop' } });
  // WHEN
  addArgoCdSyncWaves([first, second]);
  // THEN
  expect(first.toJson()[0].metadata.annotations).toEqual({ [ARGOCD_SYNC_WAVE]: '0' });
  expect(second.toJson()[0].metadata.annotations).toEqual({ [ARGOCD_SYNC_WAVE]: '1' });
});
