import * as path from 'path';
import { CniPlatformSpec, loadMeshConfig, MeshSpec } from '../../lib';
import { findOne } from '../helpers/manifests';
import { buildValidated } from '../helpers/mesh-build';

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
