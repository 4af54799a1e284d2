import { Testing } from 'cdk8s';
import {
  AuthorizationMode, DataPlaneMode, IstioControlPlane, LimitedCall, IstioProfile, Manifest, MeshNamespace, MeshRule, ScopeReport, SidecarInjection, SidecarScoping, analyzeMesh,
} from '../../lib';
import { findOne, fragmentChart, synthValid } from '../helpers/manifests';
import { buildValidated, problemsOf } from '../helpers/mesh-build';

describe('ambient workload namespaces', () => {
  test('a mixed mesh: the ambient namespace gets the dataplane-mode label, no injection label and no Sidecar', () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping');
    // WHEN
    const shop = scoping.addNamespace('shop', { name: 'shop', dataPlane: DataPlaneMode.AMBIENT });
    const legacy = scoping.addNamespace('legacy', { name: 'legacy' });
    shop.addService('api', { ports: [8080] });
    shop.calls(legacy);
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(findOne(manifests, 'Namespace', 'shop').metadata.labels).toEqual({ 'istio.io/dataplane-mode': 'ambient' });
    expect(findOne(manifests, 'Namespace', 'legacy').metadata.labels).toEqual({ 'istio-injection': 'enabled' });
    expect(manifests.filter((m) => m.kind === 'Sidecar').map((m) => m.metadata?.namespace).sort()).toEqual(['istio-system', 'legacy']);
    expect(shop.ambient).toBe(true);
    expect(shop.sidecar).toBeUndefined();
    expect(legacy.ambient).toBe(false);
    // the declared call is kept for the diagram and policies, though no Sidecar is widened
    expect(shop.calledNamespaces.map((ns) => ns.name)).toEqual(['legacy']);
    expect(scoping.ambientNamespaces.map((ns) => ns.name)).toEqual(['shop']);
  });

  test('the scoping\'s data plane mode is every namespace\'s default', () => {
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping', { dataPlane: DataPlaneMode.AMBIENT, revision: 'stable' });
    scoping.addNamespace('a', { name: 'a' });
    scoping.addNamespace('b', { name: 'b', dataPlane: DataPlaneMode.SIDECAR });
    const manifests = synthValid(chart);
    // an ambient namespace takes no revision label either: that label selects the revision's injector
    expect(findOne(manifests, 'Namespace', 'a').metadata.labels).toEqual({ 'istio.io/dataplane-mode': 'ambient' });
    expect(findOne(manifests, 'Namespace', 'b').metadata.labels).toEqual({ 'istio.io/rev': 'stable' });
  });

  test('ambient with sidecar injection is refused', () => {
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping');
    expect(() => scoping.addNamespace('shop', { name: 'shop', dataPlane: DataPlaneMode.AMBIENT, injection: SidecarInjection.enabled() }))
      .toThrow(/namespace shop is ambient \(istio.io\/dataplane-mode=ambient\) but has injection enabled/);
    expect(() => new MeshNamespace(chart, 'ns', { name: 'other', dataPlane: DataPlaneMode.AMBIENT, injection: SidecarInjection.revision('canary') }))
      .toThrow(/namespace other is ambient .* but has injection revision canary/);
  });

  test('the scope report leaves ambient namespaces out of the table and says why', () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping');
    scoping.addNamespace('shop', { name: 'shop', dataPlane: DataPlaneMode.AMBIENT }).addService('api', { ports: [80] });
    scoping.addNamespace('legacy', { name: 'legacy' }).addService('web', { ports: [80] });
    // WHEN
    const report = ScopeReport.of(scoping);
    // THEN
    expect(report.namespaces.map((ns) => ns.namespace)).toEqual(['legacy']);
    expect(report.ambientNamespaces).toEqual(['shop']);
    // the ambient namespace's service still counts for the sidecar proxies that would see it
    expect(report.totalServices).toBe(2);
    expect(JSON.parse(report.toJson()).ambientNamespaces).toEqual(['shop']);
    expect(report.toMarkdown()).toMatch(/Ambient namespaces \(not in the table\): `shop`\. Their pods have no\nsidecar, so they get no Sidecar resource/);
  });

  test('a sidecar-only report keeps its JSON shape', () => {
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping');
    scoping.addNamespace('legacy', { name: 'legacy' });
    expect(Object.keys(JSON.parse(ScopeReport.of(scoping).toJson()))).toEqual(['rootNamespace', 'totalServices', 'rootServices', 'namespaces', 'totals']);
  });
});

