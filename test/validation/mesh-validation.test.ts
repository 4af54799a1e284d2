import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import {
  ExistingPrometheus, GrafanaInstance, Jaeger, JaegerV2, Kiali, Manifest, MeshSynthesis, MeshValidation, PrometheusServer, SidecarScoping,
} from '../../lib';
import * as meshAnalysis from '../../lib/validation/mesh-analysis';
import { runSynth } from '../config/run-synth';
import { synthValid } from '../helpers/manifests';

/** An app that writes into a fresh temporary folder, as a consumer's `new App()` writes into dist/. */
function consumerApp(): App {
  return new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-validation-')) });
}

/** Every object the app wrote, from all its files. */
function writtenObjects(app: App): Manifest[] {
  return fs.readdirSync(app.outdir).filter((file) => file.endsWith('.k8s.yaml'))
    .flatMap((file) => yaml.loadAll(fs.readFileSync(path.join(app.outdir, file), 'utf8')) as Manifest[]);
}

const namespaces = (manifests: readonly Manifest[]) => manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata?.name);

describe('constructs render the namespace they choose', () => {
  test('JaegerV2 alone synthesizes its Namespace, and a plain app.synth() passes the checks', () => {
    // GIVEN
    const app = consumerApp();
    // WHEN
    new JaegerV2(new Chart(app, 'observability'), 'jaeger');
    app.synth();
    // THEN
    const written = writtenObjects(app);
    expect(namespaces(written)).toEqual(['observability']);
    expect(written[0].kind).toBe('Namespace');
  });

  test.each([
    ['Jaeger', (chart: Chart) => new Jaeger(chart, 'jaeger', { namespace: 'tracing' }), 'tracing'],
    ['PrometheusServer', (chart: Chart) => new PrometheusServer(chart, 'prometheus'), 'monitoring'],
    ['GrafanaInstance', (chart: Chart) => new GrafanaInstance(chart, 'grafana'), 'grafana'],
    ['Kiali in a namespace of its own', (chart: Chart) => new Kiali(chart, 'kiali', {
      prometheus: ExistingPrometheus.fromUrl('https://prometheus.example.com'), namespace: 'kiali',
    }), 'kiali'],
  ])('%s synthesizes its Namespace', (_name, create, namespace) => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    create(chart);
    // THEN
    expect(namespaces(synthValid(chart))).toEqual([namespace]);
  });

  test('two constructs in one namespace yield one Namespace', () => {
    // GIVEN
    const app = consumerApp();
    const chart = new Chart(app, 'observability');
    // WHEN
    new JaegerV2(chart, 'jaeger', { namespace: 'observability' });
    new PrometheusServer(chart, 'prometheus', { namespace: 'observability' });
    new GrafanaInstance(new Chart(app, 'dashboards'), 'grafana', { namespace: 'observability' });
    app.synth();
    // THEN
    expect(namespaces(writtenObjects(app))).toEqual(['observability']);
  });

  test('createNamespace: false renders none, and the namespace counts as existing', () => {
    // GIVEN
    const app = consumerApp();
    const chart = new Chart(app, 'observability');
    // WHEN
    new JaegerV2(chart, 'jaeger', { createNamespace: false });
    new PrometheusServer(chart, 'prometheus', { createNamespace: false });
    new GrafanaInstance(chart, 'grafana', { createNamespace: false });
    app.synth();
    // THEN
    const written = writtenObjects(app);
    expect(written.length).toBeGreaterThan(0);
    expect(namespaces(written)).toEqual([]);
  });
});

describe('a plain app.synth() checks the output', () => {
  /** Sidecars that import `istio-system/*`, a namespace that nothing in the app renders. */
  function scopingWithoutControlPlane(app: App): void {
    const scoping = new SidecarScoping(new Chart(app, 'workloads'), 'scoping');
    const shop = scoping.addNamespace('shop', { name: 'shop' });
    shop.calls(scoping.addNamespace('payments', { name: 'payments' }));
  }

  test('a Sidecar scoping whose Sidecars name a namespace that nothing renders throws naming it', () => {
    // GIVEN
    const app = consumerApp();
    scopingWithoutControlPlane(app);
    // WHEN
    const synth = () => app.synth();
    // THEN
    expect(synth).toThrow(/Sidecar\/shop\/default spec\.egress\[0\]\.hosts\[\d\]: host 'istio-system\/\*' names namespace 'istio-system'/);
    expect(synth).toThrow(/MeshValidation\.of\(app\)\.addExternalNamespaces/);
    expect(fs.readdirSync(app.outdir)).toEqual([]);
  });

  test('an external namespace declared on MeshValidation is accepted', () => {
    // GIVEN
    const app = consumerApp();
    scopingWithoutControlPlane(app);
    // WHEN
    MeshValidation.of(app).addExternalNamespaces('istio-system');
    // THEN
    expect(() => app.synth()).not.toThrow();
  });

  test('the namespace of an ExistingPrometheus counts as existing', () => {
    // GIVEN
    const app = consumerApp();
    const istio = new Chart(app, 'istio');
    // WHEN
    new Kiali(istio, 'kiali', { prometheus: ExistingPrometheus.inCluster({ namespace: 'monitoring' }), namespace: 'kiali' });
    // THEN
    expect(() => app.synth()).not.toThrow();
  });

  test('the opt-out synthesizes', () => {
    // GIVEN
    const app = consumerApp();
    scopingWithoutControlPlane(app);
    // WHEN
    MeshValidation.disable(app);
    app.synth();
    // THEN
    expect(MeshValidation.of(app).isEnabled).toBe(false);
    expect(writtenObjects(app).filter((m) => m.kind === 'Sidecar')).toHaveLength(3);
  });
});

describe('MeshSynthesis', () => {
  afterEach(() => jest.restoreAllMocks());

  test('validates once: its apps opt out of the check at synth, complete() checks the output', () => {
    // GIVEN
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-synthesis-'));
    const analyze = jest.spyOn(meshAnalysis, 'analyzeMesh');
    const apps: App[] = [];
    const prepare = MeshSynthesis.prepare;
    jest.spyOn(MeshSynthesis, 'prepare').mockImplementation((props) => {
      const synthesis = prepare(props);
      apps.push(...synthesis.apps);
      return synthesis;
    });
    // WHEN
    const result = runSynth({ configPath: path.join(__dirname, '..', '..', 'mesh.yaml'), outdir: path.join(outdir, 'dist') });
    // THEN
    expect(result.exitCode).toBe(0);
    expect(apps.length).toBeGreaterThan(0);
    expect(apps.map((app) => MeshValidation.of(app).isEnabled)).toEqual(apps.map(() => false));
    expect(analyze).toHaveBeenCalledTimes(1);
  });
});
