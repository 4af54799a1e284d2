import { ExternalNamespace, ScopeReport, SidecarScoping } from '../../lib';
import { fragmentChart, synthValid } from '../helpers/manifests';
import { addBookinfo } from './bookinfo';

function bookinfo(): SidecarScoping {
  const scoping = new SidecarScoping(fragmentChart(), 'scoping');
  addBookinfo(scoping);
  return scoping;
}

describe('ScopeReport', () => {
  test("the guide's bookinfo namespace sees everything the app declares", () => {
    // GIVEN
    const scoping = bookinfo();
    // WHEN
    const report = ScopeReport.of(scoping);
    // THEN all four services are in istio-demo itself, so scoping hides nothing the app declares
    expect(report.namespaces).toEqual([{
      namespace: 'istio-demo', ownServices: 4, rootServices: 0, dependencyServices: 0, externalHosts: [],
      servicesWithoutScoping: 4, servicesWithScoping: 4, reductionPercent: 0,
    }]);
    expect(report.toMarkdown()).toMatchSnapshot();
    expect(report.toJson()).toMatchSnapshot();
  });

  test('other services of the cluster count by namespace, and declared ones only once', () => {
    // GIVEN bookinfo, and the Services the app renders elsewhere (Kiali in the root namespace,
    // Jaeger and a gateway in namespaces of their own), one of them also a declared service
    const scoping = bookinfo();
    const calling = scoping.addNamespace('shop', { name: 'shop' });
    calling.calls(scoping.namespace('istio-demo'));
    // WHEN
    const report = ScopeReport.of(scoping, {
      otherServices: [
        { namespace: 'istio-system', name: 'kiali' },
        { namespace: 'observability', name: 'jaeger-collector' },
        { namespace: 'observability', name: 'jaeger-query' },
        { namespace: 'observability', name: 'jaeger-query' },
        { namespace: 'istio-ingress', name: 'istio-ingressgateway' },
        { namespace: 'istio-demo', name: 'productpage' },
        { namespace: 'istio-demo', name: 'legacy-api' },
      ],
    });
    // THEN 4 declared + 5 distinct undeclared services exist; istio-demo sees its 5 and Kiali
    expect(report.totalServices).toBe(9);
    expect(report.namespaces.map((s) => [s.namespace, s.ownServices, s.rootServices, s.dependencyServices, s.servicesWithoutScoping, s.servicesWithScoping, s.reductionPercent]))
      .toEqual([
        ['istio-demo', 5, 1, 0, 9, 6, 33.3],
        ['shop', 0, 1, 5, 9, 6, 33.3],
      ]);
  });

  test('counts own, root and dependency services per namespace, with totals', () => {
    // GIVEN
    const scoping = new SidecarScoping(fragmentChart(), 'scoping');
    scoping.addRootService('kiali', { ports: [20001] });
    const shop = scoping.addNamespace('shop', { name: 'shop' });
    shop.addService('cart', { ports: [8080] });
    shop.addService('checkout', { ports: [8080] });
    const catalog = scoping.addNamespace('catalog', { name: 'catalog' });
    const catalogApi = catalog.addService('api', { ports: [8080] });
    catalog.addService('search', { ports: [8080] });
    const users = scoping.addNamespace('users', { name: 'users' });
    users.addService('users', { ports: [8080] });
    users.addService('sessions', { ports: [8080] });
    users.addService('profiles', { ports: [8080] });
    // WHEN shop calls one catalog service, all of users, and an external namespace
    shop.calls(catalogApi, users, ExternalNamespace.named('payments'));
    const report = ScopeReport.of(scoping);
    // THEN 1 root + 2 + 2 + 3 = 8 services
    expect(report.totalServices).toBe(8);
    expect(report.rootServices).toBe(1);
    expect(report.namespaces.map((n) => n.namespace)).toEqual(['catalog', 'shop', 'users']);
    const shopScope = report.namespaces[1];
    expect(shopScope).toEqual({
      namespace: 'shop', ownServices: 2, rootServices: 1, dependencyServices: 4, externalHosts: ['payments/*'],
      servicesWithoutScoping: 8, servicesWithScoping: 7, reductionPercent: 12.5,
    });
    expect(report.namespaces[0].servicesWithScoping).toBe(3);
    expect(report.namespaces[2].servicesWithScoping).toBe(4);
    expect(report.totals).toEqual({ servicesWithoutScoping: 24, servicesWithScoping: 14, reductionPercent: 41.7 });
    const markdown = report.toMarkdown();
    expect(markdown).toContain('| shop | 2 | 1 | 4 | `payments/*` | 8 | 7 | 12.5% |');
    expect(markdown).toContain('| **total** | | | | | 24 | 14 | 41.7% |');
    expect(markdown).toContain('281–457 MiB');
    expect(markdown).toContain('50–192 MiB');
    expect(report.toMarkdown()).toMatchSnapshot();
  });

  test('JSON keeps a fixed key order and parses back to the same numbers', () => {
    // GIVEN
    const report = ScopeReport.of(bookinfo());
    // WHEN
    const json = report.toJson();
    const parsed = JSON.parse(json);
    // THEN
    expect(Object.keys(parsed)).toEqual(['rootNamespace', 'totalServices', 'rootServices', 'namespaces', 'totals']);
    expect(Object.keys(parsed.namespaces[0])).toEqual([
      'namespace', 'ownServices', 'rootServices', 'dependencyServices', 'externalHosts', 'servicesWithoutScoping', 'servicesWithScoping', 'reductionPercent',
    ]);
    expect(parsed.totals).toEqual(report.totals);
    expect(json.endsWith('}\n')).toBe(true);
  });

  test('files() gives the Markdown and JSON for dist/', () => {
    // GIVEN
    const report = ScopeReport.of(bookinfo());
    // WHEN
    const files = report.files();
    // THEN
    expect(Object.keys(files)).toEqual(['scope-report.md', 'scope-report.json']);
    expect(files['scope-report.md']).toBe(report.toMarkdown());
    expect(files['scope-report.json']).toBe(report.toJson());
  });

  test('an app without services reports 0% instead of dividing by zero', () => {
    // GIVEN
    const scoping = new SidecarScoping(fragmentChart(), 'scoping');
    scoping.addNamespace('empty', { name: 'empty' });
    // WHEN
    const report = ScopeReport.of(scoping);
    // THEN
    expect(report.namespaces[0].reductionPercent).toBe(0);
    expect(report.totals.reductionPercent).toBe(0);
  });

  test('a generated 200-namespace mesh matches an independent count', () => {
    // GIVEN 200 namespaces of 3 services; each calls the next two namespaces, namespace i+2 only
    // through one of its services when i is odd
    const NAMESPACES = 200;
    const SERVICES = 3;
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping');
    scoping.addRootService('kiali', { ports: [20001] });
    scoping.addRootService('prometheus', { ports: [9090] });
    const name = (i: number) => `ns-${String(i).padStart(3, '0')}`;
    const namespaces = Array.from({ length: NAMESPACES }, (_, i) => {
      const ns = scoping.addNamespace(name(i), { name: name(i) });
      for (let s = 0; s < SERVICES; s++) {
        ns.addService(`svc-${s}`, { ports: [8080] });
      }
      return ns;
    });
    namespaces.forEach((ns, i) => {
      const next = namespaces[(i + 1) % NAMESPACES];
      const afterNext = namespaces[(i + 2) % NAMESPACES];
      ns.calls(next, i % 2 === 1 ? afterNext.services[0] : afterNext);
    });
    // WHEN
    const report = ScopeReport.of(scoping);
    // THEN, computed independently: before = every service; after = own + root + dependencies
    const rootServices = 2;
    const total = NAMESPACES * SERVICES + rootServices;
    const expected = namespaces.map((ns, i) => ({
      namespace: ns.name,
      before: total,
      after: SERVICES + rootServices + SERVICES + (i % 2 === 1 ? 1 : SERVICES),
    })).sort((a, b) => a.namespace.localeCompare(b.namespace));
    expect(report.totalServices).toBe(602);
    expect(report.namespaces.map((n) => ({ namespace: n.namespace, before: n.servicesWithoutScoping, after: n.servicesWithScoping }))).toEqual(expected);
    const before = expected.reduce((sum, e) => sum + e.before, 0);
    const after = expected.reduce((sum, e) => sum + e.after, 0);
    expect(report.totals.servicesWithoutScoping).toBe(before);
    expect(report.totals.servicesWithScoping).toBe(after);
    expect(report.totals.reductionPercent).toBe(Math.round((1 - after / before) * 1000) / 10);
    expect(report.totals.reductionPercent).toBe(98.3); // 1 - 10 / 602 on average
    // AND the Sidecars say the same
    const manifests = synthValid(chart);
    const sidecar = manifests.find((m) => m.kind === 'Sidecar' && m.metadata?.namespace === 'ns-001') as any;
    expect(sidecar.spec.egress[0].hosts).toEqual(['./*', 'istio-system/*', 'ns-002/*', 'ns-003/svc-0.ns-003.svc.cluster.local']);
    expect(manifests.filter((m) => m.kind === 'Sidecar')).toHaveLength(NAMESPACES + 1);
  });

  test('the same app gives byte-identical reports', () => {
    // THEN
    expect(ScopeReport.of(bookinfo()).toJson()).toBe(ScopeReport.of(bookinfo()).toJson());
    expect(ScopeReport.of(bookinfo()).toMarkdown()).toBe(ScopeReport.of(bookinfo()).toMarkdown());
  });
});
