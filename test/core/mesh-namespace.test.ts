import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { Manifest, MeshNamespace, MeshSpec, SidecarInjection } from '../../lib';
import { buildValidated, problemsOf } from '../helpers/mesh-build';

const guideMesh = (): any => yaml.load(fs.readFileSync(path.join(__dirname, '..', '..', 'mesh.yaml'), 'utf8'));

/** The guide's mesh.yaml, changed by `change`. */
const meshWith = (change: (mesh: any) => void) => (): MeshSpec => {
  const mesh = guideMesh();
  change(mesh);
  return mesh;
};

/** Every chart of a built mesh, checked by the schema and mesh analysis (which refuses duplicate objects). */
const buildAll = (spec: MeshSpec): Record<string, Manifest[]> => buildValidated(spec).byChart;

/** The Namespace objects named `name` in the whole output, with the chart each is in. */
function namespacesNamed(byChart: Record<string, Manifest[]>, name: string) {
  return Object.entries(byChart).flatMap(([chart, manifests]) => manifests
    .filter((manifest) => manifest.kind === 'Namespace' && manifest.metadata?.name === name)
    .map((manifest) => ({ chart, labels: (manifest.metadata as any).labels ?? {} })));
}


describe('a namespace that parts of mesh.yaml share is one Namespace object of the whole output', () => {
  // layout, mesh.yaml, namespace, the chart it must be in (the first applied), its merged labels
  const SHARED_LAYOUTS: ReadonlyArray<readonly [string, () => MeshSpec, string, string, Record<string, string>]> = [
    ['Jaeger, Prometheus and Grafana in one namespace', meshWith((m) => {
      m.tracing.backend.jaegerV2.namespace = 'observability';
      m.metrics.prometheus = { server: { namespace: 'observability' } };
      m.dashboards.grafana = { instance: { namespace: 'observability', externalUrl: 'https://grafana.example.com', apiCredentials: { bearerToken: { secretName: 'kiali-grafana' } } } };
    }), 'observability', 'observability', {}],
    ['Jaeger in istio-system (Istio\'s addon layout)', meshWith((m) => {
      m.tracing.backend.jaegerV2.namespace = 'istio-system';
    }), 'istio-system', 'observability', {}],
    ['a workload namespace that is the gateway\'s, with labels of its own', meshWith((m) => {
      m.workloads.namespaces['istio-ingress'] = { labels: { team: 'edge' }, services: { echo: { ports: [8080] } } };
    }), 'istio-ingress', 'istio', { 'istio-injection': 'enabled', 'team': 'edge' }],
    ['the ingress gateway in the control plane\'s namespace', meshWith((m) => {
      m.ingressGateway.namespace = 'istio-system';
    }), 'istio-system', 'istio', { 'istio-injection': 'enabled' }],
    ['Prometheus in the namespace of a workload that is injected by revision', meshWith((m) => {
      m.controlPlane.revision = 'canary';
      m.metrics.prometheus = { server: { namespace: 'istio-demo' } };
    }), 'istio-demo', 'monitoring', { 'istio.io/rev': 'canary' }],
  ];

  test.each(SHARED_LAYOUTS)('%s', (_layout, spec, name, chart, labels) => {
    // GIVEN a mesh.yaml whose parts share a namespace
    // WHEN it is built
    const byChart = buildAll(spec());
    // THEN the namespace is in the output once, in the first chart that needs it, with every part's labels
    expect(namespacesNamed(byChart, name)).toEqual([{ chart, labels }]);
  });

  test('the shared namespaces of Jaeger, Prometheus and Grafana, chart by chart', () => {
    // GIVEN
    const spec = SHARED_LAYOUTS[0][1]();
    // WHEN
    const byChart = buildAll(spec);
    // THEN
    expect(Object.fromEntries(Object.entries(byChart).map(([chart, manifests]) => [chart, manifests.filter((m) => m.kind === 'Namespace')]))).toMatchSnapshot();
  });

  // conflict, mesh.yaml, key path of the problem, message
  const CONFLICTS: ReadonlyArray<readonly [string, () => MeshSpec, string, RegExp]> = [
    ['a workload namespace that is the gateway\'s disables injection', meshWith((m) => {
      m.workloads.namespaces['istio-ingress'] = { injection: 'none', labels: { 'istio-injection': 'disabled' } };
    }), 'workloads.namespaces.istio-ingress',
    /namespace istio-ingress is wanted with conflicting labels: ingressGateway wants istio-injection=enabled, workloads\.namespaces\.istio-ingress wants istio-injection=disabled; a namespace has one sidecar injection/],
    ['a workload namespace that is the gateway\'s names another revision', meshWith((m) => {
      m.controlPlane.revision = 'canary';
      m.workloads.namespaces['istio-ingress'] = { injection: 'none', labels: { 'istio.io/rev': 'stable' } };
    }), 'workloads.namespaces.istio-ingress',
    /ingressGateway wants istio\.io\/rev=canary, workloads\.namespaces\.istio-ingress wants istio\.io\/rev=stable/],
    ['a workload namespace that is the gateway\'s, injected by the default revision instead of the gateway\'s', meshWith((m) => {
      m.controlPlane.revision = 'canary';
      m.workloads.namespaces['istio-ingress'] = { injection: 'enabled' };
    }), 'workloads.namespaces.istio-ingress',
    /ingressGateway wants istio\.io\/rev=canary, workloads\.namespaces\.istio-ingress wants istio-injection=enabled/],
    ['the ingress and egress gateways in one namespace with different injection', meshWith((m) => {
      m.controlPlane.revision = 'canary';
      m.ingressGateway.injection = 'enabled';
      m.controlPlane.egressGateway = { namespace: 'istio-ingress' };
    }), 'ingressGateway',
    /controlPlane\.egressGateway wants istio\.io\/rev=canary, ingressGateway wants istio-injection=enabled/],
  ];

  test.each(CONFLICTS)('%s is refused, naming both parts and the label', (_conflict, spec, keyPath, message) => {
    // GIVEN a mesh.yaml whose parts want one namespace with different labels
    // WHEN it is built
    const problems = problemsOf(spec());
    // THEN the problem is at the later part's key and names the earlier one
    expect(problems).toEqual([{ path: keyPath, message: expect.stringMatching(message) }]);
  });
});

