import { Chart, Testing } from 'cdk8s';
import { ApplyPhase, ClusterPlatform, InstallPath, IstioControlPlane, IstioOperatorFile, IstioProfile, IstioVersion } from '../../lib';
import { findOne, fragmentApp, fragmentChart, synthValid } from '../helpers/manifests';

describe('ambient data plane on the Sail path', () => {
  test('the ambient profile renders Istio, IstioCNI and a ZTunnel that targets the Istio', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    const controlPlane = new IstioControlPlane(chart, 'istio', { profile: IstioProfile.AMBIENT });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(controlPlane.ambient).toBe(true);
    expect(controlPlane.ztunnelNamespace).toBe('ztunnel');
    const istio = findOne(manifests, 'Istio');
    expect(istio.spec.profile).toBe('ambient');
    // istiod trusts only the ztunnel of the namespace it is told about
    expect(istio.spec.values.pilot.trustedZtunnelNamespace).toBe('ztunnel');
    const cni = findOne(manifests, 'IstioCNI');
    expect(cni.metadata.name).toBe('default');
    expect(cni.spec).toMatchObject({ profile: 'ambient', namespace: 'istio-cni', version: 'v1.30.3' });
    const ztunnel = findOne(manifests, 'ZTunnel');
    expect(ztunnel.apiVersion).toBe('sailoperator.io/v1');
    expect(ztunnel.metadata).toEqual({ name: 'default' });
    expect(ztunnel.spec).toEqual({ namespace: 'ztunnel', version: 'v1.30.3', targetRef: { kind: 'Istio', name: 'default' } });
    expect(manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata?.name)).toEqual(['istio-system', 'istio-cni', 'ztunnel']);
  });

  test('a chosen hub is written into the ZTunnel as into the Istio and IstioCNI', () => {
    const chart = fragmentChart();
    new IstioControlPlane(chart, 'istio', { profile: IstioProfile.AMBIENT, hub: 'registry.example.com/istio' });
    const manifests = synthValid(chart);
    for (const kind of ['Istio', 'IstioCNI', 'ZTunnel']) {
      expect({ kind, hub: findOne(manifests, kind).spec.values.global.hub }).toEqual({ kind, hub: 'registry.example.com/istio' });
    }
  });

  test('a revision names the Istio the ZTunnel targets', () => {
    const chart = fragmentChart();
    new IstioControlPlane(chart, 'istio', { profile: IstioProfile.AMBIENT, revision: 'stable' });
    expect(findOne(synthValid(chart), 'ZTunnel').spec.targetRef).toEqual({ kind: 'Istio', name: 'stable' });
  });

  test('apply phases follow the in-place update order: control plane, CNI, ztunnel', () => {
    expect(ApplyPhase.ofKind('sailoperator.io/v1', 'Istio').order).toBeLessThan(ApplyPhase.ofKind('sailoperator.io/v1', 'IstioCNI').order);
    expect(ApplyPhase.ofKind('sailoperator.io/v1', 'IstioCNI').order).toBeLessThan(ApplyPhase.ofKind('sailoperator.io/v1', 'ZTunnel').order);
    expect(ApplyPhase.ofKind('sailoperator.io/v1', 'ZTunnel').order).toBeLessThan(ApplyPhase.MESH.order);
    expect(ApplyPhase.ALL.map((phase) => phase.name)).toEqual(['namespaces', 'operators', 'control-plane', 'cni', 'ztunnel', 'mesh']);
  });

  test('ztunnel.namespace moves the node proxy and what istiod trusts', () => {
    const chart = fragmentChart();
    new IstioControlPlane(chart, 'istio', { profile: IstioProfile.AMBIENT, ztunnel: { namespace: 'istio-ztunnel' } });
    const manifests = synthValid(chart);
    expect(findOne(manifests, 'ZTunnel').spec.namespace).toBe('istio-ztunnel');
    expect(findOne(manifests, 'Istio').spec.values.pilot.trustedZtunnelNamespace).toBe('istio-ztunnel');
    expect(findOne(manifests, 'Namespace', 'istio-ztunnel')).toBeDefined();
  });

  test.each([
    ['1.25.5', ['istio-cni-node-critical-pods', 'ztunnel-node-critical-pods']],
    // the 1.26+ charts render both quotas themselves under global.platform=gke
    ['1.30.3', []],
  ])('GKE with Istio %s: ResourceQuotas for the system-node-critical pods the charts do not cover', (version, quotas) => {
    const chart = Testing.chart();
    ClusterPlatform.use(chart, ClusterPlatform.GKE);
    new IstioControlPlane(chart, 'istio', { profile: IstioProfile.AMBIENT, version: IstioVersion.of(version) });
    const manifests = synthValid(chart);
    expect(manifests.filter((m) => m.kind === 'ResourceQuota').map((m) => m.metadata?.name)).toEqual(quotas);
    expect(findOne(manifests, 'Istio').spec.values.global.platform).toBe('gke');
  });
});

