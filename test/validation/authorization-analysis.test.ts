import { DeclaredWorkload, Manifest, MeshRule, analyzeMesh } from '../../lib';

const namespace = (name: string): Manifest => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

let policies = 0;
function policy(spec: Record<string, unknown>): Manifest {
  policies += 1;
  return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: `policy-${policies}`, namespace: 'shop' }, spec };
}

const api: DeclaredWorkload = { namespace: 'shop', podLabels: { app: 'api' }, ports: [8080], serviceAccountName: 'api' };
const web: DeclaredWorkload = { namespace: 'shop', podLabels: { app: 'web' }, ports: [80], serviceAccountName: 'web' };

function allowing(principal: string, port: string, selector: Record<string, string> = { app: 'api' }): Manifest {
  return policy({ selector: { matchLabels: selector }, action: 'ALLOW', rules: [{ from: [{ source: { principals: [principal] } }], to: [{ operation: { ports: [port] } }] }] });
}

function findings(manifests: Manifest[], declaredWorkloads: DeclaredWorkload[] = [api, web], externalNamespaces: string[] = []) {
  return analyzeMesh([namespace('shop'), ...manifests], { declaredWorkloads, externalNamespaces }).map(({ rule, path, message }) => ({ rule, path, message }));
}

describe('the mesh analysis of AuthorizationPolicies', () => {
  test('a policy of a declared workload, a declared caller and a declared port passes', () => {
    expect(findings([allowing('cluster.local/ns/shop/sa/web', '8080'), policy({})])).toEqual([]);
  });

  test('a selector that matches no workload is refused', () => {
    // WHEN
    const found = findings([allowing('cluster.local/ns/shop/sa/web', '8080', { app: 'apj' })]);
    // THEN
    expect(found).toEqual([{ rule: MeshRule.AUTHZ_SELECTOR, path: 'spec.selector.matchLabels', message: expect.stringMatching(/^selects no workload of namespace shop \(app=apj\), so its rules allow nothing/) }]);
  });

  test('a principal of a service account nothing declares is refused, unless its namespace is external', () => {
    // WHEN
    const found = findings([allowing('cluster.local/ns/shop/sa/webb', '8080')]);
    // THEN
    expect(found).toEqual([{ rule: MeshRule.AUTHZ_PRINCIPAL, path: 'spec.rules[0].from[0].source.principals[0]', message: expect.stringMatching(/service account webb of namespace shop, which nothing renders or declares/) }]);
    expect(findings([allowing('cluster.local/ns/partners/sa/batch', '8080')], [api, web], ['partners'])).toEqual([]);
  });

  test('a rendered ServiceAccount and the one istiod creates for a Gateway API gateway count as declared', () => {
    // GIVEN
    const rendered: Manifest = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'cron', namespace: 'shop' } };
    const gateway: Manifest = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'ingress', namespace: 'shop' }, spec: { gatewayClassName: 'istio', listeners: [] } };
    // WHEN / THEN
    expect(findings([rendered, gateway, allowing('cluster.local/ns/shop/sa/cron', '8080'), allowing('cluster.local/ns/shop/sa/ingress-istio', '8080')])).toEqual([]);
  });

  test('a port the selected workloads do not listen on is refused', () => {
    // WHEN
    const found = findings([allowing('cluster.local/ns/shop/sa/web', '80')]);
    // THEN
    expect(found).toEqual([{ rule: MeshRule.AUTHZ_PORT, path: 'spec.rules[0].to[0].operation.ports[0]', message: expect.stringMatching(/allows port 80, on which none of the selected workloads listens \(their ports: 8080\)/) }]);
  });

  test('a rendered Deployment is a workload with its container ports', () => {
    // GIVEN
    const deployment: Manifest = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'job', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'job' } }, template: { metadata: { labels: { app: 'job', tier: 'x' } }, spec: { containers: [{ name: 'job', image: 'job', ports: [{ containerPort: 7000 }] }] } } },
    };
    // WHEN / THEN
    expect(findings([deployment, allowing('cluster.local/ns/shop/sa/web', '7000', { app: 'job' })], [web])).toEqual([]);
    expect(findings([deployment, allowing('cluster.local/ns/shop/sa/web', '7001', { app: 'job' })], [web]).map((f) => f.rule)).toEqual([MeshRule.AUTHZ_PORT]);
  });
});
