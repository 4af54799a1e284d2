import { Chart, Testing } from 'cdk8s';
import { ClusterPlatform, InstallPath, IstioControlPlane, IstioInClusterOperator, IstioProfile, IstioVersion, Manifest, MeshRule, analyzeMesh } from '../../../lib';
import { findOne, synthValid } from '../../helpers/manifests';

describe('in-cluster operator (Istio 1.23)', () => {
  test('the operator, its CRD and an IstioOperator for it', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const controlPlane = new IstioControlPlane(chart, 'istio', { version: IstioVersion.of('1.23.6'), hub: 'example.com/istio', dnsProxy: {} });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(controlPlane.installPath).toBe(InstallPath.IN_CLUSTER_OPERATOR);
    expect(manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata?.name)).toEqual(['istio-system', 'istio-operator']);

    const iop = findOne(manifests, 'IstioOperator');
    expect(iop.apiVersion).toBe('install.istio.io/v1alpha1');
    expect(iop.metadata).toEqual({ name: 'control-plane', namespace: 'istio-system' });
    expect(iop.spec).toMatchObject({ profile: 'default', hub: 'example.com/istio', namespace: 'istio-system' });
    // no tag chosen: the operator's own, its release's
    expect(iop.spec.tag).toBeUndefined();
    // The ingress gateway is an IngressGateway on every path: the operator installs none.
    expect(iop.spec.components.ingressGateways).toEqual([{ name: 'istio-ingressgateway', enabled: false }]);
    expect(iop.spec.values).toEqual({ global: { istioNamespace: 'istio-system' } });
    expect(iop.spec.meshConfig.defaultConfig.proxyMetadata).toEqual({ ISTIO_META_DNS_CAPTURE: 'true', ISTIO_META_DNS_AUTO_ALLOCATE: 'true' });
  });

  test('the IstioOperator CRD is open, namespaced and has a status subresource', () => {
    const chart = Testing.chart();
    new IstioControlPlane(chart, 'istio', { version: IstioVersion.of('1.23.6') });
    const crd = findOne(synthValid(chart), 'CustomResourceDefinition');
    expect(crd.metadata.name).toBe('istiooperators.install.istio.io');
    expect(crd.spec.group).toBe('install.istio.io');
    expect(crd.spec.scope).toBe('Namespaced');
    expect(crd.spec.versions).toHaveLength(1);
    expect(crd.spec.versions[0]).toMatchObject({
      name: 'v1alpha1',
      served: true,
      storage: true,
      subresources: { status: {} },
      schema: { openAPIV3Schema: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    });
  });

  test('the operator Deployment runs the hub image, locked down', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new IstioInClusterOperator(chart, 'operator', { hub: 'example.com/istio', tag: '1.23.6', watchedNamespace: 'istio-system' });
    // THEN
    const manifests = synthValid(chart);
    const deployment = findOne(manifests, 'Deployment');
    expect(deployment.metadata).toMatchObject({ name: 'istio-operator', namespace: 'istio-operator' });
    const pod = deployment.spec.template.spec;
    expect(pod.serviceAccountName).toBe('istio-operator');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    const container = pod.containers[0];
    expect(container.image).toBe('example.com/istio/operator:1.23.6');
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
    });
    expect(container.resources).toEqual({ requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } });
    expect(container.env).toContainEqual({ name: 'WATCH_NAMESPACE', value: 'istio-system' });
    // the revision label would get the operator itself injected
    expect(deployment.spec.template.metadata.labels['istio.io/rev']).toBeUndefined();
  });

  test('on OpenShift the operator leaves its user and group ids to the platform (checked by the openshift-fixed-ids rule)', () => {
    // GIVEN an app for OpenShift
    const app = Testing.app();
    ClusterPlatform.use(app, ClusterPlatform.OPENSHIFT);
    const chart = new Chart(app, 'chart');
    // WHEN
    new IstioControlPlane(chart, 'istio', { version: IstioVersion.of('1.23.6'), installPath: InstallPath.IN_CLUSTER_OPERATOR, profile: IstioProfile.OPENSHIFT });
    // THEN
    const manifests = synthValid(chart);
    const pod = findOne(manifests, 'Deployment', 'istio-operator').spec.template.spec;
    for (const context of [pod.securityContext, pod.containers[0].securityContext]) {
      expect(context).toMatchObject({ runAsNonRoot: true });
      expect(context.runAsUser).toBeUndefined();
      expect(context.runAsGroup).toBeUndefined();
    }
    expect(analyzeMesh(manifests as Manifest[]).filter((finding) => finding.rule === MeshRule.OPENSHIFT_FIXED_IDS)).toEqual([]);
  });

  test('RBAC: no wildcard verbs, leader election only in its namespace', () => {
    const chart = Testing.chart();
    new IstioInClusterOperator(chart, 'operator', { hub: 'docker.io/istio', tag: '1.23.6', watchedNamespace: 'istio-system' });
    const manifests = synthValid(chart);
    const rules = findOne(manifests, 'ClusterRole').rules as Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
    expect(rules.flatMap((r) => r.verbs)).not.toContain('*');
    expect(rules.flatMap((r) => r.apiGroups)).not.toContain('config.istio.io');
    expect(rules.find((r) => r.resources.includes('pods'))?.verbs).toEqual(['get', 'list', 'watch']);
    expect(findOne(manifests, 'ClusterRoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'istio-operator', namespace: 'istio-operator' }]);
    const role = findOne(manifests, 'Role');
    expect(role.metadata.namespace).toBe('istio-operator');
    expect(role.rules).toEqual([{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'] }]);
  });

  test('a revision gets its own operator and IstioOperator', () => {
    const chart = Testing.chart();
    new IstioControlPlane(chart, 'istio', { version: IstioVersion.of('1.22.8'), revision: 'canary', inClusterOperator: { namespace: 'istio-operator-canary' } });
    const manifests = synthValid(chart);
    const deployment = findOne(manifests, 'Deployment');
    expect(deployment.metadata).toMatchObject({ name: 'istio-operator-canary', namespace: 'istio-operator-canary' });
    expect(deployment.spec.template.spec.containers[0].env).toContainEqual({ name: 'REVISION', value: 'canary' });
    const iop = findOne(manifests, 'IstioOperator');
    expect(iop.metadata.name).toBe('control-plane-canary');
    expect(iop.spec.revision).toBe('canary');
  });

  test('a bad operator namespace is refused', () => {
    expect(() => new IstioInClusterOperator(Testing.chart(), 'operator', { hub: 'docker.io/istio', tag: '1.23.6', watchedNamespace: 'istio-system', namespace: 'Operator' }))
      .toThrow(/operator namespace must be a DNS-1123 label.*got 'Operator'/);
  });
});
