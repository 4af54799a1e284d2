import { AuthorizationMode, MeshSpec } from '../../lib';
import { buildValidated, problemsOf } from '../helpers/mesh-build';

function spec(workloads: MeshSpec['workloads'], extra: Partial<MeshSpec> = {}): MeshSpec {
  return { controlPlane: { meshConfig: { trustDomain: 'prod.example.com' } }, mtls: {}, ...extra, workloads } as MeshSpec;
}

function policies(manifests: any[]): Record<string, any> {
  return Object.fromEntries(manifests.filter((m) => m.kind === 'AuthorizationPolicy').map((m) => [`${m.metadata.namespace}/${m.metadata.name}`, m]));
}

describe('mesh.yaml authorization', () => {
  test('workloads.authorization derives the policies, with service accounts, L7 calls and the gateway', () => {
    // GIVEN
    const mesh = spec({
      authorization: {},
      namespaces: {
        shop: {
          authorization: { mode: AuthorizationMode.DRY_RUN },
          services: {
            web: { ports: [80], targetPorts: { 80: 8080 }, exposed: true, serviceAccount: { name: 'shop-web', existing: true } },
          },
          calls: [{ to: 'catalog/api', methods: ['GET'], paths: ['/items/*'], ports: [8080] }],
        },
        catalog: {
          services: {
            api: { ports: [8080, 9090], selector: { 'app.kubernetes.io/name': 'catalog' }, calls: ['db'] },
            db: { ports: [5432] },
          },
        },
      },
    }, { ingressGateway: {} });
    // WHEN
    const { manifests } = buildValidated(mesh);
    // THEN
    const found = policies(manifests);
    expect(Object.keys(found).sort()).toEqual(['catalog/allow-nothing', 'catalog/api-callers', 'catalog/db-callers', 'shop/allow-nothing', 'shop/web-callers']);
    expect(found['shop/web-callers'].metadata.annotations['istio.io/dry-run']).toBe('true');
    expect(found['catalog/api-callers'].metadata.annotations['istio.io/dry-run']).toBeUndefined();
    expect(found['shop/web-callers'].spec.rules).toEqual([{ from: [{ source: { principals: ['prod.example.com/ns/istio-ingress/sa/istio-ingressgateway'] } }], to: [{ operation: { ports: ['8080'] } }] }]);
    expect(found['catalog/api-callers'].spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'catalog' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { namespaces: ['shop'] } }], to: [{ operation: { ports: ['8080'], methods: ['GET'], paths: ['/items/*'] } }] }],
    });
    expect(found['catalog/db-callers'].spec.rules[0].from).toEqual([{ source: { principals: ['prod.example.com/ns/catalog/sa/api'] } }]);
    expect(manifests.filter((m) => m.kind === 'ServiceAccount' && ['shop', 'catalog'].includes(m.metadata!.namespace!)).map((m) => `${m.metadata!.namespace}/${m.metadata!.name}`))
      .toEqual(['catalog/api', 'catalog/db']);
  });

  test('callers outside the app: a whole external namespace or one of its service accounts', () => {
    // GIVEN
    const mesh = spec({ authorization: {}, externalNamespaces: ['partners'], namespaces: { a: { services: { x: { ports: [80], callers: ['partners', 'partners/sync'] } } } } });
    // WHEN
    const { manifests } = buildValidated(mesh);
    // THEN
    expect(policies(manifests)['a/x-callers'].spec.rules[0].from).toEqual([
      { source: { principals: ['prod.example.com/ns/partners/sa/sync'] } },
      { source: { namespaces: ['partners'] } },
    ]);
  });

  test('a namespace can turn authorization on for itself alone', () => {
    // GIVEN
    const mesh = spec({ namespaces: { a: { authorization: {}, services: { x: { ports: [80] } } }, b: { services: { y: { ports: [80], calls: ['a/x'] } } } } });
    // WHEN
    const { manifests } = buildValidated(mesh);
    // THEN
    expect(Object.keys(policies(manifests)).sort()).toEqual(['a/allow-nothing', 'a/x-callers']);
  });

  test.each([
    [{ namespaces: { a: { services: { x: { ports: [80], exposed: true } } } } }, 'workloads.namespaces.a.services.x.exposed', /no ingress gateway to expose the service through/],
    [{ namespaces: { a: { services: { x: { ports: [80], serviceAccount: { existing: true } } } } } }, 'workloads.namespaces.a.services.x.serviceAccount.existing', /^is true, so the ServiceAccount comes with the workload's manifests and needs its name/],
    [{ namespaces: { a: { services: { x: { ports: [80], targetPorts: { 81: 8080 } } } } } }, 'workloads.namespaces.a.services.x.targetPorts', /names port 81, which is not one of its ports/],
    [{ namespaces: { a: { services: { x: { ports: [80] } }, calls: [{ to: 'a/x', ports: [81] }] } } }, 'workloads.namespaces.a.calls[0].ports', /^81 is not a port x declares \(its ports: 80\)/],
    [{ namespaces: { a: { services: { x: { ports: [80] } }, calls: [{ to: 'a/y', methods: ['GET'] }] } } }, 'workloads.namespaces.a.calls[0].to', /'a\/y' is not a service the app declares/],
    [{ externalNamespaces: ['partners'], namespaces: { a: { calls: [{ to: 'partners', methods: ['GET'] }] } } }, 'workloads.namespaces.a.calls[0].to', /a namespace outside the app/],
    [{ namespaces: { a: { services: { x: { ports: [80] } }, calls: [{ to: 'x', methods: ['get'] }] } } }, 'workloads.namespaces.a.calls[0].methods', /^'get' must be an HTTP method in upper case/],
    [{ externalNamespaces: ['partners'], namespaces: { a: { services: { x: { ports: [80], callers: ['partner/job'] } } } } }, 'workloads.namespaces.a.services.x.callers[0]', /'partner\/job' must be <namespace> or <namespace>\/<service account> of a namespace in workloads\.externalNamespaces; did you mean 'partners'\?/],
    [{ namespaces: { a: { services: { x: { ports: [80], callers: ['b'] } } }, b: {} } }, 'workloads.namespaces.a.services.x.callers[0]', /'b' is in b, a namespace of the app: declare the call under workloads\.namespaces\.b/],
  ])('refused: %j', (workloads, keyPath, message) => {
    // WHEN
    const problems = problemsOf(spec(workloads as MeshSpec['workloads']));
    // THEN
    expect(problems).toEqual([{ path: keyPath, message: expect.stringMatching(message) }]);
  });
});
