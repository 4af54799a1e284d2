import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { MeshSpec, ScopeReport } from '../../lib';
import { findOne } from '../helpers/manifests';
import { buildValidated, problemsOf } from '../helpers/mesh-build';

const example = (): any => yaml.load(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'gateway-api', 'mesh.yaml'), 'utf8'));

describe('mesh.yaml ingressGateway.gatewayApi', () => {
  test('the gateway-api example: a Gateway of class istio, the route in the service namespace, the certificate granted', () => {
    // WHEN
    const { byChart, mesh } = buildValidated(example() as MeshSpec);
    // THEN
    const istio = byChart.istio;
    expect(istio.filter((m) => m.apiVersion.startsWith('gateway.networking.k8s.io/') || m.kind === 'ConfigMap')).toMatchSnapshot();
    const gateway = findOne(istio, 'Gateway', 'public');
    expect(gateway.metadata.namespace).toBe('istio-ingress');
    expect(gateway.spec.gatewayClassName).toBe('istio');
    // The HTTP listener has no route attached, so it admits only the gateway's own namespace.
    expect(gateway.spec.listeners.map((l: any) => [l.name, l.allowedRoutes.namespaces.selector.matchExpressions[0].values]))
      .toEqual([['http', ['istio-ingress']], ['https', ['istio-ingress', 'shop']]]);
    const route = findOne(istio, 'HTTPRoute', 'public-storefront');
    expect(route.metadata.namespace).toBe('shop');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'istio-ingress', sectionName: 'https' }]);
    expect(route.spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'storefront', port: 8080 }]);
    expect(findOne(istio, 'ReferenceGrant').metadata.namespace).toBe('cert-manager');
    const parameters = findOne(istio, 'ConfigMap', 'public-gateway-options');
    expect(yaml.load(parameters.data.horizontalPodAutoscaler)).toMatchObject({ spec: { minReplicas: 3, maxReplicas: 10 } });
    expect(yaml.load(parameters.data.podDisruptionBudget)).toEqual({ spec: { minAvailable: 2 } });
    expect(yaml.load(parameters.data.service)).toMatchObject({ spec: { externalTrafficPolicy: 'Local', loadBalancerSourceRanges: ['203.0.113.0/24'] } });
    // AND the pods run on the ingress nodes, spread across zones, and plain HTTP only redirects
    const pod = (yaml.load(parameters.data.deployment) as any).spec.template.spec;
    expect(pod.nodeSelector).toEqual({ 'node-role.example.com/ingress': 'true' });
    expect(pod.tolerations).toEqual([{ effect: 'NoSchedule', key: 'node-role.example.com/ingress', operator: 'Exists' }]);
    expect(pod.topologySpreadConstraints.map((c: any) => [c.topologyKey, c.whenUnsatisfiable])).toEqual([['kubernetes.io/hostname', 'ScheduleAnyway'], ['topology.kubernetes.io/zone', 'DoNotSchedule']]);
    const redirect = findOne(istio, 'HTTPRoute', 'public-https-redirect');
    expect(redirect.spec.parentRefs.map((p: any) => p.sectionName)).toEqual(['http']);
    expect(redirect.spec.rules[0].filters[0].requestRedirect).toEqual({ scheme: 'https', statusCode: 301 });
    // AND no injected gateway: one kind per gateway
    expect(istio.filter((m) => m.kind === 'Deployment')).toEqual([]);
    // AND the scope report counts the Service istiod creates for the Gateway
    const report = ScopeReport.of(mesh.scoping!, { otherServices: [] });
    expect(JSON.parse(mesh.extraFiles['reports/scope-report.json']).totalServices).toBe(report.totalServices + 1);
  });

  test('MESH.md draws the Gateway in its namespace and the route into the service namespace', () => {
    const diagram = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'gateway-api', 'dist', 'MESH.md'), 'utf8');
    expect(diagram).toContain('ns_istio_ingress["<b>istio-ingress</b><br/>Gateway public (istio)"]');
    expect(diagram).toContain('ns_istio_ingress -->|"routes shop.example.com"| ns_shop');
  });

  test("the control plane's revision labels the Gateway", () => {
    const spec = example();
    spec.controlPlane.revision = 'stable';
    const { byChart } = buildValidated(spec);
    expect(findOne(byChart.istio, 'Gateway').metadata.labels).toEqual({ 'istio.io/rev': 'stable' });
  });

  test.each([
    ['injection beside gatewayApi', (m: any) => { m.ingressGateway.injection = 'enabled'; }, 'ingressGateway.injection', /is for the injected gateway only, and ingressGateway\.gatewayApi makes this a Gateway API gateway/],
    ['labels beside gatewayApi', (m: any) => { m.ingressGateway.labels = { istio: 'ingressgateway' }; }, 'ingressGateway.labels', /put extra pod labels in ingressGateway\.gatewayApi\.infrastructureLabels/],
    ['HTTPS without a certificate', (m: any) => { delete m.ingressGateway.gatewayApi.listeners[1].certificateSecretName; }, 'ingressGateway.gatewayApi.listeners[1].certificateSecretName', /is required for protocol HTTPS/],
    ['a certificate on HTTP', (m: any) => { m.ingressGateway.gatewayApi.listeners[0].certificateSecretName = 'tls'; }, 'ingressGateway.gatewayApi.listeners[0].certificateSecretName', /is for protocol HTTPS only/],
    ['a listener port out of range', (m: any) => { m.ingressGateway.gatewayApi.listeners[0].port = 0; }, 'ingressGateway.gatewayApi.listeners[0].port', /port must be an integer from 1 to 65535, got 0/],
    ['a route to an undeclared service', (m: any) => { m.ingressGateway.gatewayApi.routes[0].service = 'shop/storefrnt'; }, 'ingressGateway.gatewayApi.routes[0].service', /'shop\/storefrnt' is not a service declared under workloads\.namespaces.*did you mean 'shop\/storefront'\?/],
    ['a hostname the listener does not take', (m: any) => { m.ingressGateway.gatewayApi.routes[0].hostname = 'shop.example.org'; }, 'ingressGateway.gatewayApi.routes[0].hostname', /shop\.example\.org is admitted by none of the listeners .*https \(\*\.example\.com\)/],
    ['externalTrafficPolicy on a ClusterIP', (m: any) => { m.ingressGateway.serviceType = 'ClusterIP'; delete m.ingressGateway.loadBalancerSourceRanges; }, 'ingressGateway.externalTrafficPolicy', /applies to LoadBalancer and NodePort Services only, got serviceType ClusterIP/],
    ['a redirect without an HTTPS listener', (m: any) => { m.ingressGateway.gatewayApi.listeners = [{ protocol: 'HTTP' }]; delete m.ingressGateway.gatewayApi.routes; }, 'ingressGateway.gatewayApi.redirectHttpToHttps', /needs an HTTPS listener to redirect to/],
    ['a route on the HTTP listener that only redirects', (m: any) => { m.ingressGateway.gatewayApi.routes[0].listeners = ['http']; }, 'ingressGateway.gatewayApi.routes[0].listeners', /http is an HTTP listener, which only redirects to HTTPS/],
    ['tolerationSeconds without NoExecute', (m: any) => { m.ingressGateway.placement.tolerations[0].tolerationSeconds = 60; }, 'ingressGateway.placement.tolerations[0].tolerationSeconds', /applies to effect NoExecute only/],
    ['a budget that blocks drains', (m: any) => { m.ingressGateway.disruptionBudget = { minAvailable: 3 }; }, 'ingressGateway.minReplicas', /minAvailable \(3\) must be less than minReplicas \(3\)/],
  ])('refuses %s with its key path', (_name, change, keyPath, message) => {
    // GIVEN
    const spec = example();
    change(spec);
    // WHEN
    const problems = problemsOf(spec);
    // THEN
    expect(problems).toEqual([{ path: keyPath, message: expect.stringMatching(message) }]);
  });
});
