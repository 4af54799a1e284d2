import {
  ExternalTracing, IngressGateway, IstioControlPlane, JaegerV2, MeshMtls, MeshTracing, ScopeReport, SidecarScope, SidecarScoping, WorkloadNamespace, analyzeMesh,
} from '../../lib';
import { findOne, fragmentChart, synthValid } from '../helpers/manifests';
import { addBookinfo } from './bookinfo';

describe('SidecarScoping', () => {
  test('the mesh-wide default Sidecar sees the own namespace and the root namespace', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    new SidecarScoping(chart, 'scoping');
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const sidecar = findOne(manifests, 'Sidecar');
    expect(sidecar.metadata).toEqual({ name: 'default', namespace: 'istio-system' });
    expect(sidecar.spec.egress).toEqual([{ hosts: ['./*', 'istio-system/*'] }]);
    expect(sidecar.spec.workloadSelector).toBeUndefined();
  });

  test('another root namespace moves the default Sidecar and its host', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    const scoping = new SidecarScoping(chart, 'scoping', { rootNamespace: 'mesh-root' });
    // THEN
    const sidecar = findOne(synthValid(chart), 'Sidecar');
    expect(sidecar.metadata.namespace).toBe('mesh-root');
    expect(sidecar.spec.egress[0].hosts).toEqual(['./*', 'mesh-root/*']);
    expect(scoping.defaultSidecar?.egressHosts).toEqual(['./*', 'mesh-root/*']);
  });

  test('workload namespaces get istio-injection=enabled, or the revision label', () => {
    // GIVEN
    const chart = fragmentChart();
    const plain = new SidecarScoping(chart, 'plain');
    const canaryApp = fragmentChart();
    const canary = new SidecarScoping(canaryApp, 'canary', { revision: '1-30-3' });
    // WHEN
    plain.addNamespace('shop', { name: 'shop' });
    canary.addNamespace('shop', { name: 'shop' });
    // THEN
    expect(findOne(synthValid(chart), 'Namespace', 'shop').metadata.labels).toEqual({ 'istio-injection': 'enabled' });
    expect(findOne(synthValid(canaryApp), 'Namespace', 'shop').metadata.labels).toEqual({ 'istio.io/rev': '1-30-3' });
  });

  test('namespace() finds a namespace by name and rejects an unknown one', () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping');
    const shop = scoping.addNamespace('shop', { name: 'shop' });
    // THEN
    expect(scoping.namespace('shop')).toBe(shop);
    expect(() => scoping.namespace('payments'))
      .toThrow(/the app defines no namespace 'payments'.*define it with addNamespace\(\), or, if it lives outside this app, call ExternalNamespace.named\('payments'\)/);
  });

  test('a namespace defined twice names both paths', () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping');
    scoping.addNamespace('shop', { name: 'shop' });
    // THEN
    expect(() => new WorkloadNamespace(chart, 'shop-again', { scoping, name: 'shop' }))
      .toThrow(/namespace shop is defined twice: test\/scoping\/shop and test\/shop-again/);
  });

  test('the root namespace cannot be a workload namespace', () => {
    // GIVEN
    const scoping = new SidecarScoping(fragmentChart(), 'scoping');
    // THEN
    expect(() => scoping.addNamespace('root', { name: 'istio-system' })).toThrow(/istio-system is the mesh's root namespace.*addRootService/);
  });

  test('root services cannot declare calls', () => {
    // GIVEN
    const scoping = new SidecarScoping(fragmentChart(), 'scoping');
    const shop = scoping.addNamespace('shop', { name: 'shop' });
    const kiali = scoping.addRootService('kiali', { ports: [20001] });
    // THEN
    expect(() => kiali.calls(shop)).toThrow(/services in the root namespace istio-system cannot declare calls/);
    expect(() => scoping.addRootService('kiali', { ports: [20001] })).toThrow(/root namespace istio-system already declares a service named kiali/);
  });

  test('a bad root namespace is rejected', () => {
    // THEN
    expect(() => new SidecarScoping(fragmentChart(), 'scoping', { rootNamespace: 'Istio_System' })).toThrow(/rootNamespace must be a DNS-1123 label.*'Istio_System'/);
  });
});

