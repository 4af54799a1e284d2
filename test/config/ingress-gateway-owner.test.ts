import { Testing } from 'cdk8s';
import { InstallPath, Manifest, MeshConfigError, MeshSpec, buildMesh, parseMeshConfig, validateMesh } from '../../lib';
import { installedObjects } from '../../lib/validation/installed-objects';

/** Every object of every app the spec builds (the istioctl file's too), checked like a synth checks it. */
function allManifests(spec: MeshSpec): Manifest[] {
  const mesh = buildMesh(Testing.app(), spec);
  const manifests = [...mesh.charts, ...mesh.istioctlApp?.charts ?? []].flatMap((chart) => chart.toJson() as Manifest[]);
  expect(validateMesh(manifests, { externalNamespaces: mesh.externalNamespaces })).toEqual([]);
  return manifests;
}

/** Who makes the gateway's Deployment: the output itself, and every install resource that creates one. */
function gatewayOwners(manifests: readonly Manifest[], name: string): string[] {
  const rendered = manifests.filter((m) => m.kind === 'Deployment' && m.metadata?.name === name).map((m) => `rendered in ${m.metadata?.namespace}`);
  const installed = manifests.flatMap((installer) => installedObjects(installer)
    .filter((object) => object.kind === 'Deployment' && object.name === name)
    .map((object) => `${installer.kind} in ${object.namespace}`));
  return [...rendered, ...installed];
}

const PATHS: ReadonlyArray<readonly [string, MeshSpec['controlPlane']]> = [
  ['Sail', { installPath: InstallPath.SAIL, istioctlFile: true }],
  ['istioctl file', { installPath: InstallPath.ISTIOCTL }],
  ['in-cluster operator', { version: '1.23.6', installPath: InstallPath.IN_CLUSTER_OPERATOR }],
];

describe('one owner of the ingress gateway on every install path', () => {
  test.each(PATHS)('%s: the injected gateway Deployment, and no IstioOperator gateway', (_path, controlPlane) => {
    // GIVEN
    const spec: MeshSpec = { controlPlane, ingressGateway: {} };
    // WHEN
    const manifests = allManifests(spec);
    // THEN
    expect(gatewayOwners(manifests, 'istio-ingressgateway')).toEqual(['rendered in istio-ingress']);
    for (const operator of manifests.filter((m) => m.kind === 'IstioOperator') as any[]) {
      expect(operator.spec.components.ingressGateways).toEqual([{ name: 'istio-ingressgateway', enabled: false }]);
      expect(operator.spec.values?.gateways).toBeUndefined();
    }
  });

  test.each(PATHS)('%s without an ingressGateway part: no gateway at all, from anyone', (_path, controlPlane) => {
    const manifests = allManifests({ controlPlane });
    expect(gatewayOwners(manifests, 'istio-ingressgateway')).toEqual([]);
    expect(manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata?.name)).not.toContain('istio-ingress');
  });
});

describe('one gateway setting feeds every install path', () => {
  test.each(PATHS)('%s: namespace, serviceType and labels of ingressGateway shape the gateway, and nothing else names the old one', (_path, controlPlane) => {
    // GIVEN
    const spec: MeshSpec = {
      controlPlane,
      ingressGateway: { namespace: 'edge', serviceType: 'NodePort' as any, labels: { istio: 'edge-gateway' } },
    };
    // WHEN
    const manifests = allManifests(spec);
    // THEN
    const service = manifests.find((m) => m.kind === 'Service' && m.metadata?.name === 'istio-ingressgateway') as any;
    expect(service.metadata.namespace).toBe('edge');
    expect(service.spec.type).toBe('NodePort');
    expect(service.spec.selector).toEqual({ istio: 'edge-gateway' });
    const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata?.name === 'istio-ingressgateway') as any;
    expect(deployment.spec.template.metadata.labels).toMatchObject({ istio: 'edge-gateway' });
    expect(manifests.find((m) => m.kind === 'Namespace' && m.metadata?.name === 'edge')?.metadata?.labels).toEqual({ 'istio-injection': 'enabled' });
    expect(gatewayOwners(manifests, 'istio-ingressgateway')).toEqual(['rendered in edge']);
    expect(JSON.stringify(manifests)).not.toContain('istio-ingress"');
  });
});

describe('controlPlane.ingressGateway, the old second gateway block', () => {
  test('is refused with a message that says where its settings moved', () => {
    // GIVEN
    const text = 'controlPlane:\n  ingressGateway:\n    namespace: istio-ingress\n    serviceType: NodePort\ningressGateway: {}\n';
    // WHEN
    const parsed = parseMeshConfig(text, 'mesh.yaml');
    let problems: Array<{ path: string; message: string }> = [];
    try {
      buildMesh(Testing.app(), parsed.spec!, { skipPaths: parsed.problems.map((problem) => problem.path) });
    } catch (error) {
      problems = MeshConfigError.isMeshConfigError(error) ? error.problems.map(({ path, message }) => ({ path, message })) : [];
    }
    // THEN
    expect(parsed.problems).toEqual([]);
    expect(problems).toEqual([{
      path: 'controlPlane.ingressGateway',
      message: expect.stringMatching(/^moved: the ingress gateway has one place, the top-level ingressGateway key, which every install path reads .*Write namespace, injection, labels and serviceType there \(ingressGateway: \{ namespace: istio-ingress \}\)/),
    }]);
  });
});
