import * as path from 'path';
import { CniPlatformSpec, loadMeshConfig, MeshSpec, PlatformSpec } from '../../lib';
import { findOne } from '../helpers/manifests';
import { buildValidated, problemsOf } from '../helpers/mesh-build';

/** The guide's mesh (the repo's mesh.yaml) on another Kubernetes distribution. */
function guideMeshOn(platform: CniPlatformSpec, overrides: Partial<MeshSpec['controlPlane']> = {}): MeshSpec {
  const guide = loadMeshConfig(path.resolve(__dirname, '../../mesh.yaml'));
  return { ...guide, controlPlane: { ...guide.controlPlane, ...overrides, cni: { ...guide.controlPlane?.cni, platform } } };
}

describe("the guide's mesh on GKE", () => {
  test('the CNI node agent in istio-cni, admitted by the GKE profile\'s quota (Istio 1.30)', () => {
    // GIVEN / WHEN
    const { manifests } = buildValidated(guideMeshOn(CniPlatformSpec.GKE));
    // THEN
    expect(manifests).toMatchSnapshot();
    const cni = findOne(manifests, 'IstioCNI');
    expect(cni.spec.namespace).toBe('istio-cni');
    expect(cni.spec.values.global).toEqual({ platform: 'gke' });
    expect(cni.spec.values.cni?.cniBinDir).toBeUndefined();
    expect(findOne(manifests, 'Namespace', 'istio-cni')).toBeDefined();
  });

  test('with Istio 1.25 the output itself carries the quota the chart cannot render', () => {
    const { manifests } = buildValidated(guideMeshOn(CniPlatformSpec.GKE, { version: '1.25.5', kubernetesVersion: '1.31' }));
    const quota = findOne(manifests, 'ResourceQuota');
    expect(quota.metadata.namespace).toBe('istio-cni');
    expect(quota.spec.scopeSelector.matchExpressions[0].values).toEqual(['system-node-critical']);
  });
});

describe("the guide's mesh in ambient on GKE", () => {
  test('IstioCNI and ZTunnel in namespaces of their own, and the platform in the Istio values the ZTunnel takes through its targetRef', () => {
    // GIVEN / WHEN
    const { manifests } = buildValidated(guideMeshOn(CniPlatformSpec.GKE, { profile: 'ambient' as any }));
    // THEN
    expect(manifests.filter((m) => ['Istio', 'IstioCNI', 'ZTunnel', 'ResourceQuota'].includes(m.kind))).toMatchSnapshot();
    const cni = findOne(manifests, 'IstioCNI');
    expect([cni.spec.namespace, cni.spec.profile, cni.spec.values.global]).toEqual(['istio-cni', 'ambient', { platform: 'gke' }]);
    const ztunnel = findOne(manifests, 'ZTunnel');
    expect([ztunnel.spec.namespace, ztunnel.spec.targetRef]).toEqual(['ztunnel', { kind: 'Istio', name: 'default' }]);
    // From Istio 1.26 the charts' GKE profile renders the system-node-critical quota; the Istio carries the platform
    expect(findOne(manifests, 'Istio').spec.values.global.platform).toBe('gke');
    expect(manifests.filter((m) => m.kind === 'ResourceQuota')).toEqual([]);
    expect(findOne(manifests, 'Namespace', 'istio-demo').metadata.labels).toEqual({ 'istio.io/dataplane-mode': 'ambient' });
    expect(manifests.filter((m) => m.kind === 'Sidecar' && m.metadata?.namespace === 'istio-demo')).toEqual([]);
  });
});

describe("the guide's mesh on k3s", () => {
  test('the CNI binaries go to the directory k3s keeps across upgrades', () => {
    // GIVEN / WHEN
    const { manifests } = buildValidated(guideMeshOn(CniPlatformSpec.K3S));
    // THEN
    expect(manifests).toMatchSnapshot();
    const cni = findOne(manifests, 'IstioCNI');
    expect(cni.spec.values.cni).toEqual({ cniBinDir: '/var/lib/rancher/k3s/data/cni', cniConfDir: '/var/lib/rancher/k3s/agent/etc/cni/net.d' });
    expect(cni.spec.values.global).toEqual({ platform: 'k3s' });
  });
});

