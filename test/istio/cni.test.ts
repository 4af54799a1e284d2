import { Testing } from 'cdk8s';
import { ClusterPlatform, CniPlatform, InstallPath, IstioControlPlane, IstioOperatorFile, IstioProfile, IstioVersion } from '../../lib';
import { findOne, synthValid } from '../helpers/manifests';

describe('Istio CNI on the Sail path', () => {
  test.each([
    ['default', CniPlatform.DEFAULT, {}, undefined],
    // Istio 1.25+ GKE profile: the chart detects the binary directory itself
    ['GKE', CniPlatform.GKE, {}, 'gke'],
    ['k3s', CniPlatform.K3S, { cniBinDir: '/var/lib/rancher/k3s/data/cni', cniConfDir: '/var/lib/rancher/k3s/agent/etc/cni/net.d' }, 'k3s'],
    ['OpenShift', CniPlatform.OPENSHIFT, { cniBinDir: '/var/lib/cni/bin', cniConfDir: '/etc/cni/multus/net.d', cniConfFileName: 'istio-cni.conf', chained: false, provider: 'multus' }, 'openshift'],
  ])('%s preset: an IstioCNI named default in istio-cni with the platform profile', (_name, platform, expectedCni, globalPlatform) => {
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
    expect(cni.spec.namespace).toBe('istio-cni');
    expect(findOne(manifests, 'Namespace', 'istio-cni')).toBeDefined();
    expect(cni.spec.values.cni).toEqual({ ...expectedCni, excludeNamespaces: ['kube-system', 'istio-system'] });
    expect(cni.spec.values.global?.platform).toBe(globalPlatform);
    expect(findOne(manifests, 'Istio').spec.values.pilot.cni.enabled).toBe(true);
  });

  test('OpenShift tells istiod and the agent the platform', () => {
    const chart = Testing.chart();
    new IstioControlPlane(chart, 'istio', { cni: { platform: CniPlatform.OPENSHIFT } });
    const manifests = synthValid(chart);
    const cni = findOne(manifests, 'IstioCNI');
    expect(cni.spec.namespace).toBe('istio-cni');
    expect(cni.spec.values.global.platform).toBe('openshift');
    expect(findOne(manifests, 'Istio').spec.values.pilot.cni).toEqual({ enabled: true, provider: 'multus' });
    expect(findOne(manifests, 'Istio').spec.values.global.platform).toBe('openshift');
  });

  test('k3s: the bin dir k3s keeps across upgrades, never data/current/bin', () => {
    const chart = Testing.chart();
    new IstioControlPlane(chart, 'istio', { cni: { platform: CniPlatform.K3S } });
    const values = findOne(synthValid(chart), 'IstioCNI').spec.values.cni;
    expect(values.cniBinDir).toBe('/var/lib/rancher/k3s/data/cni');
    expect(JSON.stringify(values)).not.toContain('current');
  });

  test('GKE from Istio 1.26: global.platform=gke, whose chart profile renders the ResourceQuota; none of ours', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new IstioControlPlane(chart, 'istio', { cni: { platform: CniPlatform.GKE } });
    // THEN
    const manifests = synthValid(chart);
    const cni = findOne(manifests, 'IstioCNI');
    expect(cni.spec.namespace).toBe('istio-cni');
    expect(cni.spec.values.global).toEqual({ platform: 'gke' });
    expect(findOne(manifests, 'Istio').spec.values.global.platform).toBe('gke');
    expect(manifests.filter((m) => m.kind === 'ResourceQuota')).toEqual([]);
  });

  test.each([
    ['1.25.5', { platform: 'gke' }, {}],
    ['1.24.6', undefined, { cniBinDir: '/home/kubernetes/bin' }],
  ])('GKE with Istio %s: the library renders the node-critical ResourceQuota in the agent\'s namespace', (version, global, cniValues) => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new IstioControlPlane(chart, 'istio', { version: IstioVersion.of(version), cni: { platform: CniPlatform.GKE } });
    // THEN
    const manifests = synthValid(chart);
    const cni = findOne(manifests, 'IstioCNI');
    expect(cni.spec.values.global).toEqual(global);
    expect(cni.spec.values.cni ?? {}).toEqual(cniValues);
    const quota = findOne(manifests, 'ResourceQuota');
    expect(quota.metadata.namespace).toBe(cni.spec.namespace);
    expect(quota.spec.scopeSelector.matchExpressions).toEqual([{ scopeName: 'PriorityClass', operator: 'In', values: ['system-node-critical'] }]);
  });

  test('GKE in kube-system needs no quota of ours (GKE ships one there)', () => {
    const chart = Testing.chart();
    new IstioControlPlane(chart, 'istio', { version: IstioVersion.of('1.25.5'), cni: { platform: CniPlatform.GKE, namespace: 'kube-system' } });
    expect(synthValid(chart).filter((m) => m.kind === 'ResourceQuota')).toEqual([]);
  });

  test('a CNI namespace of its own is emitted', () => {
    const chart = Testing.chart();
    new IstioControlPlane(chart, 'istio', { cni: { namespace: 'istio-node-agent' } });
    const manifests = synthValid(chart);
    expect(findOne(manifests, 'Namespace', 'istio-node-agent').metadata.labels).toBeUndefined();
    expect(findOne(manifests, 'IstioCNI').spec.namespace).toBe('istio-node-agent');
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
  test('GKE: the chart renders the quota in the agent\'s namespace (istiod\'s), global.platform=gke', () => {
    // GIVEN
    const mesh = Testing.chart();
    const controlPlane = new IstioControlPlane(mesh, 'istio', { installPath: InstallPath.ISTIOCTL, cni: { platform: CniPlatform.GKE } });
    const istioctl = Testing.chart();
    // WHEN
    new IstioOperatorFile(istioctl, 'install', { controlPlane });
    // THEN
    const manifests = synthValid(istioctl);
    expect(manifests).toMatchSnapshot();
    const iop = findOne(manifests, 'IstioOperator');
    expect(iop.spec.components.cni).toEqual({ enabled: true, namespace: 'istio-system' });
    expect(iop.spec.values.cni).toEqual({ resourceQuotas: { enabled: true } });
    expect(iop.spec.values.global.platform).toBe('gke');
  });

  test('GKE with Istio 1.23 (no GKE chart profile): the bin dir and the quota are set, no global.platform', () => {
    const mesh = Testing.chart();
    const controlPlane = new IstioControlPlane(mesh, 'istio', { version: IstioVersion.of('1.23.6'), installPath: InstallPath.ISTIOCTL, cni: { platform: CniPlatform.GKE } });
    const istioctl = Testing.chart();
    new IstioOperatorFile(istioctl, 'install', { controlPlane });
    const iop = findOne(synthValid(istioctl), 'IstioOperator');
    expect(iop.spec.values.cni).toEqual({ cniBinDir: '/home/kubernetes/bin', resourceQuotas: { enabled: true } });
    expect(iop.spec.values.global.platform).toBeUndefined();
  });

  test('the OpenShift profile turns CNI on by itself', () => {
    const chart = Testing.chart();
    ClusterPlatform.use(chart, ClusterPlatform.OPENSHIFT);
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
