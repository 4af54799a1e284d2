import { Testing } from 'cdk8s';
import {
  AuthorizationMode, GatewayDisruptionBudget, GatewayServiceType, IngressGateway, MeshNamespace, MeshWarningCode, MeshWarnings, SidecarInjection, SidecarScoping,
} from '../../lib';
import { findOne, fragmentChart, synthValid } from '../helpers/manifests';

function bookinfo(chart: ReturnType<typeof fragmentChart>) {
  const scoping = new SidecarScoping(chart, 'scoping', { rootNamespace: 'istio-system', meshDefaultSidecar: false });
  const namespace = scoping.addNamespace('bookinfo', { name: 'bookinfo' });
  return { productpage: namespace.addService('productpage', { ports: [9080] }), ratings: namespace.addService('ratings', { ports: [9080, 9090] }) };
}

describe('IngressGateway', () => {
  test("renders the gateway chart's objects in their own namespace", () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const gateway = new IngressGateway(chart, 'ingress');
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(manifests.map((m) => `${m.apiVersion}/${m.kind}`)).toEqual([
      'v1/Namespace', 'apps/v1/Deployment', 'v1/Service', 'v1/ServiceAccount', 'rbac.authorization.k8s.io/v1/Role',
      'rbac.authorization.k8s.io/v1/RoleBinding', 'autoscaling/v2/HorizontalPodAutoscaler', 'policy/v1/PodDisruptionBudget',
    ]);
    expect(manifests.filter((m) => m.kind !== 'Namespace').every((m) => m.metadata?.namespace === 'istio-ingress')).toBe(true);
    // AND the namespace carries no injection label: the pods ask for injection themselves
    expect(findOne(manifests, 'Namespace', 'istio-ingress').metadata.labels).toBeUndefined();
    expect(gateway.selectorLabels).toEqual({ app: 'istio-ingressgateway', istio: 'ingressgateway' });
  });

  test('pods ask the injector for the gateway template and run as non-root', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new IngressGateway(chart, 'ingress');
    // THEN
    const deployment = findOne(synthValid(chart), 'Deployment', 'istio-ingressgateway');
    const pod = deployment.spec.template;
    expect(pod.metadata.labels).toMatchObject({ 'sidecar.istio.io/inject': 'true', 'istio': 'ingressgateway', 'app': 'istio-ingressgateway' });
    expect(pod.metadata.labels['istio.io/rev']).toBeUndefined();
    expect(pod.metadata.annotations['inject.istio.io/templates']).toBe('gateway');
    expect(deployment.spec.replicas).toBeUndefined();
    expect(deployment.spec.selector.matchLabels).toEqual({ app: 'istio-ingressgateway', istio: 'ingressgateway' });
    expect(pod.spec.serviceAccountName).toBe('istio-ingressgateway');
    expect(pod.spec.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]);
    const [container] = pod.spec.containers;
    expect(container.image).toBe('auto');
    expect(container.securityContext).toEqual({
      capabilities: { drop: ['ALL'] }, allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true,
      runAsUser: 1337, runAsGroup: 1337, runAsNonRoot: true,
    });
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } });
  });

  test('Service, RBAC, autoscaler and disruption budget', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new IngressGateway(chart, 'ingress');
    // THEN
    const manifests = synthValid(chart);
    const service = findOne(manifests, 'Service', 'istio-ingressgateway');
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.spec.selector).toEqual({ app: 'istio-ingressgateway', istio: 'ingressgateway' });
    expect(service.spec.ports.map((p: any) => [p.name, p.port, p.targetPort])).toEqual([['status-port', 15021, 15021], ['http2', 80, 80], ['https', 443, 443]]);
    expect(findOne(manifests, 'Role').rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }]);
    const binding = findOne(manifests, 'RoleBinding');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'istio-ingressgateway' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'istio-ingressgateway' }]);
    const hpa = findOne(manifests, 'HorizontalPodAutoscaler');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'istio-ingressgateway' } });
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    const pdb = findOne(manifests, 'PodDisruptionBudget');
    expect(pdb.spec).toEqual({ minAvailable: 1, selector: { matchLabels: { app: 'istio-ingressgateway', istio: 'ingressgateway' } } });
  });

  test('options: existing namespace, name, revision, service type, scaling, budget, resources', () => {
    // GIVEN
    const chart = Testing.chart();
    const namespace = new MeshNamespace(chart, 'gateways', { name: 'gateways', injection: SidecarInjection.revision('canary') });
    // WHEN
    const gateway = new IngressGateway(chart, 'ingress', {
      namespace,
      name: 'istio-public-gateway',
      revision: 'canary',
      serviceType: GatewayServiceType.NODE_PORT,
      minReplicas: 3,
      maxReplicas: 10,
      targetCpuUtilizationPercent: 60,
      disruptionBudget: GatewayDisruptionBudget.maxUnavailable(1),
      resources: { cpuRequestMillicores: 500, memoryRequestMebibytes: 256, cpuLimitMillicores: 1000, memoryLimitMebibytes: 512 },
    });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(manifests.filter((m) => m.kind === 'Namespace')).toHaveLength(1);
    expect(gateway.namespace).toBe(namespace);
    expect(gateway.selectorLabels).toEqual({ app: 'istio-public-gateway', istio: 'public-gateway' });
    const deployment = findOne(manifests, 'Deployment', 'istio-public-gateway');
    expect(deployment.metadata.namespace).toBe('gateways');
    expect(deployment.spec.template.metadata.labels['istio.io/rev']).toBe('canary');
    expect(deployment.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1000m', memory: '512Mi' } });
    expect(findOne(manifests, 'Service').spec.type).toBe('NodePort');
    expect(findOne(manifests, 'HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
    expect(findOne(manifests, 'HorizontalPodAutoscaler').spec.metrics[0].resource.target.averageUtilization).toBe(60);
    expect(findOne(manifests, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
    expect(findOne(manifests, 'PodDisruptionBudget').spec.minAvailable).toBeUndefined();
  });

  test('labels select the pods everywhere: Deployment, Service, disruption budget and selectorLabels', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const gateway = new IngressGateway(chart, 'gw', { labels: { istio: 'edge-gateway' } });
    // THEN
    const manifests = synthValid(chart);
    expect(gateway.selectorLabels).toEqual({ istio: 'edge-gateway' });
    expect(findOne(manifests, 'Deployment').spec.selector.matchLabels).toEqual({ istio: 'edge-gateway' });
    expect(findOne(manifests, 'Deployment').spec.template.metadata.labels).toMatchObject({ 'istio': 'edge-gateway', 'app.kubernetes.io/name': 'istio-ingressgateway' });
    expect(findOne(manifests, 'Service').spec.selector).toEqual({ istio: 'edge-gateway' });
    expect(findOne(manifests, 'PodDisruptionBudget').spec.selector.matchLabels).toEqual({ istio: 'edge-gateway' });
  });

  test('labels that are no labels, or none at all, are refused', () => {
    expect(() => new IngressGateway(Testing.chart(), 'gw', { labels: { istio: 'edge gateway' } })).toThrow(/labels must have Kubernetes label values .*got 'edge gateway' for key 'istio'/);
    expect(() => new IngressGateway(Testing.chart(), 'gw', { labels: {} })).toThrow(/labels must hold at least one label/);
  });

  test('a namespace with istio-injection=disabled is refused', () => {
    // GIVEN
    const chart = Testing.chart();
    const namespace = new MeshNamespace(chart, 'ns', { name: 'istio-ingress', injection: SidecarInjection.disabled() });
    // THEN
    expect(() => new IngressGateway(chart, 'ingress', { namespace }))
      .toThrow(/namespace istio-ingress has istio-injection=disabled: .*start with image 'auto' and fail.*SidecarInjection.none\(\)/);
  });

  test("a namespace injected by another revision than the gateway's is refused", () => {
    // GIVEN
    const chart = Testing.chart();
    const stable = new MeshNamespace(chart, 'stable', { name: 'stable-gw', injection: SidecarInjection.revision('stable') });
    const enabled = new MeshNamespace(chart, 'enabled', { name: 'enabled-gw', injection: SidecarInjection.enabled() });
    // THEN
    expect(() => new IngressGateway(chart, 'a', { namespace: stable, revision: 'canary' }))
      .toThrow(/ingress gateway revision 'canary' conflicts with namespace stable-gw .*would get the stable revision's proxy/);
    expect(() => new IngressGateway(chart, 'b', { namespace: enabled, revision: 'canary' }))
      .toThrow(/conflicts with namespace enabled-gw .*the default revision's proxy/);
    expect(() => new IngressGateway(chart, 'c', { namespace: enabled })).not.toThrow();
  });

  test('bad scaling, budget and resources fail with the field and value', () => {
    // GIVEN
    const chart = Testing.chart();
    // THEN
    expect(() => new IngressGateway(chart, 'a', { minReplicas: 0 })).toThrow(/minReplicas must be a positive integer, got 0/);
    expect(() => new IngressGateway(chart, 'b', { minReplicas: 4, maxReplicas: 3 })).toThrow(/maxReplicas must be at least minReplicas \(4\), got 3/);
    expect(() => new IngressGateway(chart, 'c', { minReplicas: 1 })).toThrow(/disruption budget minAvailable \(1\) must be less than minReplicas \(1\)/);
    expect(() => new IngressGateway(chart, 'd', { targetCpuUtilizationPercent: 0.5 })).toThrow(/targetCpuUtilizationPercent.*got 0.5/);
    expect(() => GatewayDisruptionBudget.minAvailable(0)).toThrow(/minAvailable must be a positive integer, got 0/);
    expect(() => new IngressGateway(chart, 'e', { resources: { cpuRequestMillicores: 3000 } })).toThrow(/cpuLimitMillicores \(2000\) must be at least cpuRequestMillicores \(3000\)/);
    expect(() => new IngressGateway(chart, 'f', { resources: { memoryLimitMebibytes: 64 } })).toThrow(/memoryLimitMebibytes \(64\) must be at least memoryRequestMebibytes \(128\)/);
    expect(() => new IngressGateway(chart, 'g', { name: 'Gateway' })).toThrow(/gateway name must be a DNS-1123 label.*'Gateway'/);
  });

  test('one replica is possible with a budget that allows a drain', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new IngressGateway(chart, 'ingress', { minReplicas: 1, disruptionBudget: GatewayDisruptionBudget.maxUnavailable(1) });
    // THEN
    expect(findOne(synthValid(chart), 'HorizontalPodAutoscaler').spec.minReplicas).toBe(1);
  });
});

describe('IngressGateway.expose', () => {
  test('an Istio Gateway selecting the gateway pods, and a VirtualService in the service namespace', () => {
    // GIVEN
    const chart = fragmentChart();
    const { productpage } = bookinfo(chart);
    const gateway = new IngressGateway(chart, 'ingress');
    // WHEN
    gateway.expose(productpage, { hostname: 'bookinfo.example.com' });
    // THEN
    const manifests = synthValid(chart);
    const istioGateway = findOne(manifests, 'Gateway', 'istio-ingressgateway');
    expect(istioGateway.apiVersion).toBe('networking.istio.io/v1');
    expect(istioGateway.metadata.namespace).toBe('istio-ingress');
    // By reference: the selector is the gateway's, whatever its labels
    expect(istioGateway.spec.selector).toEqual(gateway.selectorLabels);
    // The host is admitted for VirtualServices of the service's namespace only
    expect(istioGateway.spec.servers).toEqual([{ name: 'http', port: { name: 'http', number: 80, protocol: 'HTTP' }, hosts: ['bookinfo/bookinfo.example.com'] }]);
    const route = findOne(manifests, 'VirtualService', 'istio-ingressgateway-bookinfo-example-com');
    expect(route.metadata.namespace).toBe('bookinfo');
    expect(route.spec).toEqual({
      hosts: ['bookinfo.example.com'],
      gateways: ['istio-ingress/istio-ingressgateway'],
      http: [{ match: [{ uri: { prefix: '/' } }], route: [{ destination: { host: 'productpage.bookinfo.svc.cluster.local', port: { number: 9080 } } }] }],
    });
  });

  test('a path prefix matches whole segments, as the Gateway API PathPrefix does', () => {
    const chart = fragmentChart();
    const { ratings } = bookinfo(chart);
    new IngressGateway(chart, 'ingress').expose(ratings, { hostname: '*.example.com', pathPrefix: '/ratings/', port: 9090 });
    const route = findOne(synthValid(chart), 'VirtualService', 'istio-ingressgateway-wildcard-example-com');
    expect(route.spec.http[0].match).toEqual([{ uri: { exact: '/ratings' } }, { uri: { prefix: '/ratings/' } }]);
    expect(route.spec.http[0].route[0].destination.port).toEqual({ number: 9090 });
  });

  test('HTTPS: one server per certificate on 443, plain HTTP for those hosts only redirects', () => {
    // GIVEN
    const chart = fragmentChart();
    const { productpage, ratings } = bookinfo(chart);
    const gateway = new IngressGateway(chart, 'ingress');
    // WHEN
    gateway.expose(ratings, { hostname: 'ratings.example.com', certificateSecretName: 'ratings-tls' });
    gateway.expose(productpage, { hostname: 'shop.example.com', certificateSecretName: 'shop-tls' });
    gateway.expose(ratings, { hostname: 'shop.example.com', pathPrefix: '/ratings', certificateSecretName: 'shop-tls' });
    gateway.expose(productpage, { hostname: 'plain.example.com', routeName: 'plain' });
    // THEN
    const manifests = synthValid(chart);
    expect(findOne(manifests, 'Gateway').spec.servers).toEqual([
      { name: 'http', port: { name: 'http', number: 80, protocol: 'HTTP' }, hosts: ['bookinfo/plain.example.com'] },
      { name: 'http-to-https', port: { name: 'http-to-https', number: 80, protocol: 'HTTP' }, hosts: ['bookinfo/ratings.example.com', 'bookinfo/shop.example.com'], tls: { httpsRedirect: true } },
      { name: 'https-1', port: { name: 'https-1', number: 443, protocol: 'HTTPS' }, hosts: ['bookinfo/ratings.example.com'], tls: { mode: 'SIMPLE', credentialName: 'ratings-tls' } },
      { name: 'https-2', port: { name: 'https-2', number: 443, protocol: 'HTTPS' }, hosts: ['bookinfo/shop.example.com'], tls: { mode: 'SIMPLE', credentialName: 'shop-tls' } },
    ]);
    // One VirtualService per hostname, its paths longest first: Istio would merge two of one host in no defined order
    expect(manifests.filter((m) => m.kind === 'VirtualService').map((m) => m.metadata!.name))
      .toEqual(['istio-ingressgateway-ratings-example-com', 'istio-ingressgateway-shop-example-com', 'plain']);
    const shop = findOne(manifests, 'VirtualService', 'istio-ingressgateway-shop-example-com');
    expect(shop.spec.http.map((h: any) => [h.match, h.route[0].destination.host])).toEqual([
      [[{ uri: { exact: '/ratings' } }, { uri: { prefix: '/ratings/' } }], 'ratings.bookinfo.svc.cluster.local'],
      [[{ uri: { prefix: '/' } }], 'productpage.bookinfo.svc.cluster.local'],
    ]);
    // AND the synth summary says the certificate Secrets must exist in the gateway's namespace
    const warnings = MeshWarnings.of(chart).all.filter((w) => w.code === MeshWarningCode.GATEWAY_CERTIFICATE_SECRET);
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringContaining('Secret istio-ingress/ratings-tls'), expect.stringContaining('Secret istio-ingress/shop-tls'),
    ]);
  });

  test('without exposures there is no Istio Gateway', () => {
    const chart = fragmentChart();
    new IngressGateway(chart, 'ingress');
    expect(synthValid(chart).filter((m) => m.kind === 'Gateway' || m.kind === 'VirtualService')).toEqual([]);
  });

  test('same input, same output', () => {
    const render = () => {
      const chart = fragmentChart();
      const { productpage, ratings } = bookinfo(chart);
      const gateway = new IngressGateway(chart, 'ingress');
      gateway.expose(ratings, { hostname: 'b.example.com', certificateSecretName: 'b' });
      gateway.expose(productpage, { hostname: 'a.example.com', certificateSecretName: 'a' });
      return JSON.stringify(Testing.synth(chart));
    };
    expect(render()).toEqual(render());
  });

  test.each([
    ['an upper-case hostname', { hostname: 'Shop.example.com' }, /hostname must be a lower-case DNS name.*'Shop\.example\.com'/],
    ['a relative path', { hostname: 'a.example.com', pathPrefix: 'shop' }, /pathPrefix must be an absolute URL path.*'shop'/],
    ['a port the service lacks', { hostname: 'a.example.com', port: 80 }, /service productpage in namespace bookinfo has no port 80 \(its ports: 9080\)/],
    ['a bad certificate Secret name', { hostname: 'a.example.com', certificateSecretName: 'Bad_Name' }, /certificateSecretName must be a DNS subdomain name.*'Bad_Name'/],
  ])('refuses %s', (_name, options, message) => {
    const chart = fragmentChart();
    const { productpage } = bookinfo(chart);
    expect(() => new IngressGateway(chart, 'ingress').expose(productpage, options)).toThrow(message);
  });

  test('refuses one hostname over HTTP and HTTPS, from two namespaces, the same path twice, or under two route names', () => {
    // GIVEN
    const chart = fragmentChart();
    const { productpage } = bookinfo(chart);
    const other = new SidecarScoping(chart, 'other', { rootNamespace: 'istio-system', meshDefaultSidecar: false }).addNamespace('shop', { name: 'shop' }).addService('web', { ports: [8080] });
    const gateway = new IngressGateway(chart, 'ingress');
    gateway.expose(productpage, { hostname: 'shop.example.com', certificateSecretName: 'shop-tls' });
    // THEN
    expect(() => gateway.expose(productpage, { hostname: 'shop.example.com', routeName: 'again' }))
      .toThrow(/hostname shop\.example\.com is exposed already over HTTPS with certificate Secret shop-tls, so it cannot also be served over plain HTTP/);
    expect(() => gateway.expose(other, { hostname: 'shop.example.com', certificateSecretName: 'shop-tls' }))
      .toThrow(/hostname shop\.example\.com is exposed already from namespace bookinfo: one hostname's routes must come from one namespace/);
    expect(() => gateway.expose(productpage, { hostname: 'shop.example.com', certificateSecretName: 'shop-tls' }))
      .toThrow(/pathPrefix \/ of hostname shop\.example\.com goes to productpage already/);
    expect(() => gateway.expose(productpage, { hostname: 'shop.example.com', certificateSecretName: 'shop-tls', pathPrefix: '/a', routeName: 'shop' }))
      .toThrow(/routeName shop: hostname shop\.example\.com has its VirtualService istio-ingressgateway-shop-example-com already/);
  });
});

describe('IngressGateway.expose with authorization', () => {
  test("the route makes the gateway a caller: the service's policy allows the gateway's principal, once", () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping', { rootNamespace: 'istio-system', meshDefaultSidecar: false, authorization: AuthorizationMode.ENFORCE });
    const productpage = scoping.addNamespace('bookinfo', { name: 'bookinfo' }).addService('productpage', { ports: [9080] });
    const gateway = new IngressGateway(chart, 'ingress');
    // WHEN
    gateway.expose(productpage, { hostname: 'bookinfo.example.com' });
    gateway.expose(productpage, { hostname: 'www.bookinfo.example.com' });
    // THEN
    const policy = findOne(synthValid(chart), 'AuthorizationPolicy', 'productpage-callers');
    expect(policy.spec.rules.flatMap((rule: any) => rule.from.flatMap((from: any) => from.source.principals ?? [])))
      .toEqual(['cluster.local/ns/istio-ingress/sa/istio-ingressgateway']);
  });
});
