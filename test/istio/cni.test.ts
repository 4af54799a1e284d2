import { Testing } from 'cdk8s';
import { CniPlatform, InstallPath, IstioControlPlane, IstioOperatorFile, IstioProfile } from '../../lib';
import { findOne, synthValid } from '../helpers/manifests';

describe('Istio CNI on the Sail path', () => {
  test.each([
    ['default', CniPlatform.DEFAULT, {}],
    ['GKE', CniPlatform.GKE, { cniBinDir: '/home/kubernetes/bin' }],
    ['k3s', CniPlatform.K3S, { cniBinDir: '/var/lib/rancher/k3s/data/current/bin', cniConfDir: '/var/lib/rancher/k3s/agent/etc/cni/net.d' }],
    ['OpenShift', CniPlatform.OPENSHIFT, { cniBinDir: '/var/lib/cni/bin', cniConfDir: '/etc/cni/multus/net.d', cniConfFileName: 'istio-cni.conf', chained: false, provider: 'multus' }],
  ])('%s preset: an IstioCNI named default with the platform directories', (_name, platform, expectedCni) => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new IstioControlPlane(chart, 'istio', { cni: { platform, excludeNamespaces: ['kube-system', 'istio-system'] } });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const cni = findOne(manifests, 'IstioCNI');
    expect(cni.metadata).toEqual({ name: 'default' });
    expect(cni.spec.version).toBe('v1.30.3');
    expect(cni.spec.values.cni).toEqual({ ...expectedCni, excludeNamespaces: ['kube-system', 'istio-system'] });
    expect(findOne(manifests, 'Istio').spec.values.pilot.cni.enabled).toBe(true);
  });

  test('OpenShift tells istiod and the agent the platform, and runs the agent in kube-system', () => {
    const chart = Testing.chart();
    new IstioControlPlane(chart, 'istio', { cni: { platform: CniPlatform.OPENSHIFT } });
    const manifests = synthValid(chart);
    const cni = findOne(manifests, 'IstioCNI');
    expect(cni.spec.namespace).toBe('kube-system');
    expect(cni.spec.values.global.platform).toBe('openshift');
    expect(findOne(manifests, 'Istio').spec.values.pilot.cni).toEqual({ enabled: true, provider: 'multus' });
    expect(findOne(manifests, 'Istio').spec.values.global.platform).toBe('openshift');
    // kube-system exists in every cluster: never emitted
    expect(manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata?.name)).toEqual(['istio-system']);
  });

  test('a CNI namespace of its own is emitted', () => {
    const chart = Testing.chart();
    new IstioControlPlane(chart, 'istio', { cni: { namespace: 'istio-cni' } });
    const manifests = synthValid(chart);
    expect(findOne(manifests, 'Namespace', 'istio-cni').metadata.labels).toBeUndefined();
    expect(findOne(manifests, 'IstioCNI').spec.namespace).toBe('istio-cni');
  });

  test('explicit options win over the preset', () => {
    const chart = Testing.chart();
    new IstioControlPlane(chart, 'istio', { cni: { platform: CniPlatform.K3S, chained: false, binDir: '/opt/k3s/bin' } });
    expect(findOne(synthValid(chart), 'IstioCNI').spec.values.cni).toEqual({
      chained: false,
      cniBinDir: '/opt/k3s/bin',
      cniConfDir: '/var/lib/rancher/k3s/agent/etc/cni/net.d',
    });
  });
});

describe('Istio CNI in the IstioOperator', () => {
  test('components.cni and values.cni', () => {
    // GIVEN
    const mesh = Testing.chart();
    const controlPlane = new IstioControlPlane(mesh, 'istio', { installPath: InstallPath.ISTIOCTL, cni: { platform: CniPlatform.GKE, namespace: 'kube-system' } });
    const istioctl = Testing.chart();
    // WHEN
    new IstioOperatorFile(istioctl, 'install', { controlPlane });
    // THEN
    const manifests = synthValid(istioctl);
    expect(manifests).toMatchSnapshot();
    const iop = findOne(manifests, 'IstioOperator');
    expect(iop.spec.components.cni).toEqual({ enabled: true, namespace: 'kube-system' });
    expect(iop.spec.values.cni).toEqual({ cniBinDir: '/home/kubernetes/bin' });
  });

  test('the OpenShift profile turns CNI on by itself', () => {
    const chart = Testing.chart();
    const controlPlane = new IstioControlPlane(chart, 'istio', { installPath: InstallPath.ISTIOCTL, profile: IstioProfile.OPENSHIFT });
    const file = Testing.chart();
    new IstioOperatorFile(file, 'install', { controlPlane });
    const iop = findOne(synthValid(file), 'IstioOperator');
    expect(iop.spec.components.cni).toEqual({ enabled: true, namespace: 'kube-system' });
    expect(iop.spec.values.cni.provider).toBe('multus');
    expect(iop.spec.values.global).toEqual({ platform: 'openshift', istioNamespace: 'istio-system' });
  });
});

describe('bad CNI options', () => {
  test('relative directories are refused', () => {
    expect(() => new IstioControlPlane(Testing.chart(), 'istio', { cni: { binDir: 'opt/cni/bin' } }))
      .toThrow("cni.binDir must be an absolute directory path on the nodes, such as /opt/cni/bin, got 'opt/cni/bin'");
    expect(() => CniPlatform.custom({ confDir: 'net.d' })).toThrow(/CniPlatform.custom confDir must be an absolute directory path/);
  });

  test('bad namespaces are refused', () => {
    expect(() => new IstioControlPlane(Testing.chart(), 'istio', { cni: { excludeNamespaces: ['Kube_System'] } }))
      .toThrow(/cni.excludeNamespaces entry must be a DNS-1123 label.*got 'Kube_System'/);
    expect(() => new IstioControlPlane(Testing.chart(), 'istio', { cni: { namespace: 'CNI' } })).toThrow(/cni.namespace must be a DNS-1123 label/);
  });
});
