import { ApiObject, Chart, Testing } from 'cdk8s';
import { IstioControlPlane, IstioVersion, Manifest, validateManifests } from '../../lib';
import { CORE_SCHEMA_KUBERNETES_MINOR } from '../../lib/validation/kubernetes-api-versions';

const object = (apiVersion: string, kind: string, rest: Record<string, unknown> = {}): Manifest => ({ apiVersion, kind, metadata: { name: 'x', namespace: 'shop' }, ...rest });

describe('core objects are checked against what the declared Kubernetes version serves', () => {
  test.each([
    // apiVersion, kind, kubernetesVersion, expected message (undefined: served)
    ['policy/v1beta1', 'PodDisruptionBudget', undefined, /^policy\/v1beta1 PodDisruptionBudget is not served by any Kubernetes a supported Istio runs on \(1\.25 and later\): it was removed in Kubernetes 1\.25; use policy\/v1/],
    ['batch/v1beta1', 'CronJob', '1.33', /^batch\/v1beta1 CronJob is not served by Kubernetes 1\.33 \(kubernetesVersion\): it was removed in Kubernetes 1\.25; use batch\/v1$/],
    ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.25', undefined],
    ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', undefined, undefined],
    ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.26', /it was removed in Kubernetes 1\.26; use autoscaling\/v2$/],
    ['flowcontrol.apiserver.k8s.io/v1', 'FlowSchema', '1.28', /^flowcontrol\.apiserver\.k8s\.io\/v1 FlowSchema is not served by Kubernetes 1\.28 \(kubernetesVersion\): it is served from Kubernetes 1\.29 on/],
    ['flowcontrol.apiserver.k8s.io/v1', 'FlowSchema', '1.29.4', undefined],
    ['flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', '1.32', /removed in Kubernetes 1\.32/],
    ['networking.k8s.io/v1', 'IPAddress', '1.32', /served from Kubernetes 1\.33 on/],
    ['networking.k8s.io/v1', 'IPAddress', 'v1.33.1', undefined],
    ['apps/v1', 'Deployment', '1.25', undefined],
  ])('%s %s on Kubernetes %s', (apiVersion, kind, kubernetesVersion, expected) => {
    const refusals = validateManifests([object(apiVersion, kind)], { kubernetesVersion }).filter((violation) => violation.path === 'apiVersion');
    if (expected === undefined) {
      expect(refusals).toEqual([]);
    } else {
      expect(refusals).toEqual([{ object: `${kind}/shop/x`, path: 'apiVersion', message: expect.stringMatching(expected) }]);
    }
  });

  test(`a cluster newer than the schema at hand (Kubernetes 1.${CORE_SCHEMA_KUBERNETES_MINOR}) gets unknown fields reported as possibly new`, () => {
    const service = object('v1', 'Service', { spec: { ports: [{ port: 80 }], futureField: true } });
    expect(validateManifests([service], { kubernetesVersion: '1.33' })).toEqual([{ object: 'Service/shop/x', path: 'spec', message: "unknown field 'futureField'" }]);
    expect(validateManifests([service], { kubernetesVersion: '1.35' })).toEqual([{
      object: 'Service/shop/x',
      path: 'spec',
      message: "unknown field 'futureField' (checked against the schema of Kubernetes 1.33, the newest at hand; a field Kubernetes 1.35 added since is not known here: leave the kind unchecked with uncheckedKinds if it is one)",
    }]);
  });

  test("an IstioControlPlane's kubernetesVersion is the app's: the synth refuses what that cluster does not serve", () => {
    const build = (kubernetesVersion?: string) => {
      const app = Testing.app();
      const chart = new Chart(app, 'mesh');
      new IstioControlPlane(chart, 'istio', { version: IstioVersion.of('1.23.6'), kubernetesVersion });
      new ApiObject(chart, 'hpa', {
        apiVersion: 'autoscaling/v2beta2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: 'istio-system' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, maxReplicas: 3 },
      });
      return app;
    };
    expect(() => build('1.27').synth()).toThrow(/HorizontalPodAutoscaler\/istio-system\/api apiVersion: autoscaling\/v2beta2 HorizontalPodAutoscaler is not served by Kubernetes 1\.27 \(kubernetesVersion\): it was removed in Kubernetes 1\.26/);
    expect(() => build(undefined).synth()).not.toThrow();
  });
});
