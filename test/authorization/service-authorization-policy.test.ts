import {
  AuthorizationMode, ExternalNamespace, GatewayApiIngress, LimitedCall, IngressGateway, IstioControlPlane, MeshNamespace, SidecarScoping,
  WorkloadIdentity, WorkloadServiceAccount,
} from '../../lib';
import { findOne, fragmentChart, synthValid } from '../helpers/manifests';
import { addBookinfo } from '../scoping/bookinfo';

function policies(manifests: any[]): any[] {
  return manifests.filter((m) => m.kind === 'AuthorizationPolicy');
}

function policy(manifests: any[], namespace: string, name: string): any {
  const found = policies(manifests).filter((m) => m.metadata.namespace === namespace && m.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('AuthorizationPolicies derived from calls', () => {
  test('bookinfo: allow-nothing in the namespace, one ALLOW policy per called service naming exactly its callers', () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping', { authorization: AuthorizationMode.ENFORCE });
    // WHEN
    addBookinfo(scoping);
    // THEN
    const manifests: any[] = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(policies(manifests).map((m) => m.metadata.name).sort()).toEqual(['allow-nothing', 'details-callers', 'ratings-callers', 'reviews-callers']);
    expect(policy(manifests, 'istio-demo', 'allow-nothing').spec).toEqual({});
    expect(policy(manifests, 'istio-demo', 'details-callers').spec).toEqual({
      selector: { matchLabels: { app: 'details' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/istio-demo/sa/productpage'] } }], to: [{ operation: { ports: ['9080'] } }] }],
    });
    expect(policy(manifests, 'istio-demo', 'ratings-callers').spec.rules[0].from).toEqual([{ source: { principals: ['cluster.local/ns/istio-demo/sa/reviews'] } }]);
    expect(manifests.filter((m) => m.kind === 'ServiceAccount').map((m) => `${m.metadata.namespace}/${m.metadata.name}`))
      .toEqual(['istio-demo/productpage', 'istio-demo/details', 'istio-demo/reviews', 'istio-demo/ratings']);
  });

  test('without authorization nothing is derived: no policy, no ServiceAccount', () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping');
    // WHEN
    addBookinfo(scoping);
    // THEN
    const manifests: any[] = synthValid(chart);
    expect(manifests.filter((m) => m.kind === 'AuthorizationPolicy' || m.kind === 'ServiceAccount')).toEqual([]);
  });

  test('a namespace-level call allows the namespace, also on services declared after the call', () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping', { authorization: AuthorizationMode.ENFORCE });
    const shop = scoping.addNamespace('shop', { name: 'shop' });
    const catalog = scoping.addNamespace('catalog', { name: 'catalog' });
    const early = catalog.addService('items', { ports: [8080] });
    // WHEN
    shop.calls(catalog);
    shop.addService('cart', { ports: [8080] }).calls(early);
    catalog.addService('prices', { ports: [8081] });
    // THEN
    const manifests: any[] = synthValid(chart);
    expect(policy(manifests, 'catalog', 'items-callers').spec.rules).toEqual([{
      from: [{ source: { principals: ['cluster.local/ns/shop/sa/cart'] } }, { source: { namespaces: ['shop'] } }],
      to: [{ operation: { ports: ['8080'] } }],
    }]);
    expect(policy(manifests, 'catalog', 'prices-callers').spec.rules).toEqual([{ from: [{ source: { namespaces: ['shop'] } }], to: [{ operation: { ports: ['8081'] } }] }]);
    expect(policies(manifests).filter((m) => m.metadata.namespace === 'shop').map((m) => m.metadata.name)).toEqual(['allow-nothing']);
  });

  test('principals take the trust domain of the merged meshConfig, read at synthesis', () => {
    // GIVEN
    const chart = fragmentChart();
    const controlPlane = new IstioControlPlane(chart, 'istio');
    const scoping = new SidecarScoping(chart, 'scoping', { authorization: AuthorizationMode.ENFORCE, trustDomain: controlPlane });
    addBookinfo(scoping);
    // WHEN the trust domain is set after the policies were made
    controlPlane.addMeshConfig({ trustDomain: 'prod.example.com' }, 'test');
    // THEN
    const manifests: any[] = synthValid(chart);
    expect(policy(manifests, 'istio-demo', 'reviews-callers').spec.rules[0].from[0].source.principals).toEqual(['prod.example.com/ns/istio-demo/sa/productpage']);
    expect(controlPlane.trustDomain).toBe('prod.example.com');
  });

  test('the ingress gateways are callers by their own service accounts', () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping', { authorization: AuthorizationMode.ENFORCE });
    const demo = addBookinfo(scoping);
    const productpage = demo.services[0];
    const gatewayApi = new GatewayApiIngress(chart, 'ingress');
    const injected = new IngressGateway(chart, 'gateway', { namespace: new MeshNamespace(chart, 'gw-ns', { name: 'istio-gateways' }) });
    // WHEN
    gatewayApi.expose(productpage, { hostname: 'bookinfo.example.com' });
    productpage.acceptCallsFrom(injected, WorkloadIdentity.of('batch', 'reporter'), ExternalNamespace.named('partners'));
    // THEN
    const manifests: any[] = synthValid(chart);
    expect(policy(manifests, 'istio-demo', 'productpage-callers').spec.rules[0].from).toEqual([
      { source: { principals: ['cluster.local/ns/batch/sa/reporter', 'cluster.local/ns/istio-gateways/sa/istio-ingressgateway', 'cluster.local/ns/istio-ingress/sa/ingress-istio'] } },
      { source: { namespaces: ['partners'] } },
    ]);
  });

  test('dry run per namespace: the same policies with istio.io/dry-run', () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping', { authorization: AuthorizationMode.ENFORCE });
    const trial = scoping.addNamespace('trial', { name: 'trial', authorizationMode: AuthorizationMode.DRY_RUN });
    const enforced = scoping.addNamespace('enforced', { name: 'enforced' });
    // WHEN
    trial.addService('api', { ports: [80] });
    enforced.addService('web', { ports: [80] }).calls(trial.services[0]);
    trial.services[0].calls(enforced.services[0]);
    // THEN
    const manifests: any[] = synthValid(chart);
    for (const name of ['allow-nothing', 'api-callers']) {
      expect(policy(manifests, 'trial', name).metadata.annotations).toEqual({ 'istio.io/dry-run': 'true' });
    }
    for (const name of ['allow-nothing', 'web-callers']) {
      expect(policy(manifests, 'enforced', name).metadata.annotations).toBeUndefined();
    }
    expect(trial.authorizationMode).toBe(AuthorizationMode.DRY_RUN);
  });

  test('selector, target ports and service accounts come from the service declaration', () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping', { authorization: AuthorizationMode.ENFORCE });
    const shop = scoping.addNamespace('shop', { name: 'shop' });
    const api = shop.addService('api', { ports: [80, 443], targetPorts: { 80: 8080, 443: 8443 }, selector: { 'app.kubernetes.io/name': 'shop-api' }, serviceAccount: WorkloadServiceAccount.existing('shop-api') });
    const web = shop.addService('web', { ports: [80], serviceAccount: WorkloadServiceAccount.rendered('frontend') });
    // WHEN
    web.calls(api);
    // THEN
    const manifests: any[] = synthValid(chart);
    expect(policy(manifests, 'shop', 'api-callers').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'shop-api' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/frontend'] } }], to: [{ operation: { ports: ['8080', '8443'] } }] }],
    });
    expect(manifests.filter((m) => m.kind === 'ServiceAccount').map((m) => m.metadata.name)).toEqual(['frontend']);
    expect(findOne(manifests, 'ServiceAccount', 'frontend').metadata.namespace).toBe('shop');
    expect(api.principal).toBe('cluster.local/ns/shop/sa/shop-api');
  });

  test('HTTP calls become methods and paths of their own rule', () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping', { authorization: AuthorizationMode.ENFORCE });
    const catalog = scoping.addNamespace('catalog', { name: 'catalog' });
    const api = catalog.addService('api', { ports: [8080] });
    const shop = scoping.addNamespace('shop', { name: 'shop' });
    // WHEN
    shop.addService('cart', { ports: [80] }).calls(LimitedCall.to(api, { methods: ['GET', 'GET'], paths: ['/items/*', '/items'] }));
    shop.addService('admin', { ports: [80] }).calls(api);
    // THEN
    const manifests: any[] = synthValid(chart);
    expect(policy(manifests, 'catalog', 'api-callers').spec.rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/shop/sa/cart'] } }], to: [{ operation: { ports: ['8080'], methods: ['GET'], paths: ['/items', '/items/*'] } }] },
      { from: [{ source: { principals: ['cluster.local/ns/shop/sa/admin'] } }], to: [{ operation: { ports: ['8080'] } }] },
    ]);
    expect(manifests.find((m) => m.kind === 'Sidecar' && m.metadata.namespace === 'shop').spec.egress[0].hosts)
      .toEqual(['./*', 'catalog/api.catalog.svc.cluster.local', 'istio-system/*']);
  });

  test.each([
    [{ methods: ['get'] }, /methods: 'get' must be an HTTP method in upper case/],
    [{ paths: ['/a/*/b'] }, /paths: '\/a\/\*\/b' must be exact/],
    [{ paths: ['/items?x=1'] }, /without spaces or a query string/],
    [{}, /a limited call needs ports, methods or paths/],
    [{ methods: [] }, /methods: an empty list would allow nothing/],
    [{ ports: [81] }, /ports: 81 is not a port api declares \(its ports: 8080\)/],
  ])('LimitedCall refuses %j', (options, message) => {
    // GIVEN
    const scoping = new SidecarScoping(fragmentChart(), 'scoping');
    const api = scoping.addNamespace('catalog', { name: 'catalog' }).addService('api', { ports: [8080] });
    // WHEN / THEN
    expect(() => LimitedCall.to(api, options)).toThrow(message);
  });

  test('bad service declarations are refused with the value and the fix', () => {
    // GIVEN
    const scoping = new SidecarScoping(fragmentChart(), 'scoping', { authorization: AuthorizationMode.ENFORCE });
    const shop = scoping.addNamespace('shop', { name: 'shop' });
    shop.addService('a', { ports: [80], serviceAccount: WorkloadServiceAccount.existing('shared') });
    // WHEN / THEN
    expect(() => shop.addService('b', { ports: [80], serviceAccount: WorkloadServiceAccount.rendered('shared') })).toThrow(/runs as service account shared, which service a declares existing/);
    expect(() => shop.addService('c', { ports: [80], targetPorts: { 81: 8080 } })).toThrow(/names port 81, which is not one of its ports/);
    expect(() => shop.addService('d', { ports: [80], selector: {} })).toThrow(/must hold at least one label/);
    expect(() => WorkloadServiceAccount.existing('Bad.Name')).toThrow(/existing serviceAccount name/);
  });
});
