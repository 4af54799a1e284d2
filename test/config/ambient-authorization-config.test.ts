import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { findOne } from '../helpers/manifests';
import { buildValidated, problemsOf } from '../helpers/mesh-build';

/** The ambient example with authorization on: shop has a waypoint, payments has none. */
function ambientWithAuthorization(): any {
  const spec: any = yaml.load(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'ambient', 'mesh.yaml'), 'utf8'));
  spec.workloads.authorization = {};
  return spec;
}

describe('mesh.yaml authorization in ambient namespaces', () => {
  test('an L7 call into the waypoint namespace is enforced by the waypoint; an L4 call elsewhere by ztunnel', () => {
    // GIVEN
    const spec = ambientWithAuthorization();
    spec.workloads.namespaces.shop.services.storefront.calls = [{ to: 'cart', methods: ['GET', 'POST'], paths: ['/cart/*'] }, 'payments/api'];
    // WHEN
    const { byChart } = buildValidated(spec);
    // THEN
    const policies = byChart.workloads.filter((m) => m.kind === 'AuthorizationPolicy');
    const cart = findOne(policies, 'AuthorizationPolicy', 'cart-callers');
    expect(cart.spec.targetRefs).toEqual([{ group: '', kind: 'Service', name: 'cart' }]);
    expect(cart.spec.rules[0].to[0].operation).toEqual({ ports: ['8080'], methods: ['GET', 'POST'], paths: ['/cart/*'] });
    expect(findOne(policies, 'AuthorizationPolicy', 'cart-from-waypoint').spec.rules[0].from[0].source.principals).toEqual(['cluster.local/ns/shop/sa/waypoint']);
    const api = findOne(policies, 'AuthorizationPolicy', 'api-callers');
    expect(api.metadata.namespace).toBe('payments');
    expect(api.spec.selector).toEqual({ matchLabels: { app: 'api' } });
    expect(api.spec.rules[0].from[0].source.principals).toEqual(['cluster.local/ns/shop/sa/storefront']);
  });

  test('refuses an L7 call to an ambient namespace without a waypoint, at the call', () => {
    // GIVEN
    const spec = ambientWithAuthorization();
    spec.workloads.namespaces.shop.services.storefront.calls = ['cart', { to: 'payments/api', methods: ['POST'] }];
    // WHEN
    const problems = problemsOf(spec);
    // THEN
    expect(problems).toEqual([{
      path: 'workloads.namespaces.shop.services.storefront.calls[1].methods',
      message: expect.stringMatching(/methods need a waypoint: namespace payments is ambient, where ztunnel enforces layer 4 only and would refuse every such call to api; give it workloads\.namespaces\.payments\.waypoint/),
    }]);
  });
});
