import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { MESH_DIAGRAM_FILE, Manifest, renderMeshDiagram } from '../../lib';
import { mermaidBlock, parseFlowcharts } from '../helpers/mermaid';
import { seededRandom } from '../helpers/random';

const root = path.resolve(__dirname, '..', '..');

/** A Mermaid-parsed diagram; fails the test when Mermaid refuses it. */
function parsed(markdown: string) {
  const [result] = parseFlowcharts([mermaidBlock(markdown)]);
  expect(result.error).toBeUndefined();
  return result;
}

describe('renderMeshDiagram', () => {
  // GIVEN the objects of a small mesh, as they would be synthesized
  const manifests: Manifest[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments' } },
    {
      apiVersion: 'sailoperator.io/v1', kind: 'Istio', metadata: { name: 'default' },
      spec: { namespace: 'istio-system', values: { meshConfig: { extensionProviders: [{ name: 'jaeger', zipkin: { service: 'jaeger-collector.observability.svc.cluster.local', port: 9411 } }] } } },
    },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'istio-ingressgateway', namespace: 'istio-ingress' },
      spec: { template: { metadata: { annotations: { 'inject.istio.io/templates': 'gateway' } } } },
    },
    {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kiali', namespace: 'istio-system' },
      data: { 'config.yaml': yaml.dump({ external_services: { prometheus: { url: 'http://prometheus-operated.monitoring:9090' } } }) },
    },
    {
      apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'default', namespace: 'shop' },
      spec: { egress: [{ hosts: ['./*', 'istio-system/*', 'payments/api.payments.svc.cluster.local'] }] },
    },
  ];

  test('draws namespaces, components and wiring', () => {
    // WHEN
    const diagram = renderMeshDiagram(manifests);
    // THEN
    expect(diagram).toMatchSnapshot();
    const { vertices, edges } = parsed(diagram);
    expect(edges).toEqual(expect.arrayContaining([
      { from: 'ns_istio_system', to: 'ns_observability', text: 'spans (jaeger)' },
      { from: 'ns_istio_system', to: 'ns_monitoring', text: 'metrics' },
      { from: 'ns_shop', to: 'ns_payments', text: 'egress' },
      { from: 'ns_shop', to: 'ns_istio_system', text: 'egress' },
    ]));
    expect(vertices).toContainEqual({ id: 'ns_istio_ingress', lines: ['istio-ingress', 'gateway istio-ingressgateway'] });
  });

  test("an Istio Gateway's VirtualService draws a route from the gateway's namespace into the service's", () => {
    // GIVEN
    const routed: Manifest[] = [
      ...manifests,
      { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'istio-ingressgateway', namespace: 'istio-ingress' }, spec: { selector: { istio: 'ingressgateway' } } },
      {
        apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'shop', namespace: 'shop' },
        spec: { hosts: ['shop.example.com'], gateways: ['istio-ingress/istio-ingressgateway'] },
      },
      // A mesh-internal VirtualService routes nothing from a gateway
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'api', namespace: 'payments' }, spec: { hosts: ['api'], gateways: ['mesh'] } },
    ];
    // WHEN
    const { vertices, edges } = parsed(renderMeshDiagram(routed));
    // THEN
    expect(edges).toContainEqual({ from: 'ns_istio_ingress', to: 'ns_shop', text: 'routes shop.example.com' });
    expect(edges!.filter((edge) => edge.to === 'ns_payments' && edge.from === 'ns_istio_ingress')).toEqual([]);
    expect(vertices).toContainEqual({ id: 'ns_istio_ingress', lines: ['istio-ingress', 'Istio Gateway istio-ingressgateway', 'gateway istio-ingressgateway'] });
  });

  test('is the same for the same manifests', () => {
    expect(renderMeshDiagram(manifests)).toBe(renderMeshDiagram([...manifests]));
  });

  test('folds namespaces beyond the drawing limit into one node', () => {
    // GIVEN
    const many: Manifest[] = Array.from({ length: 50 }, (_, i) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${String(i).padStart(2, '0')}` } }));
    // WHEN
    const diagram = renderMeshDiagram(many);
    // THEN
    const ids = parsed(diagram).vertices!.map((vertex) => vertex.id);
    expect(parsed(diagram).vertices).toContainEqual({ id: 'more_namespaces', lines: ['10 more namespaces'] });
    expect(ids).toContain('ns_ns_39');
    expect(ids).not.toContain('ns_ns_40');
  });

  test('a namespace named like the folded node keeps a node of its own', () => {
    const diagram = renderMeshDiagram([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'more' } }]);
    expect(parsed(diagram).vertices).toEqual([{ id: 'ns_more', lines: ['more'] }]);
  });
});

describe('MESH.md renders in Mermaid', () => {
  const files = [
    path.join(root, 'dist', MESH_DIAGRAM_FILE),
    ...fs.readdirSync(path.join(root, 'examples')).sort().map((example) => path.join(root, 'examples', example, 'dist', MESH_DIAGRAM_FILE)),
  ];

  test('dist/ and every example: Mermaid parses each diagram and reads every namespace of the output', () => {
    // GIVEN the committed diagrams and the namespaces their folder creates
    expect(files.length).toBeGreaterThan(1);
    const results = parseFlowcharts(files.map((file) => mermaidBlock(fs.readFileSync(file, 'utf8'))));
    files.forEach((file, index) => {
      const folder = path.dirname(file);
      const namespaces = fs.readdirSync(folder).filter((name) => name.endsWith('.k8s.yaml'))
        .flatMap((name) => yaml.loadAll(fs.readFileSync(path.join(folder, name), 'utf8')) as Manifest[])
        .filter((manifest) => manifest?.kind === 'Namespace').map((manifest) => manifest.metadata!.name!);
      // THEN
      const result = results[index];
      expect({ file: path.relative(root, file), error: result.error }).toEqual({ file: path.relative(root, file), error: undefined });
      expect(namespaces.length).toBeGreaterThan(0);
      expect(result.vertices!.map((vertex) => vertex.lines[0])).toEqual(expect.arrayContaining(namespaces));
      expect(result.edges!.length).toBeGreaterThan(0);
    });
    // The edge labels with parentheses that Mermaid used to refuse (`got 'PS'`).
    expect(results[0].edges).toContainEqual({ from: 'ns_istio_system', to: 'ns_observability', text: 'spans (zipkin)' });
  });
});

/** Pieces that are syntax somewhere in Mermaid, HTML or Markdown, and text from other scripts. */
const HOSTILE = [
  '(', ')', '[', ']', '{', '}', '((', '))', '[[', '>]', '|', '||', '"', '\'', '`', '#', '#quot;', '#35;', '&', '&amp;', ';', ':', ':::',
  '<', '>', '<b>', '</b>', '<br/>', '<script>x</script>', '-->', '---', '==>', '-.->', '%%', '%%{init: {}}%%', 'end', 'subgraph', 'click', 'style',
  'classDef', 'graph TD', '\\', '*', '_', '~', '^', '$', '@', '!', '?', '=', '+', ',', '.', ' ', 'é', 'ß', '日本語', 'Ж', '🚀', '\u0301', '\u202e',
  'a', 'kiali', 'istio-system', '0', '42',
];

function hostileName(next: () => number, allowSlash: boolean): string {
  const pieces = Array.from({ length: 1 + Math.floor(next() * 6) }, () => HOSTILE[Math.floor(next() * HOSTILE.length)]);
  const name = pieces.join('');
  return allowSlash ? name : name.replace(/\//g, '');
}

describe('hostile names (property-style: seeded random names from syntax pieces)', () => {
  test('every diagram parses, and Mermaid reads back each name, component and edge label as written', () => {
    // GIVEN 150 meshes whose namespace, workload and provider names are built from syntax pieces
    const next = seededRandom(20261202);
    const cases = Array.from({ length: 150 }, () => {
      // Not a namespace the control plane or the tracing edge use, which would hold their components too.
      let namespace = hostileName(next, false);
      while (['istio-system', 'observability'].includes(namespace.replace(/[ \t\n\f\r]+/g, ' ').trim())) {
        namespace = hostileName(next, false);
      }
      const peer = `${hostileName(next, false)}-peer`;
      const workload = hostileName(next, true);
      const provider = hostileName(next, true);
      const manifests: Manifest[] = [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: peer } },
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: workload, namespace }, spec: {} },
        {
          apiVersion: 'sailoperator.io/v1', kind: 'Istio', metadata: { name: 'default' },
          spec: { namespace: 'istio-system', values: { meshConfig: { extensionProviders: [{ name: provider, zipkin: { service: 'jaeger-collector.observability.svc.cluster.local', port: 9411 } }] } } },
        },
        { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'default', namespace }, spec: { egress: [{ hosts: [`${peer}/*`] }] } },
      ];
      return { namespace, peer, workload, provider, diagram: mermaidBlock(renderMeshDiagram(manifests)) };
    });
    // WHEN
    const results = parseFlowcharts(cases.map((c) => c.diagram));
    // THEN
    // A viewer collapses runs of HTML whitespace and Mermaid trims labels: compare what is seen.
    const shownAs = (text: string) => text.replace(/[ \t\n\f\r]+/g, ' ').trim();
    cases.forEach((c, index) => {
      const parsedResult = results[index];
      const result = {
        ...parsedResult,
        vertices: parsedResult.vertices?.map((vertex) => ({ ...vertex, lines: vertex.lines.map(shownAs) })),
        edges: parsedResult.edges?.map((edge) => ({ ...edge, text: shownAs(edge.text) })),
      };
      const subject = { namespace: c.namespace, workload: c.workload, provider: c.provider };
      expect({ ...subject, error: result.error }).toEqual({ ...subject, error: undefined });
      const vertexOf = (name: string) => result.vertices!.find((vertex) => vertex.lines[0] === shownAs(name));
      expect({ ...subject, lines: vertexOf(c.namespace)?.lines }).toEqual({ ...subject, lines: [shownAs(c.namespace), shownAs(`Deployment ${c.workload}`)] });
      expect({ peer: c.peer, lines: vertexOf(c.peer)?.lines }).toEqual({ peer: c.peer, lines: [shownAs(c.peer)] });
      const ids = new Set(result.vertices!.map((vertex) => vertex.id));
      expect(ids.size).toBe(result.vertices!.length);
      expect(result.edges).toEqual(expect.arrayContaining([
        { from: vertexOf('istio-system')!.id, to: vertexOf('observability')!.id, text: shownAs(`spans (${c.provider})`) },
        { from: vertexOf(c.namespace)!.id, to: vertexOf(c.peer)!.id, text: 'egress' },
      ]));
    });
  });
});

