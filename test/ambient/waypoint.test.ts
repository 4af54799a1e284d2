import { Chart, Testing } from 'cdk8s';
import { DataPlaneMode, MeshWarningCode, MeshWarnings, ScopeReport, SidecarScoping, Waypoint, WaypointTraffic, renderedServices } from '../../lib';
import { findOne, fragmentApp, synthValid } from '../helpers/manifests';
import { problemsOf, buildValidated } from '../helpers/mesh-build';

function ambientNamespace(options: { revision?: string } = {}) {
  const chart = new Chart(fragmentApp(), 'test');
  const scoping = new SidecarScoping(chart, 'scoping', { dataPlane: DataPlaneMode.AMBIENT, revision: options.revision });
  const shop = scoping.addNamespace('shop', { name: 'shop' });
  return { chart, scoping, shop };
}

describe('Waypoint', () => {
  test('a namespace waypoint: a Gateway of class istio-waypoint, listener mesh on 15008 HBONE, the namespace enrolled', () => {
    // GIVEN
    const { chart, shop } = ambientNamespace();
    // WHEN
    const waypoint = new Waypoint(shop, 'Waypoint', { namespace: shop });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const gateway = findOne(manifests, 'Gateway', 'waypoint');
    expect(gateway.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(gateway.metadata).toEqual({ name: 'waypoint', namespace: 'shop', labels: { 'istio.io/waypoint-for': 'service' } });
    expect(gateway.spec).toEqual({ gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] });
    expect(findOne(manifests, 'Namespace', 'shop').metadata.labels).toEqual({ 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' });
    expect(shop.namespaceWaypoint).toBe(waypoint);
    expect(MeshWarnings.of(chart).all.map((w) => w.code)).toContain(MeshWarningCode.GATEWAY_API_CRDS);
  });

  test.each([
    [WaypointTraffic.WORKLOAD, 'workload'],
    [WaypointTraffic.ALL, 'all'],
    [WaypointTraffic.NONE, 'none'],
  ])('trafficFor %s labels istio.io/waypoint-for=%s', (trafficFor, label) => {
    const { chart, shop } = ambientNamespace();
    new Waypoint(shop, 'Waypoint', { namespace: shop, trafficFor });
    expect(findOne(synthValid(chart), 'Gateway').metadata.labels['istio.io/waypoint-for']).toBe(label);
  });

  test('a revision\'s istiod deploys the waypoint', () => {
    const { chart, shop } = ambientNamespace({ revision: 'stable' });
    new Waypoint(shop, 'Waypoint', { namespace: shop });
    expect(findOne(synthValid(chart), 'Gateway').metadata.labels['istio.io/rev']).toBe('stable');
  });

  test('single services: the namespace stays unlabelled, each service is named in a warning with its label', () => {
    // GIVEN
    const { chart, shop } = ambientNamespace();
    const api = shop.addService('api', { ports: [8080] });
    const web = shop.addService('web', { ports: [80] });
    // WHEN
    const waypoint = new Waypoint(shop, 'Waypoint', { namespace: shop, name: 'api-waypoint', enrollNamespace: false }).useFor(api);
    // THEN
    const manifests = synthValid(chart);
    expect(findOne(manifests, 'Namespace', 'shop').metadata.labels).toEqual({ 'istio.io/dataplane-mode': 'ambient' });
    expect(shop.waypointFor(api)).toBe(waypoint);
    expect(shop.waypointFor(web)).toBeUndefined();
    const warning = MeshWarnings.of(chart).all.find((w) => w.code === MeshWarningCode.WAYPOINT_SERVICE_LABEL);
    expect(warning?.fix).toMatch(/label the Service istio.io\/use-waypoint=api-waypoint .*kubectl label service api -n shop istio.io\/use-waypoint=api-waypoint/);
  });

  test('istiod\'s waypoint Service counts in the scope report', () => {
    const { chart, scoping, shop } = ambientNamespace();
    new Waypoint(shop, 'Waypoint', { namespace: shop });
    expect(renderedServices(chart)).toEqual([{ namespace: 'shop', name: 'waypoint' }]);
    expect(ScopeReport.of(scoping, { otherServices: renderedServices(chart) }).totalServices).toBe(1);
  });

  test('refusals: a sidecar namespace, two namespace waypoints, a service elsewhere, useFor beside namespace enrollment', () => {
    const chart = Testing.chart();
    const scoping = new SidecarScoping(chart, 'scoping');
    const legacy = scoping.addNamespace('legacy', { name: 'legacy' });
    expect(() => new Waypoint(legacy, 'Waypoint', { namespace: legacy })).toThrow(/namespace legacy is a sidecar namespace: its sidecars do layer 7 themselves/);
    const shop = scoping.addNamespace('shop', { name: 'shop', dataPlane: DataPlaneMode.AMBIENT });
    const waypoint = new Waypoint(shop, 'Waypoint', { namespace: shop });
    expect(() => new Waypoint(shop, 'Second', { namespace: shop, name: 'second' })).toThrow(/namespace shop is enrolled with waypoint waypoint already/);
    expect(() => new Waypoint(shop, 'Again', { namespace: shop, enrollNamespace: false })).toThrow(/namespace shop already has a waypoint named waypoint/);
    expect(() => waypoint.useFor(legacy.addService('web', { ports: [80] }))).toThrow(/service legacy\/web is not in the waypoint's namespace shop/);
    expect(() => waypoint.useFor(shop.addService('api', { ports: [80] }))).toThrow(/enrolls the whole namespace already, service api included/);
  });
});

describe('mesh.yaml workloads.namespaces.<ns>.waypoint', () => {
  test('a namespace waypoint and a service waypoint', () => {
    const { manifests } = buildValidated({
      controlPlane: { profile: 'ambient' as any },
      workloads: {
        namespaces: {
          shop: { services: { api: { ports: [8080] } }, waypoint: { trafficFor: 'all' as any } },
          cart: { services: { api: { ports: [8080] }, web: { ports: [80] } }, waypoint: { name: 'cart-l7', services: ['api'] } },
        },
      },
    });
    expect(findOne(manifests, 'Gateway', 'waypoint').metadata).toMatchObject({ namespace: 'shop', labels: { 'istio.io/waypoint-for': 'all' } });
    expect(findOne(manifests, 'Namespace', 'shop').metadata.labels['istio.io/use-waypoint']).toBe('waypoint');
    expect(findOne(manifests, 'Gateway', 'cart-l7').metadata.namespace).toBe('cart');
    expect(findOne(manifests, 'Namespace', 'cart').metadata.labels['istio.io/use-waypoint']).toBeUndefined();
  });

  test('a waypoint of a sidecar namespace and an undeclared service are refused at their keys', () => {
    expect(problemsOf({
      controlPlane: { profile: 'ambient' as any },
      workloads: {
        namespaces: {
          legacy: { dataPlane: 'sidecar' as any, waypoint: {} },
          shop: { services: { api: { ports: [80] } }, waypoint: { services: ['apy'] } },
        },
      },
    })).toEqual([
      { path: 'workloads.namespaces.legacy.waypoint', message: expect.stringMatching(/^is for ambient namespaces, and legacy is a sidecar namespace/) },
      { path: 'workloads.namespaces.shop.waypoint.services[0]', message: expect.stringMatching(/^names service 'apy', which workloads.namespaces.shop.services does not declare; did you mean 'api'\?/) },
    ]);
  });
});