describe("the guide's mesh on OpenShift", () => {
  test('platform: openshift leaves every pod\'s user and group ids to the platform, CNI through Multus', () => {
    // GIVEN
    const guide = loadMeshConfig(path.resolve(__dirname, '../../mesh.yaml'));
    const { cni: _cni, ...controlPlane } = guide.controlPlane ?? {};
    // WHEN
    const { manifests } = buildValidated({ ...guide, platform: PlatformSpec.OPENSHIFT, controlPlane });
    // THEN
    expect(manifests).toMatchSnapshot();
    const fixedIds = manifests.flatMap((m: any) => {
      const pod = m.kind === 'Prometheus' ? m.spec : m.spec?.template?.spec;
      const contexts = pod ? [pod.securityContext, ...(pod.containers ?? []).map((c: any) => c.securityContext)] : [];
      return contexts.filter((c) => c && ['runAsUser', 'runAsGroup', 'fsGroup'].some((field) => field in c)).map(() => `${m.kind}/${m.metadata.name}`);
    });
    expect(fixedIds).toEqual([]);
    const cni = findOne(manifests, 'IstioCNI');
    expect(cni.spec.values.cni).toMatchObject({ provider: 'multus', chained: false });
    expect(findOne(manifests, 'Istio').spec.values.global.platform).toBe('openshift');
  });

  test('openshift-ambient: CNI through Multus for ztunnel, no fixed ids', () => {
    // GIVEN
    const guide = loadMeshConfig(path.resolve(__dirname, '../../mesh.yaml'));
    const { cni: _cni, ...controlPlane } = guide.controlPlane ?? {};
    // WHEN
    const { manifests } = buildValidated({ ...guide, platform: PlatformSpec.OPENSHIFT, controlPlane: { ...controlPlane, profile: 'openshift-ambient' as any } });
    // THEN
    expect(manifests.filter((m) => ['Istio', 'IstioCNI', 'ZTunnel'].includes(m.kind))).toMatchSnapshot();
    const cni = findOne(manifests, 'IstioCNI');
    expect(cni.spec.profile).toBe('openshift-ambient');
    expect(cni.spec.values.cni).toMatchObject({ provider: 'multus', chained: false });
    expect(findOne(manifests, 'ZTunnel').spec.namespace).toBe('ztunnel');
    expect(findOne(manifests, 'Deployment', 'istio-ingressgateway').spec.template.spec.containers[0].securityContext.runAsUser).toBeUndefined();
  });

  test('controlPlane.profile: openshift alone makes the platform OpenShift', () => {
    const guide = loadMeshConfig(path.resolve(__dirname, '../../mesh.yaml'));
    const { cni: _cni, ...controlPlane } = guide.controlPlane ?? {};
    const { manifests } = buildValidated({ ...guide, controlPlane: { ...controlPlane, installPath: 'istioctl' as any, profile: 'openshift' as any } });
    expect(findOne(manifests, 'Deployment', 'istio-ingressgateway').spec.template.spec.containers[0].securityContext.runAsUser).toBeUndefined();
  });
});

describe('controlPlane.version: a patch released after the library', () => {
  test('1.30.8 builds with the -latest alias and a summary warning naming 1.30.7 in mesh.yaml words', () => {
    // GIVEN
    const guide = loadMeshConfig(path.resolve(__dirname, '../../mesh.yaml'));
    // WHEN
    const { mesh, manifests } = buildValidated({ ...guide, controlPlane: { ...guide.controlPlane, version: '1.30.8' } });
    // THEN
    expect(findOne(manifests, 'Istio').spec.version).toBe('v1.30-latest');
    const warning = mesh.warnings.find((w) => w.startsWith('Istio 1.30.8 is newer'));
    expect(warning).toMatch(/newest patch this library knows, 1.30.7/);
    expect(warning).toMatch(/set controlPlane.version to the newest patch this library knows/);
  });

  test('1.31.3 on Kubernetes 1.36 builds with v1.31.3 and the warning that it needs Sail operator 1.31.2', () => {
    // GIVEN
    const guide = loadMeshConfig(path.resolve(__dirname, '../../mesh.yaml'));
    // WHEN
    const { mesh, manifests } = buildValidated({ ...guide, controlPlane: { ...guide.controlPlane, version: '1.31.3', kubernetesVersion: '1.36' } });
    // THEN
    expect(findOne(manifests, 'Istio').spec.version).toBe('v1.31.3');
    expect(mesh.warnings.find((w) => w.includes('Sail operator 1.31.2'))).toMatch(/install Sail operator 1.31.2 or later/);
    expect(mesh.warnings.some((w) => /newer than the newest patch/.test(w))).toBe(false);
  });

  test('1.31 refuses Kubernetes 1.31 at controlPlane.kubernetesVersion', () => {
    expect(problemsOf({ controlPlane: { version: '1.31.3', kubernetesVersion: '1.31' } })).toEqual([{
      path: 'controlPlane.kubernetesVersion',
      message: expect.stringMatching(/^Istio 1.31 supports Kubernetes 1.32 to 1.36, got kubernetesVersion 1.31/),
    }]);
  });

  test('a patch the Sail CRDs skip is refused at controlPlane.version, naming the value and the listed patches', () => {
    expect(problemsOf({ controlPlane: { version: '1.25.0' } })).toEqual([{
      path: 'controlPlane.version',
      message: expect.stringMatching(/version 1.25.0 is not a release the Sail operator knows: pick one of its listed patches \(1.25.5, /),
    }]);
  });
});