describe('ambient data plane on the istioctl path', () => {
  test('the IstioOperator enables the ztunnel and CNI components of the ambient profile', () => {
    // GIVEN
    const chart = fragmentChart();
    const controlPlane = new IstioControlPlane(chart, 'istio', { profile: IstioProfile.AMBIENT, installPath: InstallPath.ISTIOCTL });
    // WHEN
    new IstioOperatorFile(chart, 'file', { controlPlane });
    // THEN
    const iop = findOne(synthValid(chart), 'IstioOperator');
    expect(iop.spec.profile).toBe('ambient');
    // istioctl's ambient profile puts both in istiod's namespace
    expect(iop.spec.components.ztunnel).toEqual({ enabled: true, namespace: 'istio-system' });
    expect(iop.spec.components.cni).toEqual({ enabled: true, namespace: 'istio-system' });
    expect(iop.spec.values.pilot.trustedZtunnelNamespace).toBe('istio-system');
  });

  test('on OpenShift ztunnel defaults to kube-system, as the openshift-ambient profile has it', () => {
    const app = fragmentApp();
    ClusterPlatform.use(app, ClusterPlatform.OPENSHIFT);
    const chart = new Chart(app, 'test');
    const controlPlane = new IstioControlPlane(chart, 'istio', { profile: IstioProfile.OPENSHIFT_AMBIENT, installPath: InstallPath.ISTIOCTL });
    new IstioOperatorFile(chart, 'file', { controlPlane });
    const iop = findOne(synthValid(chart), 'IstioOperator');
    expect(iop.spec.components.ztunnel).toEqual({ enabled: true, namespace: 'kube-system' });
    expect(iop.spec.values.pilot.trustedZtunnelNamespace).toBe('kube-system');
  });
});

describe('ambient refusals', () => {
  test('before Istio 1.24 (and so on the in-cluster operator), ambient is refused', () => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { profile: IstioProfile.AMBIENT, version: IstioVersion.of('1.23.6') }))
      .toThrow(/profile ambient needs Istio 1.24 or later, .*got version 1.23.6 \(the in-cluster operator, which ends with 1.23, has no GA ambient mode\)/);
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { profile: IstioProfile.AMBIENT, version: IstioVersion.of('1.23.6'), installPath: InstallPath.ISTIOCTL }))
      .toThrow(/profile ambient needs Istio 1.24 or later/);
  });

  test('ztunnel settings without an ambient profile are refused', () => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { ztunnel: { namespace: 'ztunnel' } }))
      .toThrow(/ztunnel runs only with an ambient profile, got profile default/);
  });

  test('a trustedZtunnelNamespace other than ztunnel\'s is refused', () => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { profile: IstioProfile.AMBIENT, values: { pilot: { trustedZtunnelNamespace: 'kube-system' } } }))
      .toThrow(/values.pilot.trustedZtunnelNamespace is 'kube-system' but ztunnel runs in 'ztunnel'/);
  });
});