describe('the mesh analysis and ambient namespaces', () => {
  const namespace = (name: string, labels: Record<string, string>): Manifest => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  const ambientFindings = (manifests: Manifest[]) => analyzeMesh(manifests).filter((f) => f.rule === MeshRule.AMBIENT_NAMESPACE);

  test.each([
    ['istio-injection', { 'istio-injection': 'enabled' }],
    ['istio.io/rev', { 'istio.io/rev': 'canary' }],
  ])('an ambient namespace labelled %s is refused', (label, labels) => {
    const findings = ambientFindings([namespace('shop', { 'istio.io/dataplane-mode': 'ambient', ...labels })]);
    expect(findings).toEqual([expect.objectContaining({ object: 'Namespace/shop', path: `metadata.labels['${label}']` })]);
    expect(findings[0].message).toMatch(/its pods would get a sidecar, which ztunnel does not capture/);
  });

  test('istio-injection=disabled beside ambient is fine', () => {
    expect(ambientFindings([namespace('shop', { 'istio.io/dataplane-mode': 'ambient', 'istio-injection': 'disabled' })])).toEqual([]);
  });

  test('a Sidecar in an ambient namespace is refused', () => {
    const sidecar: Manifest = { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'default', namespace: 'shop' }, spec: { egress: [{ hosts: ['./*'] }] } };
    expect(ambientFindings([namespace('shop', { 'istio.io/dataplane-mode': 'ambient' }), sidecar]))
      .toEqual([expect.objectContaining({ object: 'Sidecar/shop/default', path: 'metadata.namespace' })]);
  });

  test('an ambient namespace beside a control plane without ztunnel is refused, and passes with one', () => {
    // GIVEN
    const sidecarChart = Testing.chart();
    new IstioControlPlane(sidecarChart, 'istio');
    const ambientChart = Testing.chart();
    new IstioControlPlane(ambientChart, 'istio', { profile: IstioProfile.AMBIENT });
    const shop = namespace('shop', { 'istio.io/dataplane-mode': 'ambient' });
    // THEN
    const findings = ambientFindings([...Testing.synth(sidecarChart) as Manifest[], shop]);
    expect(findings).toEqual([expect.objectContaining({ object: 'Namespace/shop', path: "metadata.labels['istio.io/dataplane-mode']" })]);
    expect(findings[0].message).toMatch(/runs no ztunnel, so its pods are in no mesh/);
    expect(ambientFindings([...Testing.synth(ambientChart) as Manifest[], shop])).toEqual([]);
  });
});

describe('mesh.yaml workloads.dataPlane', () => {
  test('controlPlane.profile ambient makes the namespaces ambient unless one says sidecar', () => {
    const { manifests } = buildValidated({
      controlPlane: { profile: IstioProfile.AMBIENT },
      workloads: { namespaces: { shop: {}, legacy: { dataPlane: 'sidecar' as any } } },
    });
    expect(findOne(manifests, 'Namespace', 'shop').metadata.labels).toEqual({ 'istio.io/dataplane-mode': 'ambient' });
    expect(findOne(manifests, 'Namespace', 'legacy').metadata.labels).toEqual({ 'istio-injection': 'enabled' });
    expect(manifests.filter((m) => m.kind === 'Sidecar' && m.metadata?.namespace === 'shop')).toEqual([]);
    expect(findOne(manifests, 'ZTunnel').spec.namespace).toBe('ztunnel');
  });

  test('ambient without an ambient profile, injection and sidecars beside ambient are refused at their keys', () => {
    expect(problemsOf({ workloads: { dataPlane: 'ambient' as any, namespaces: { shop: {} } } })).toEqual([
      { path: 'workloads.dataPlane', message: expect.stringMatching(/^is ambient, which needs ztunnel, and controlPlane.profile is default: set controlPlane.profile: ambient/) },
    ]);
    expect(problemsOf({ workloads: { namespaces: { shop: { dataPlane: 'ambient' as any } } } })).toEqual([
      { path: 'workloads.namespaces.shop.dataPlane', message: expect.stringMatching(/^is ambient, which needs ztunnel/) },
    ]);
    expect(problemsOf({
      controlPlane: { profile: IstioProfile.AMBIENT },
      workloads: { namespaces: { shop: { injection: 'enabled' as any }, cart: { sidecars: { pinned: { workloadSelector: { app: 'cart' }, egressHosts: ['./*'] } } } } },
    })).toEqual([
      { path: 'workloads.namespaces.shop.injection', message: expect.stringMatching(/^is enabled, but the namespace is ambient: an injected pod keeps its sidecar/) },
      { path: 'workloads.namespaces.cart.sidecars', message: expect.stringMatching(/^are Sidecar resources, but the namespace is ambient/) },
    ]);
  });
});

describe('authorization in ambient namespaces', () => {
  test('layer 4 calls get their policy; a call limited by methods or paths is refused (ztunnel would deny it all)', () => {
    // GIVEN an ambient namespace with authorization on
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping', { dataPlane: DataPlaneMode.AMBIENT, authorization: AuthorizationMode.ENFORCE });
    const shop = scoping.addNamespace('shop', { name: 'shop' });
    const api = shop.addService('api', { ports: [8080] });
    const web = shop.addService('web', { ports: [80] });
    // WHEN
    web.calls(LimitedCall.to(api, { ports: [8080] }));
    // THEN
    const policy = findOne(synthValid(chart), 'AuthorizationPolicy', 'api-callers');
    expect(policy.spec.rules[0].to).toEqual([{ operation: { ports: ['8080'] } }]);
    // AND a call limited by methods, with no waypoint serving the service, fails the synth's validation
    web.calls(LimitedCall.to(api, { methods: ['GET'] }));
    expect(chart.node.findAll().flatMap((construct) => construct.node.validate()))
      .toEqual([expect.stringMatching(/calls to shop\/api limit methods or paths, but its namespace is ambient and no waypoint serves the service: ztunnel enforces layer 4 only/)]);
  });
});
