import { Chart } from 'cdk8s';
import {
  AuthorizationMode, DataPlaneMode, LimitedCall, SidecarScoping, Waypoint, WaypointTraffic,
} from '../../lib';
import { findOne, fragmentChart, synthValid } from '../helpers/manifests';

/** An ambient shop (web calls api) with authorization on. */
function ambientShop(chart: Chart) {
  const scoping = new SidecarScoping(chart, 'scoping', {
    rootNamespace: 'istio-system', meshDefaultSidecar: false, authorization: AuthorizationMode.ENFORCE, dataPlane: DataPlaneMode.AMBIENT,
  });
  const shop = scoping.addNamespace('shop', { name: 'shop' });
  const web = shop.addService('web', { ports: [80], targetPorts: { 80: 8080 } });
  const api = shop.addService('api', { ports: [80], targetPorts: { 80: 9000 } });
  return { scoping, shop, web, api };
}

function validationErrors(chart: Chart): string[] {
  return chart.node.findAll().flatMap((construct) => construct.node.validate());
}

describe('authorization in ambient namespaces', () => {
  test('without a waypoint ztunnel enforces the callers policy at layer 4: selector, principals, target ports', () => {
    // GIVEN
    const chart = fragmentChart();
    const { web, api } = ambientShop(chart);
    // WHEN
    web.calls(api);
    // THEN
    const manifests = synthValid(chart);
    const policy = findOne(manifests, 'AuthorizationPolicy', 'api-callers');
    expect(policy.spec.selector).toEqual({ matchLabels: { app: 'api' } });
    expect(policy.spec.targetRefs).toBeUndefined();
    expect(policy.spec.rules).toEqual([{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }], to: [{ operation: { ports: ['9000'] } }] }]);
    expect(manifests.filter((m) => m.metadata?.name === 'api-from-waypoint')).toEqual([]);
    expect(validationErrors(chart)).toEqual([]);
  });

  test('behind a waypoint the callers policy targets the Service (the waypoint enforces it, L7 included) and ztunnel lets only the waypoint reach the pods', () => {
    // GIVEN
    const chart = fragmentChart();
    const { shop, web, api } = ambientShop(chart);
    // WHEN: the call is declared before the waypoint exists, the other way round works too
    web.calls(LimitedCall.to(api, { methods: ['GET'], paths: ['/items/*'] }));
    new Waypoint(chart, 'waypoint', { namespace: shop });
    // THEN
    const manifests = synthValid(chart);
    const policy = findOne(manifests, 'AuthorizationPolicy', 'api-callers');
    expect(policy.spec.selector).toBeUndefined();
    expect(policy.spec.targetRefs).toEqual([{ group: '', kind: 'Service', name: 'api' }]);
    // A waypoint receives the connection on the Service's port
    expect(policy.spec.rules).toEqual([{
      from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }],
      to: [{ operation: { ports: ['80'], methods: ['GET'], paths: ['/items/*'] } }],
    }]);
    const hop = findOne(manifests, 'AuthorizationPolicy', 'api-from-waypoint');
    expect(hop.spec).toEqual({
      selector: { matchLabels: { app: 'api' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/waypoint'] } }], to: [{ operation: { ports: ['9000'] } }] }],
    });
    // AND nothing else reaches the pods: the namespace's allow-nothing stays
    expect(findOne(manifests, 'AuthorizationPolicy', 'allow-nothing').spec).toEqual({});
    expect(validationErrors(chart)).toEqual([]);
  });

  test('a waypoint for workload traffic only does not see calls to the Service: ztunnel keeps the L4 policy', () => {
    const chart = fragmentChart();
    const { shop, web, api } = ambientShop(chart);
    new Waypoint(chart, 'waypoint', { namespace: shop, trafficFor: WaypointTraffic.WORKLOAD });
    web.calls(api);
    const manifests = synthValid(chart);
    expect(findOne(manifests, 'AuthorizationPolicy', 'api-callers').spec.selector).toEqual({ matchLabels: { app: 'api' } });
    expect(manifests.filter((m) => m.metadata?.name === 'api-from-waypoint')).toEqual([]);
  });

  test('refuses an L7 call to an ambient service no waypoint serves: ztunnel would refuse every such call', () => {
    // GIVEN
    const chart = fragmentChart();
    const { web, api } = ambientShop(chart);
    // WHEN
    web.calls(LimitedCall.to(api, { methods: ['GET'] }));
    // THEN
    expect(validationErrors(chart)).toEqual([expect.stringMatching(/calls to shop\/api limit methods or paths, but its namespace is ambient and no waypoint serves the service: ztunnel enforces layer 4 only/)]);
  });
});