describe('renderMeshDiagram of a mixed mesh', () => {
  // GIVEN a sidecar namespace, an ambient one with its waypoint, and ztunnel
  const manifests: Manifest[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'legacy', labels: { 'istio-injection': 'enabled' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' } } },
    { apiVersion: 'sailoperator.io/v1', kind: 'ZTunnel', metadata: { name: 'default' }, spec: { namespace: 'ztunnel' } },
    {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'waypoint', namespace: 'shop', labels: { 'istio.io/waypoint-for': 'service' } },
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    },
    {
      apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'default', namespace: 'legacy' },
      spec: { egress: [{ hosts: ['./*', 'shop/*'] }] },
    },
  ];

  test('draws ambient namespaces rounded, with their waypoint, and sidecar namespaces as boxes', () => {
    // WHEN
    const diagram = renderMeshDiagram(manifests);
    // THEN Mermaid parses it, and the shapes tell the data planes apart
    expect(diagram).toMatchSnapshot();
    const { vertices, edges } = parsed(diagram);
    expect(vertices).toContainEqual({
      id: 'ns_shop',
      lines: ['shop', 'L7 through waypoint waypoint', 'ambient data plane: no sidecars, ztunnel at L4', 'waypoint waypoint (L7 proxy, for service)'],
    });
    expect(vertices).toContainEqual({ id: 'ns_ztunnel', lines: ['ztunnel', 'ztunnel node proxy (ambient)'] });
    expect(diagram).toMatch(/^ {2}ns_shop\(\["<b>shop<\/b>.*"\]\)$/m);
    expect(diagram).toMatch(/^ {2}ns_legacy\["<b>legacy<\/b>"\]$/m);
    expect(edges).toEqual([{ from: 'ns_legacy', to: 'ns_shop', text: 'egress' }]);
  });
});
