import { Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import {
  ExternalTrafficPolicy, GatewayApiIngress, GatewayDisruptionBudget, GatewayListener, GatewayServiceType, MeshNamespace, MeshWarningCode, MeshWarnings,
  SidecarScoping,
} from '../../lib';
import { findOne, fragmentChart, synthValid } from '../helpers/manifests';

function shopService(chart: ReturnType<typeof fragmentChart>) {
  const scoping = new SidecarScoping(chart, 'scoping', { rootNamespace: 'istio-system', meshDefaultSidecar: false });
  return scoping.addNamespace('shop', { name: 'shop' }).addService('storefront', { ports: [8080, 9090] });
}

describe('GatewayApiIngress', () => {
  test('a Gateway of class istio with its parameters ConfigMap in its own namespace', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    const gateway = new GatewayApiIngress(chart, 'ingress');
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(manifests.map((m) => `${m.apiVersion}/${m.kind}`)).toEqual(['v1/Namespace', 'v1/ConfigMap', 'gateway.networking.k8s.io/v1/Gateway']);
    const gatewayObject = findOne(manifests, 'Gateway', 'ingress');
    expect(gatewayObject.metadata.namespace).toBe('istio-ingress');
    expect(gatewayObject.spec.gatewayClassName).toBe('istio');
    expect(gatewayObject.spec.infrastructure.parametersRef).toEqual({ group: '', kind: 'ConfigMap', name: 'ingress-gateway-options' });
    expect(gatewayObject.spec.listeners).toEqual([{
      name: 'http', port: 80, protocol: 'HTTP',
      allowedRoutes: { namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['istio-ingress'] }] } } },
    }]);
    expect(gateway.serviceName).toBe('ingress-istio');
    expect(gateway.endpoint.host).toBe('ingress-istio.istio-ingress');
    expect(gateway.selectorLabels).toEqual({ 'gateway.networking.k8s.io/gateway-name': 'ingress' });
    // AND the Gateway API CRDs are called out: Istio does not install them
    expect(MeshWarnings.of(chart).all.map((w) => w.code)).toEqual([MeshWarningCode.GATEWAY_API_CRDS]);
  });

  test("Istio's customization keys carry the production settings", () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    new GatewayApiIngress(chart, 'ingress', {
      serviceType: GatewayServiceType.LOAD_BALANCER,
      serviceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external', 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' },
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
      loadBalancerSourceRanges: ['10.0.0.0/8', '2001:db8::/32'],
      minReplicas: 3,
      maxReplicas: 9,
      targetCpuUtilizationPercent: 60,
      disruptionBudget: GatewayDisruptionBudget.maxUnavailable(1),
      resources: { cpuRequestMillicores: 500, memoryRequestMebibytes: 256 },
      infrastructureLabels: { team: 'edge' },
    });
    // THEN
    const manifests = synthValid(chart);
    const data = findOne(manifests, 'ConfigMap', 'ingress-gateway-options').data;
    expect(Object.keys(data).sort()).toEqual(['deployment', 'horizontalPodAutoscaler', 'podDisruptionBudget', 'service']);
    expect(yaml.load(data.service)).toEqual({
      metadata: { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal', 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' } },
      spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', loadBalancerSourceRanges: ['10.0.0.0/8', '2001:db8::/32'] },
    });
    expect(yaml.load(data.horizontalPodAutoscaler)).toEqual({
      spec: { minReplicas: 3, maxReplicas: 9, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }] },
    });
    expect(yaml.load(data.podDisruptionBudget)).toEqual({ spec: { maxUnavailable: 1 } });
    const pod = (yaml.load(data.deployment) as any).spec.template.spec;
    expect(pod.containers).toEqual([{ name: 'istio-proxy', resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } } }]);
    // AND the pods spread over nodes and zones (test/gateway/gateway-placement.test.ts)
    expect(pod.topologySpreadConstraints.map((c: any) => c.topologyKey)).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    expect(findOne(manifests, 'Gateway').spec.infrastructure.labels).toEqual({ team: 'edge' });
  });

  test('expose puts an HTTPRoute in the service namespace and admits that namespace', () => {
    // GIVEN
    const chart = fragmentChart();
    const storefront = shopService(chart);
    const gateway = new GatewayApiIngress(chart, 'ingress', {
      listeners: [GatewayListener.http(), GatewayListener.https({ hostname: '*.example.com', certificateSecretName: 'example-com-tls' })],
    });
    // WHEN
    gateway.expose(storefront, { hostname: 'shop.example.com', pathPrefix: '/store', port: 9090 });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests.filter((m) => m.apiVersion.startsWith('gateway.networking.k8s.io/'))).toMatchSnapshot();
    const route = findOne(manifests, 'HTTPRoute', 'ingress-storefront');
    expect(route.metadata.namespace).toBe('shop');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'ingress', namespace: 'istio-ingress' }]);
    expect(route.spec.hostnames).toEqual(['shop.example.com']);
    expect(route.spec.rules).toEqual([{
      matches: [{ path: { type: 'PathPrefix', value: '/store' } }],
      backendRefs: [{ group: '', kind: 'Service', name: 'storefront', port: 9090 }],
    }]);
    const listeners = findOne(manifests, 'Gateway').spec.listeners;
    expect(listeners.map((l: any) => l.allowedRoutes.namespaces.selector.matchExpressions[0].values)).toEqual([['istio-ingress', 'shop'], ['istio-ingress', 'shop']]);
    expect(listeners[1].tls).toEqual({ mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'example-com-tls' }] });
    // AND no ReferenceGrant: the route lives beside its Service, the certificate beside its Gateway
    expect(manifests.filter((m) => m.kind === 'ReferenceGrant')).toEqual([]);
  });

  test('a route names the listeners whose hostname admits it', () => {
    // GIVEN
    const chart = fragmentChart();
    const storefront = shopService(chart);
    const gateway = new GatewayApiIngress(chart, 'ingress', {
      listeners: [GatewayListener.https({ name: 'shop', hostname: 'shop.example.com', certificateSecretName: 'shop-tls' }),
        GatewayListener.https({ name: 'admin', hostname: 'admin.example.com', certificateSecretName: 'admin-tls' })],
    });
    // WHEN
    gateway.expose(storefront, { hostname: 'shop.example.com' });
    // THEN
    const route = findOne(synthValid(chart), 'HTTPRoute');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'ingress', namespace: 'istio-ingress', sectionName: 'shop' }]);
    expect(route.spec.rules[0].backendRefs[0].port).toBe(8080);
  });

  test('a certificate in another namespace gets a ReferenceGrant there', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    new GatewayApiIngress(chart, 'ingress', {
      namespace: new MeshNamespace(chart, 'edge', { name: 'edge' }),
      listeners: [GatewayListener.https({ certificateSecretName: 'wildcard-tls', certificateNamespace: 'cert-manager' })],
    });
    // THEN
    const manifests = synthValid(chart);
    const grant = findOne(manifests, 'ReferenceGrant');
    expect(grant.metadata).toEqual({ name: 'edge-ingress-certificates', namespace: 'cert-manager' });
    expect(grant.spec).toEqual({
      from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'edge' }],
      to: [{ group: '', kind: 'Secret', name: 'wildcard-tls' }],
    });
    expect(findOne(manifests, 'Gateway').spec.listeners[0].tls.certificateRefs).toEqual([{ group: '', kind: 'Secret', name: 'wildcard-tls', namespace: 'cert-manager' }]);
    expect(MeshWarnings.of(chart).all.map((w) => w.code)).toEqual([MeshWarningCode.GATEWAY_API_CRDS, MeshWarningCode.GATEWAY_CERTIFICATE_SECRET]);
  });

  test('redirectHttpToHttps: plain HTTP only redirects, and services attach to HTTPS', () => {
    // GIVEN
    const chart = fragmentChart();
    const service = shopService(chart);
    const gateway = new GatewayApiIngress(chart, 'ingress', {
      listeners: [GatewayListener.http(), GatewayListener.https({ hostname: '*.example.com', certificateSecretName: 'wildcard-tls' })],
      redirectHttpToHttps: true,
    });
    // WHEN
    gateway.expose(service, { hostname: 'shop.example.com' });
    // THEN
    const manifests = synthValid(chart);
    const redirect = findOne(manifests, 'HTTPRoute', 'ingress-https-redirect');
    expect(redirect.metadata.namespace).toBe('istio-ingress');
    expect(redirect.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'ingress', namespace: 'istio-ingress', sectionName: 'http' }]);
    expect(redirect.spec.hostnames).toBeUndefined();
    // 443 is the https scheme's own port, so the redirect names none
    expect(redirect.spec.rules).toEqual([{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }]);
    const route = findOne(manifests, 'HTTPRoute', 'ingress-storefront');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'ingress', namespace: 'istio-ingress', sectionName: 'https' }]);
    // AND the HTTP listener admits routes of the gateway's own namespace only
    const listeners = findOne(manifests, 'Gateway').spec.listeners;
    expect(listeners.map((l: any) => [l.name, l.allowedRoutes.namespaces.selector.matchExpressions[0].values])).toEqual([['http', ['istio-ingress']], ['https', ['istio-ingress', 'shop']]]);
  });

  test('redirectHttpToHttps to HTTPS on another port names the port', () => {
    const chart = fragmentChart();
    new GatewayApiIngress(chart, 'ingress', {
      listeners: [GatewayListener.http({ port: 8080 }), GatewayListener.https({ port: 8443, certificateSecretName: 'tls' })],
      redirectHttpToHttps: true,
    });
    const redirect = findOne(synthValid(chart), 'HTTPRoute', 'ingress-https-redirect');
    expect(redirect.spec.rules[0].filters[0].requestRedirect).toEqual({ scheme: 'https', statusCode: 301, port: 8443 });
  });

  test('without redirectHttpToHttps no redirect route is rendered', () => {
    const chart = fragmentChart();
    new GatewayApiIngress(chart, 'ingress', { listeners: [GatewayListener.http(), GatewayListener.https({ certificateSecretName: 'tls' })] });
    expect(synthValid(chart).filter((m) => m.kind === 'HTTPRoute')).toEqual([]);
  });

  test('the revision labels the Gateway for its istiod', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    new GatewayApiIngress(chart, 'ingress', { revision: 'canary' });
    // THEN
    expect(findOne(synthValid(chart), 'Gateway').metadata.labels).toEqual({ 'istio.io/rev': 'canary' });
  });

  test('same input, same output', () => {
    const render = () => {
      const chart = fragmentChart();
      const gateway = new GatewayApiIngress(chart, 'ingress', { listeners: [GatewayListener.http()] });
      gateway.expose(shopService(chart), { hostname: 'shop.example.com' });
      return JSON.stringify(Testing.synth(chart));
    };
    expect(render()).toBe(render());
  });

  describe('refuses', () => {
    test.each([
      ['a hostname no listener admits', (g: GatewayApiIngress, s: any) => g.expose(s, { hostname: 'shop.example.org' }), /hostname shop\.example\.org is admitted by none of the listeners.*web \(\*\.example\.com\)/],
      ['an upper-case hostname', (g: GatewayApiIngress, s: any) => g.expose(s, { hostname: 'Shop.example.com' }), /hostname must be a lower-case DNS name.*'Shop\.example\.com'/],
      ['a relative path', (g: GatewayApiIngress, s: any) => g.expose(s, { hostname: 'a.example.com', pathPrefix: 'shop' }), /pathPrefix must be an absolute URL path.*'shop'/],
      ['a path with //', (g: GatewayApiIngress, s: any) => g.expose(s, { hostname: 'a.example.com', pathPrefix: '/a//b' }), /pathPrefix.*'\/a\/\/b'/],
      ['a port the service lacks', (g: GatewayApiIngress, s: any) => g.expose(s, { hostname: 'a.example.com', port: 80 }), /has no port 80 \(its ports: 8080, 9090\)/],
      ['an unknown listener', (g: GatewayApiIngress, s: any) => g.expose(s, { hostname: 'a.example.com', listeners: ['https'] }), /no listener https \(its listeners: web\)/],
      ['the same route twice', (g: GatewayApiIngress, s: any) => { g.expose(s, { hostname: 'a.example.com' }); g.expose(s, { hostname: 'b.example.com' }); }, /routeName ingress-storefront is taken in namespace shop/],
    ])('%s', (_name, act, message) => {
      const chart = fragmentChart();
      const service = shopService(chart);
      const gateway = new GatewayApiIngress(chart, 'ingress', { listeners: [GatewayListener.http({ name: 'web', hostname: '*.example.com' })] });
      expect(() => act(gateway, service)).toThrow(message);
    });

    test.each([
      ['no listeners', { listeners: [] }, /listeners must hold at least one listener/],
      ['two listeners of one name', { listeners: [GatewayListener.http(), GatewayListener.http({ port: 8080 })] }, /two listeners are named http/],
      ['two listeners on one port and host', { listeners: [GatewayListener.http(), GatewayListener.http({ name: 'other' })] }, /http and other both take HTTP on port 80/],
      ['a budget that blocks drains', { minReplicas: 1, disruptionBudget: GatewayDisruptionBudget.minAvailable(1) }, /minAvailable \(1\) must be less than minReplicas \(1\)/],
      ['a name too long for its Service', { name: 'a'.repeat(58) }, /istiod names its Service a+-istio/],
      ['a redirect without HTTPS listener', { redirectHttpToHttps: true }, /redirectHttpToHttps needs an HTTPS listener to redirect to/],
      ['a redirect without HTTP listener', { redirectHttpToHttps: true, listeners: [GatewayListener.https({ certificateSecretName: 'tls' })] }, /redirectHttpToHttps needs an HTTP listener to redirect from/],
      ['a redirect to HTTPS on two ports', {
        redirectHttpToHttps: true,
        listeners: [GatewayListener.http(), GatewayListener.https({ certificateSecretName: 'tls' }), GatewayListener.https({ name: 'alt', port: 8443, certificateSecretName: 'tls' })],
      }, /redirects to one port, but the HTTPS listeners take 443 and 8443/],
    ])('%s', (_name, props, message) => {
      expect(() => new GatewayApiIngress(fragmentChart(), 'ingress', props as any)).toThrow(message);
    });

    test('a service attached to an HTTP listener that only redirects', () => {
      const chart = fragmentChart();
      const gateway = new GatewayApiIngress(chart, 'ingress', {
        listeners: [GatewayListener.http(), GatewayListener.https({ certificateSecretName: 'tls' })],
        redirectHttpToHttps: true,
      });
      expect(() => gateway.expose(shopService(chart), { hostname: 'shop.example.com', listeners: ['http'] }))
        .toThrow(/listeners: http is an HTTP listener, which only redirects to HTTPS \(redirectHttpToHttps\): attach the service to an HTTPS listener \(https\)/);
    });

    test('a bad certificate Secret name', () => {
      expect(() => GatewayListener.https({ certificateSecretName: 'Bad_Name' })).toThrow(/certificateSecretName must be a DNS subdomain name.*'Bad_Name'/);
    });
  });
});
