import * as fs from 'fs';
import * as path from 'path';
import { MeshSpec, MeshWarnings } from '../../lib';
import { guideMesh } from './bad-inputs';
import { findOne } from '../helpers/manifests';
import { buildValidated, problemsOf } from '../helpers/mesh-build';

describe('mesh.yaml ingressGateway.routes (the injected gateway)', () => {
  test("the guide's mesh serves bookinfo's productpage through the injected gateway", () => {
    // WHEN
    const { byChart } = buildValidated(guideMesh() as MeshSpec);
    // THEN
    const gateway = findOne(byChart.istio, 'Gateway', 'istio-ingressgateway');
    expect(gateway.apiVersion).toBe('networking.istio.io/v1');
    expect(gateway.spec.selector).toEqual(findOne(byChart.istio, 'Deployment', 'istio-ingressgateway').spec.selector.matchLabels);
    expect(gateway.spec.servers).toEqual([{ name: 'http', port: { name: 'http', number: 80, protocol: 'HTTP' }, hosts: ['istio-demo/bookinfo.example.com'] }]);
    const route = findOne(byChart.istio, 'VirtualService', 'istio-ingressgateway-bookinfo-example-com');
    expect(route.metadata.namespace).toBe('istio-demo');
    expect(route.spec.gateways).toEqual(['istio-ingress/istio-ingressgateway']);
    expect(route.spec.http[0].route).toEqual([{ destination: { host: 'productpage.istio-demo.svc.cluster.local', port: { number: 9080 } } }]);
  });

  test('MESH.md draws the route from the gateway namespace into istio-demo', () => {
    const diagram = fs.readFileSync(path.join(__dirname, '..', '..', 'dist', 'MESH.md'), 'utf8');
    expect(diagram).toContain('ns_istio_ingress -->|"routes bookinfo.example.com"| ns_istio_demo');
  });

  test('HTTPS with a certificate Secret in the gateway namespace', () => {
    const spec = guideMesh();
    spec.ingressGateway.routes[0].certificateSecretName = 'bookinfo-tls';
    const { byChart, mesh } = buildValidated(spec);
    const servers = findOne(byChart.istio, 'Gateway').spec.servers;
    expect(servers.map((server: any) => [server.port.number, server.tls])).toEqual([[80, { httpsRedirect: true }], [443, { mode: 'SIMPLE', credentialName: 'bookinfo-tls' }]]);
    // AND the summary says the Secret must exist first
    expect(MeshWarnings.of(mesh.charts[0]).all.map((w) => w.message)).toContainEqual(expect.stringContaining('Secret istio-ingress/bookinfo-tls'));
  });

  test.each([
    ['a route to an undeclared service', (m: any) => { m.ingressGateway.routes[0].service = 'istio-demo/prodpage'; }, 'ingressGateway.routes[0].service', /'istio-demo\/prodpage' is not a service declared under workloads\.namespaces.*did you mean 'istio-demo\/productpage'\?/],
    ['a port the service does not declare', (m: any) => { m.ingressGateway.routes[0].port = 80; }, 'ingressGateway.routes[0].port', /^port 80 is not a port of service istio-demo\/productpage \(its ports: 9080\): use one of them, or declare it under workloads\.namespaces\.istio-demo\.services\.productpage\.ports/],
    ['one hostname over HTTP and HTTPS', (m: any) => { m.ingressGateway.routes.push({ service: 'istio-demo/reviews', hostname: 'bookinfo.example.com', pathPrefix: '/reviews', certificateSecretName: 'tls' }); }, 'ingressGateway.routes[1].hostname', /bookinfo\.example\.com is exposed already over plain HTTP, so it cannot also be served over HTTPS/],
    ['one path twice', (m: any) => { m.ingressGateway.routes.push({ service: 'istio-demo/reviews', hostname: 'bookinfo.example.com' }); }, 'ingressGateway.routes[1].hostname', /pathPrefix \/ of hostname bookinfo\.example\.com goes to productpage already/],
    ['routes beside gatewayApi', (m: any) => { m.ingressGateway.gatewayApi = {}; }, 'ingressGateway.routes', /are the injected gateway's .*put its routes in ingressGateway\.gatewayApi\.routes/],
  ])('refuses %s with its key path', (_name, change, keyPath, message) => {
    // GIVEN
    const spec = guideMesh();
    change(spec);
    // WHEN
    const problems = problemsOf(spec);
    // THEN
    expect(problems).toEqual([{ path: keyPath, message: expect.stringMatching(message) }]);
  });
});