describe("the guide's mesh", () => {
  test('istio-demo with bookinfo, ingress gateway, STRICT mTLS and the default Sidecar pass the mesh analysis', () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping');
    addBookinfo(scoping);
    // WHEN
    const gateway = new IngressGateway(chart, 'ingress');
    new MeshMtls(chart, 'mtls', { rootNamespace: scoping.rootNamespace });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    // istio-system is created by the control plane chart, not here
    expect(analyzeMesh(manifests, { externalNamespaces: [scoping.rootNamespace, ...scoping.externalNamespaces] })).toEqual([]);
    expect(manifests.filter((m) => m.kind === 'Sidecar').map((m) => `${m.metadata?.namespace}/${m.metadata?.name}`)).toEqual(['istio-system/default', 'istio-demo/default']);
    expect(findOne(manifests, 'PeerAuthentication').spec.mtls.mode).toBe('STRICT');
    expect(gateway.namespace.name).toBe('istio-ingress');
    expect(ScopeReport.of(scoping).namespaces.map((n) => n.namespace)).toEqual(['istio-demo']);
  });
});

describe('namespace names that are also members of JavaScript objects', () => {
  test('a namespace named constructor synthesizes', () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping');
    const shop = scoping.addNamespace('shop', { name: 'shop' });
    // WHEN the id is the name, as mesh.yaml's namespaces are added
    const namespace = scoping.addNamespace('constructor', { name: 'constructor' });
    namespace.addService('api', { ports: [8080] });
    shop.calls(namespace);
    // THEN
    const manifests = synthValid(chart);
    expect(findOne(manifests, 'Namespace', 'constructor').metadata.labels).toEqual({ 'istio-injection': 'enabled' });
    const shopSidecar = manifests.find((m) => m.kind === 'Sidecar' && m.metadata?.namespace === 'shop') as any;
    expect(shopSidecar.spec.egress[0].hosts).toEqual(['./*', 'constructor/*', 'istio-system/*']);
    expect(scoping.namespace('constructor')).toBe(namespace);
    expect(ScopeReport.of(scoping).namespaces.map((n) => n.namespace)).toEqual(['constructor', 'shop']);
  });
});

