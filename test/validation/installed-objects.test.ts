import { Manifest, MeshRule, analyzeMesh } from '../../lib';

const namespaces: Manifest[] = ['istio-system', 'istio-ingress'].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));

function istioOperator(name: string, spec: Record<string, unknown>): Manifest {
  return { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name, namespace: 'istio-system' }, spec };
}

function sailIstio(name: string, namespace = 'istio-system'): Manifest {
  return { apiVersion: 'sailoperator.io/v1', kind: 'Istio', metadata: { name }, spec: { namespace, version: 'v1.30.3' } };
}

function renderedGateway(name: string, namespace: string): Manifest[] {
  const metadata = { name, namespace };
  return [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] } } } },
    { apiVersion: 'v1', kind: 'Service', metadata, spec: { ports: [{ port: 80 }] } },
  ];
}

const ownership = (manifests: Manifest[]) => analyzeMesh(manifests).filter((finding) => finding.rule === MeshRule.INSTALLED_OBJECT);

describe('nothing the output renders is also created by an install resource of the output', () => {
  test('an IstioOperator with an enabled gateway beside a rendered gateway of the same name and namespace is refused, naming both', () => {
    // GIVEN
    const operator = istioOperator('control-plane', {
      profile: 'default',
      components: { ingressGateways: [{ name: 'istio-ingressgateway', namespace: 'istio-ingress', enabled: true }] },
    });
    // WHEN
    const findings = ownership([...namespaces, operator, ...renderedGateway('istio-ingressgateway', 'istio-ingress')]);
    // THEN
    expect(findings.map((f) => [f.object, f.path])).toEqual([
      ['Deployment/istio-ingress/istio-ingressgateway', 'metadata.name'],
      ['Service/istio-ingress/istio-ingressgateway', 'metadata.name'],
    ]);
    expect(findings[0].message).toMatch(/^IstioOperator\/istio-system\/control-plane also creates Deployment\/istio-ingress\/istio-ingressgateway \(its gateway components\.ingressGateways\[0\]\), so the output and the installer both own it .*switch the installer's gateway off \(components\.ingressGateways: \[\{ name: istio-ingressgateway, enabled: false \}\]/);
  });

  test("the profile's own gateway counts when components do not switch it off", () => {
    // GIVEN the default profile installs istio-ingressgateway into the IstioOperator's namespace
    const operator = istioOperator('control-plane', { profile: 'default', namespace: 'istio-system' });
    // WHEN
    const findings = ownership([...namespaces, operator, ...renderedGateway('istio-ingressgateway', 'istio-system')]);
    // THEN
    expect(findings).toHaveLength(2);
    expect(findings[0].message).toMatch(/\(the default profile's istio-ingressgateway \(not switched off in components\.ingressGateways\)\)/);
  });

  test('a gateway the IstioOperator switches off, or one in another namespace or with another name, has one owner', () => {
    const switchedOff = istioOperator('control-plane', { profile: 'default', components: { ingressGateways: [{ name: 'istio-ingressgateway', enabled: false }] } });
    expect(ownership([...namespaces, switchedOff, ...renderedGateway('istio-ingressgateway', 'istio-system')])).toEqual([]);
    const minimal = istioOperator('control-plane', { profile: 'minimal' });
    expect(ownership([...namespaces, minimal, ...renderedGateway('istio-ingressgateway', 'istio-system')])).toEqual([]);
    const elsewhere = istioOperator('control-plane', { components: { ingressGateways: [{ name: 'istio-ingressgateway', namespace: 'istio-ingress', enabled: true }] } });
    expect(ownership([...namespaces, elsewhere, ...renderedGateway('istio-ingressgateway', 'istio-system'), ...renderedGateway('public-gateway', 'istio-ingress')])).toEqual([]);
  });

  test('a rendered istiod beside a Sail Istio, and a CNI DaemonSet beside an IstioCNI, are refused', () => {
    // GIVEN
    const istiod: Manifest = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'istiod-canary', namespace: 'istio-system' }, spec: {} };
    const cniAgent: Manifest = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'istio-cni-node', namespace: 'istio-system' }, spec: {} };
    const cni: Manifest = { apiVersion: 'sailoperator.io/v1', kind: 'IstioCNI', metadata: { name: 'default' }, spec: { namespace: 'istio-system' } };
    // WHEN
    const findings = ownership([...namespaces, sailIstio('canary'), cni, istiod, cniAgent]);
    // THEN
    expect(findings.map((f) => f.object)).toEqual(['Deployment/istio-system/istiod-canary', 'DaemonSet/istio-system/istio-cni-node']);
    expect(findings[0].message).toMatch(/^Istio\/canary also creates Deployment\/istio-system\/istiod-canary \(istiod\).*belongs to the Sail operator/);
  });

  test('two install resources of one installer that create the same istiod are refused once, naming both', () => {
    // GIVEN two IstioOperators of the default revision in one namespace
    const first = istioOperator('control-plane', { profile: 'minimal' });
    const second = istioOperator('control-plane-copy', { profile: 'minimal' });
    // WHEN
    const findings = ownership([...namespaces, first, second]);
    // THEN
    expect(findings).toEqual([{
      rule: MeshRule.INSTALLED_OBJECT,
      object: 'IstioOperator/istio-system/control-plane-copy',
      path: 'metadata.name',
      message: expect.stringMatching(/^IstioOperator\/istio-system\/control-plane-copy and IstioOperator\/istio-system\/control-plane both create Deployment\/istio-system\/istiod, Service\/istio-system\/istiod, .*own revision/),
    }]);
  });

  test('control planes of different revisions, and an IstioOperator beside a Sail Istio (two install paths), are accepted', () => {
    const revisions = [istioOperator('control-plane', { profile: 'minimal' }), istioOperator('control-plane-canary', { profile: 'minimal', revision: 'canary' })];
    expect(ownership([...namespaces, ...revisions])).toEqual([]);
    expect(ownership([...namespaces, sailIstio('default'), sailIstio('canary')])).toEqual([]);
    expect(ownership([...namespaces, sailIstio('default'), istioOperator('control-plane', { profile: 'minimal' })])).toEqual([]);
  });
});
