import { ExternalNamespace, IEgressTarget, SidecarInjection, SidecarScope, SidecarScoping, WorkloadNamespace } from '../../lib';
import { findOne, fragmentChart, synthValid } from '../helpers/manifests';
import { addBookinfo } from './bookinfo';

function sidecarHosts(manifests: any[], namespace: string): string[] {
  const sidecar = manifests.find((m) => m.kind === 'Sidecar' && m.metadata.namespace === namespace);
  return sidecar.spec.egress[0].hosts;
}

describe('WorkloadNamespace', () => {
  test("the guide's istio-demo namespace with bookinfo is scoped to ./* and the root namespace", () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping');
    // WHEN bookinfo's calls stay within the namespace
    const demo = addBookinfo(scoping);
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(findOne(manifests, 'Namespace', 'istio-demo').metadata.labels).toEqual({ 'istio-injection': 'enabled' });
    const sidecar = manifests.find((m) => m.kind === 'Sidecar' && m.metadata?.namespace === 'istio-demo') as any;
    expect(sidecar.metadata.name).toBe('default');
    expect(sidecar.spec.egress).toEqual([{ hosts: ['./*', 'istio-system/*'] }]);
    expect(demo.services.map((s) => s.name)).toEqual(['productpage', 'details', 'reviews', 'ratings']);
    expect(demo.calledNamespaces).toEqual([]);
    expect(demo.calledServices).toEqual([]);
  });

  test('dependencies on other namespaces and services become egress hosts, sorted', () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping');
    const shop = scoping.addNamespace('shop', { name: 'shop' });
    const reviews = scoping.addNamespace('reviews', { name: 'reviews' });
    const ratings = scoping.addNamespace('ratings', { name: 'ratings' });
    const ratingsApi = ratings.addService('ratings', { ports: [9080] });
    const catalog = scoping.addNamespace('catalog', { name: 'catalog' });
    const catalogApi = catalog.addService('catalog-api', { ports: [8080] });
    // WHEN
    shop.calls(reviews, ExternalNamespace.named('payments'));
    shop.addService('cart', { ports: [8080] }).calls(catalogApi);
    reviews.addService('reviews', { ports: [9080] }).calls(ratingsApi);
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(sidecarHosts(manifests, 'shop')).toEqual(['./*', 'catalog/catalog-api.catalog.svc.cluster.local', 'istio-system/*', 'payments/*', 'reviews/*']);
    expect(sidecarHosts(manifests, 'reviews')).toEqual(['./*', 'istio-system/*', 'ratings/ratings.ratings.svc.cluster.local']);
    expect(sidecarHosts(manifests, 'ratings')).toEqual(['./*', 'istio-system/*']);
    expect(shop.calledNamespaces).toEqual([reviews]);
    expect(shop.calledServices).toEqual([catalogApi]);
    expect(shop.externalHosts).toEqual(['payments/*']);
    expect(shop.externalNamespaces).toEqual(['payments']);
    expect(scoping.externalNamespaces).toEqual(['payments']);
  });

  test('calls into the own or the root namespace add nothing; a service under a called namespace is not repeated', () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping');
    const shop = scoping.addNamespace('shop', { name: 'shop' });
    const catalog = scoping.addNamespace('catalog', { name: 'catalog' });
    const api = catalog.addService('api', { ports: [80] });
    const kiali = scoping.addRootService('kiali', { ports: [20001] });
    // WHEN
    shop.calls(shop, kiali, ExternalNamespace.named('shop'), api, catalog);
    // THEN
    expect(sidecarHosts(synthValid(chart), 'shop')).toEqual(['./*', 'catalog/*', 'istio-system/*']);
    expect(shop.externalHosts).toEqual([]);
  });

  test('the order of declarations does not change the output', () => {
    // GIVEN two apps declaring the same calls in opposite orders
    const build = (reverse: boolean) => {
      const chart = fragmentChart();
      const scoping = new SidecarScoping(chart, 'scoping');
      const shop = scoping.addNamespace('shop', { name: 'shop' });
      const targets: IEgressTarget[] = [scoping.addNamespace('b', { name: 'b' }), scoping.addNamespace('a', { name: 'a' }), ExternalNamespace.named('z')];
      shop.calls(...(reverse ? [...targets].reverse() : targets));
      return sidecarHosts(synthValid(chart), 'shop');
    };
    // THEN
    expect(build(true)).toEqual(build(false));
  });

  test('a dependency on a namespace of another app is an error naming it and the fix', () => {
    // GIVEN a namespace of another scoping (not defined by this app)
    const scoping = new SidecarScoping(fragmentChart(), 'scoping');
    const shop = scoping.addNamespace('shop', { name: 'shop' });
    const elsewhere = new SidecarScoping(fragmentChart(), 'elsewhere');
    const payments = elsewhere.addNamespace('payments', { name: 'payments' });
    // THEN
    expect(() => shop.calls(payments)).toThrow(/namespace shop calls namespace payments, which the SidecarScoping at test\/scoping does not define.*ExternalNamespace.named\('payments'\)/);
    expect(() => shop.calls(payments.addService('api', { ports: [80] }))).toThrow(/calls namespace payments/);
  });

  test('a namespace with injection disabled is refused', () => {
    // GIVEN
    const scoping = new SidecarScoping(fragmentChart(), 'scoping');
    // THEN
    expect(() => scoping.addNamespace('legacy', { name: 'legacy', injection: SidecarInjection.disabled() }))
      .toThrow(/namespace legacy has injection disabled.*use SidecarInjection.enabled\(\)/);
  });

  test('a namespace may choose its own injection and extra labels', () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping');
    // WHEN
    new WorkloadNamespace(chart, 'shop', { scoping, name: 'shop', injection: SidecarInjection.revision('canary'), labels: { team: 'shop' } });
    // THEN
    expect(findOne(synthValid(chart), 'Namespace', 'shop').metadata.labels).toEqual({ 'team': 'shop', 'istio.io/rev': 'canary' });
  });

  test('a second default Sidecar in a workload namespace is an error', () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping');
    const shop = scoping.addNamespace('shop', { name: 'shop' });
    // THEN
    expect(() => new SidecarScope(chart, 'extra', { namespace: shop.name, name: 'extra', egressHosts: ['./*'] }))
      .toThrow(/namespace shop already has a Sidecar without workloadSelector \(test\/scoping\/shop\/Sidecar\); a second one \(test\/extra\)/);
  });

  test('services: duplicate names, bad ports and endpoints', () => {
    // GIVEN
    const scoping = new SidecarScoping(fragmentChart(), 'scoping');
    const demo = scoping.addNamespace('demo', { name: 'istio-demo' });
    const productpage = demo.addService('productpage', { ports: [9080] });
    // THEN
    expect(productpage.endpoint().url('/productpage')).toBe('http://productpage.istio-demo:9080/productpage');
    expect(productpage.egressHost).toBe('istio-demo/productpage.istio-demo.svc.cluster.local');
    expect(() => productpage.endpoint(80)).toThrow(/service productpage in namespace istio-demo has no port 80 \(its ports: 9080\)/);
    expect(() => demo.addService('productpage', { ports: [9080] })).toThrow(/namespace istio-demo already declares a service named productpage/);
    expect(() => demo.addService('details', { ports: [] })).toThrow(/service details in namespace istio-demo needs at least one port/);
    expect(() => demo.addService('ratings', { ports: [70000] })).toThrow(/ports of service ratings.*from 1 to 65535, got 70000/);
    expect(() => demo.addService('Bad_Name', { ports: [80] })).toThrow(/service name must be a DNS-1035 label.*'Bad_Name'/);
  });

  test('a service name the API server refuses for a Service (a leading digit) is refused', () => {
    // GIVEN
    const demo = new SidecarScoping(fragmentChart(), 'scoping').addNamespace('demo', { name: 'istio-demo' });
    // THEN a DNS-1123 label, but not a DNS-1035 one
    expect(() => demo.addService('2048-game', { ports: [80] })).toThrow(/service name must be a DNS-1035 label.*starting with a letter.*got '2048-game'/);
  });

  test.each(['kube-system', 'kube-public', 'kube-node-lease'])('Kubernetes\' own namespace %s is refused as a workload namespace', (name) => {
    // GIVEN
    const scoping = new SidecarScoping(fragmentChart(), 'scoping');
    // THEN
    expect(() => scoping.addNamespace('system', { name })).toThrow(new RegExp(`namespace ${name} is reserved for Kubernetes' own components.*ExternalNamespace\\.named\\('${name}'\\)`));
  });

  test('the default namespace can be a workload namespace', () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping');
    // WHEN
    scoping.addNamespace('default', { name: 'default' });
    // THEN
    expect(findOne(synthValid(chart), 'Namespace', 'default').metadata.labels).toEqual({ 'istio-injection': 'enabled' });
  });

  test('istiod\'s namespace is refused as a workload namespace, also apart from the root namespace', () => {
    // GIVEN
    const scoping = new SidecarScoping(fragmentChart(), 'scoping', { rootNamespace: 'istio-config', controlPlaneNamespace: 'istio-system' });
    // THEN
    expect(() => scoping.addNamespace('istiod', { name: 'istio-system' })).toThrow(/namespace istio-system is the namespace of istiod, which holds the control plane's secrets/);
  });

  test.each([
    [{ 'team name': 'shop' }, /labels must have Kubernetes label keys .*got key 'team name'/],
    [{ 'example.com/team/x': 'shop' }, /labels must have Kubernetes label keys .*got key 'example\.com\/team\/x'/],
    [{ team: 'shop floor' }, /labels must have Kubernetes label values .*got 'shop floor' for key 'team'/],
    [{ team: 'x'.repeat(64) }, /labels must have Kubernetes label values .*for key 'team'/],
  ])('namespace labels the API server refuses are refused (%#)', (labels, message) => {
    // GIVEN
    const scoping = new SidecarScoping(fragmentChart(), 'scoping');
    // THEN
    expect(() => scoping.addNamespace('shop', { name: 'shop', labels })).toThrow(message);
  });
});