describe('MeshNamespace', () => {
  /** An app with charts `first` and `second`; `second` is applied after `first` when `ordered`. */
  function twoCharts(ordered: boolean) {
    const app = Testing.app();
    const first = new Chart(app, 'first');
    const second = new Chart(app, 'second');
    if (ordered) {
      second.addDependency(first);
    }
    return { app, first, second };
  }

  const namespaceObjects = (chart: Chart) => (Testing.synth(chart) as Manifest[]).filter((m) => m.kind === 'Namespace');

  // case, whether `second` is applied after `first`, which chart asks first, where the Namespace must be
  const PLACEMENTS: ReadonlyArray<readonly [string, boolean, 'first' | 'second', 'first' | 'second']> = [
    ['asked for in apply order', true, 'first', 'first'],
    ['asked for by the later chart first: it moves to the earlier one', true, 'second', 'first'],
    ['charts without an order: the first that asks has it, the other applies after it', false, 'second', 'second'],
  ];

  test.each(PLACEMENTS)('%s', (_case, ordered, asksFirst, expectedChart) => {
    // GIVEN two charts of one app
    const charts = twoCharts(ordered);
    const asksSecond = asksFirst === 'first' ? 'second' : 'first';
    // WHEN both ask for one namespace, with different labels
    const a = new MeshNamespace(charts[asksFirst], 'ns', { name: 'shared', injection: SidecarInjection.enabled() });
    const b = new MeshNamespace(charts[asksSecond], 'ns', { name: 'shared', labels: { team: 'payments' } });
    // THEN one object, in the chart applied first, carries both labels, and the other chart applies after it
    const other = expectedChart === 'first' ? 'second' : 'first';
    const expected = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shared', labels: { 'istio-injection': 'enabled', 'team': 'payments' } } }];
    expect(namespaceObjects(charts[expectedChart])).toEqual(expected);
    expect(namespaceObjects(charts[other])).toEqual([]);
    expect(a.resource).toBe(b.resource);
    expect(a.resource.node.path).toBe(`${expectedChart}/ns/Resource`);
    expect(a.labels).toEqual({ 'istio-injection': 'enabled', 'team': 'payments' });
    expect(charts.app.charts.map((chart) => chart.node.id)).toEqual([expectedChart, other]);
  });

  // case, what the first part wants, what the second part wants, the message
  const CONFLICTS: ReadonlyArray<readonly [string, object, object, RegExp]> = [
    ['injection enabled and disabled', { injection: SidecarInjection.enabled() }, { injection: SidecarInjection.disabled() },
      /namespace shared is wanted with conflicting labels: first\/gateway wants istio-injection=enabled, second\/workloads wants istio-injection=disabled; a namespace has one sidecar injection/],
    ['two revisions', { injection: SidecarInjection.revision('stable') }, { injection: SidecarInjection.revision('canary') },
      /first\/gateway wants istio\.io\/rev=stable, second\/workloads wants istio\.io\/rev=canary/],
    ['the default revision and a named one', { injection: SidecarInjection.enabled() }, { injection: SidecarInjection.revision('canary') },
      /first\/gateway wants istio-injection=enabled, second\/workloads wants istio\.io\/rev=canary/],
    ['another value of a plain label', { labels: { team: 'edge' } }, { labels: { team: 'payments' } },
      /first\/gateway wants team=edge, second\/workloads wants team=payments; give both the same value/],
  ];

  test.each(CONFLICTS)('%s conflict, and the error names both parts and the label', (_case, firstWants, secondWants, message) => {
    // GIVEN a namespace one part asked for
    const { first, second } = twoCharts(true);
    new MeshNamespace(first, 'gateway', { name: 'shared', ...firstWants });
    // WHEN another part asks for it with a conflicting label
    // THEN
    expect(() => new MeshNamespace(second, 'workloads', { name: 'shared', ...secondWants })).toThrow(message);
  });

  test('no injection label merges with any injection', () => {
    // GIVEN
    const { first, second } = twoCharts(true);
    new MeshNamespace(first, 'jaeger', { name: 'shared' });
    // WHEN
    new MeshNamespace(second, 'workloads', { name: 'shared', injection: SidecarInjection.revision('canary') });
    // THEN
    expect(namespaceObjects(first)).toEqual([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shared', labels: { 'istio.io/rev': 'canary' } } }]);
  });
});