describe('extension providers', () => {
  const sidecarHosts = (manifests: readonly any[]) => Object.fromEntries(manifests.filter((m) => m.kind === 'Sidecar')
    .map((m) => [`${m.metadata.namespace}/${m.metadata.name}`, m.spec.egress[0].hosts]));

  test("every derived Sidecar reaches the tracing collector of the control plane's meshConfig", () => {
    // GIVEN Jaeger v2 in observability, traced through the Telemetry API
    const chart = fragmentChart();
    const jaeger = new JaegerV2(chart, 'jaeger');
    const controlPlane = new IstioControlPlane(chart, 'istio', { tracing: MeshTracing.zipkin(jaeger) });
    // WHEN
    const scoping = new SidecarScoping(chart, 'scoping', { extensionProviders: controlPlane });
    addBookinfo(scoping);
    // THEN the collector's namespace and host come from the control plane, not typed
    const collector = `observability/${jaeger.zipkinEndpoint.fqdn}`;
    expect(collector).toBe('observability/jaeger-collector.observability.svc.cluster.local');
    const manifests = synthValid(chart);
    expect(sidecarHosts(manifests)).toEqual({
      'istio-system/default': ['./*', 'istio-system/*', collector],
      'istio-demo/default': ['./*', 'istio-system/*', collector],
    });
    expect(scoping.extensionProviderServices.map((provider) => provider.provider)).toEqual(['zipkin']);
  });

  test("every derived Sidecar reaches the OTLP collector of the control plane's meshConfig", () => {
    // GIVEN Jaeger v2 traced over OTLP
    const chart = fragmentChart();
    const jaeger = new JaegerV2(chart, 'jaeger');
    const controlPlane = new IstioControlPlane(chart, 'istio', { tracing: MeshTracing.openTelemetry(jaeger) });
    // WHEN
    const scoping = new SidecarScoping(chart, 'scoping', { extensionProviders: controlPlane });
    addBookinfo(scoping);
    // THEN the host is the OTLP endpoint's, taken from the meshConfig
    const collector = `observability/${jaeger.otlpGrpcEndpoint.fqdn}`;
    expect(sidecarHosts(synthValid(chart))).toEqual({
      'istio-system/default': ['./*', 'istio-system/*', collector],
      'istio-demo/default': ['./*', 'istio-system/*', collector],
    });
    expect(scoping.extensionProviderServices.map((provider) => [provider.provider, provider.kind])).toEqual([['otel', 'opentelemetry']]);
  });

  test('a provider added to the meshConfig after the scoping, in every form istiod reads, reaches every Sidecar', () => {
    // GIVEN a scoping with a namespace and a hand-written Sidecar
    const chart = fragmentChart();
    const controlPlane = new IstioControlPlane(chart, 'istio', { tracing: MeshTracing.zipkin(new ExternalTracing({ zipkinUrl: 'http://zipkin.example.com:9411', queryUrl: 'http://jaeger.example.com:16686' })) });
    const scoping = new SidecarScoping(chart, 'scoping', { extensionProviders: controlPlane });
    const shop = scoping.addNamespace('shop', { name: 'shop' });
    const batch = new SidecarScope(shop, 'Batch', { namespace: 'shop', name: 'batch', workloadSelector: { app: 'batch' }, egressHosts: ['./*'] });
    scoping.reachExtensionProviders(batch);
    // WHEN the user adds an external authorizer in another namespace, by FQDN and as namespace/host
    controlPlane.addMeshConfig({
      extensionProviders: [
        { name: 'ext-authz', envoyExtAuthzGrpc: { service: 'ext-authz.authz.svc.cluster.local', port: 9000 } },
        { name: 'als', envoyHttpAls: { service: 'logging/als.logging.svc.cluster.local', port: 8080 } },
      ],
    }, 'test');
    // THEN: the ServiceEntry host of the external Zipkin may live in any namespace
    const expected = ['als.logging.svc.cluster.local', 'ext-authz.authz.svc.cluster.local', 'zipkin.example.com'];
    const hosts = sidecarHosts(synthValid(chart));
    expect(Object.keys(hosts)).toEqual(['istio-system/default', 'shop/default', 'shop/batch']);
    expect(hosts['istio-system/default']).toEqual(['./*', '*/zipkin.example.com', 'authz/ext-authz.authz.svc.cluster.local', 'istio-system/*', 'logging/als.logging.svc.cluster.local']);
    for (const sidecar of Object.values(hosts)) {
      expect(sidecar.filter((host: string) => !host.endsWith('/*')).map((host: string) => host.split('/')[1]).sort()).toEqual(expected);
    }
  });

  test('a provider in the root namespace adds nothing: root/* covers it', () => {
    // GIVEN Jaeger in the root namespace
    const chart = fragmentChart();
    const jaeger = new JaegerV2(chart, 'jaeger', { namespace: 'istio-system' });
    const controlPlane = new IstioControlPlane(chart, 'istio', { tracing: MeshTracing.zipkin(jaeger) });
    // WHEN
    const scoping = new SidecarScoping(chart, 'scoping', { extensionProviders: controlPlane });
    scoping.addNamespace('shop', { name: 'shop' });
    // THEN
    expect(Object.values(sidecarHosts(synthValid(chart)))).toEqual([['./*', 'istio-system/*'], ['./*', 'istio-system/*']]);
  });
});

describe('the mesh-wide default Sidecar', () => {
  test('meshDefaultSidecar false writes no Sidecar in the root namespace, and namespaces keep theirs', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    const scoping = new SidecarScoping(chart, 'scoping', { meshDefaultSidecar: false });
    scoping.addNamespace('shop', { name: 'shop' });
    // THEN
    const sidecars = synthValid(chart).filter((m) => m.kind === 'Sidecar');
    expect(sidecars.map((m) => `${m.metadata?.namespace}/${m.metadata?.name}`)).toEqual(['shop/default']);
    expect(scoping.defaultSidecar).toBeUndefined();
  });
});
