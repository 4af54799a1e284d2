import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import {
  DashboardJson, ExistingGrafana, ExistingPrometheus, GrafanaCredentials, GrafanaJsonDashboards, GrafanaSidecarDashboards, Kiali, MeshConfigError, MeshTesting, PrometheusDatasource,
  SidecarGrafana, buildMesh, readManifestFiles, validateManifests,
} from '../../lib';
import { findOne } from '../helpers/manifests';

const FIXTURE = path.join(__dirname, 'fixtures', 'grafana-com-export.json');

describe('DashboardJson', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboards-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('reads a grafana.com export with its data source inputs', () => {
    const json = DashboardJson.fromFile(FIXTURE);
    expect(json.title).toBe('Mesh requests (test fixture)');
    expect(json.datasourceInputs).toEqual(['DS_PROMETHEUS']);
    expect(JSON.parse(json.toJsonString())).toEqual(JSON.parse(fs.readFileSync(FIXTURE, 'utf8')));
  });

  test('replaces each input where it is a whole string, and drops __inputs', () => {
    const model = JSON.parse(DashboardJson.fromFile(FIXTURE).withDatasource('prometheus'));
    expect(model.__inputs).toBeUndefined();
    expect(model.panels[0].datasource).toEqual({ type: 'prometheus', uid: 'prometheus' });
    expect(model.panels[0].targets[0].datasource).toBe('prometheus');
    expect(model.panels[0].targets[0].legendFormat).toBe('${DS_PROMETHEUS} is replaced only as a whole string');
  });

  test.each([
    ['a missing file', undefined, /dashboard file .*missing\.json: cannot be read \(ENOENT\)/],
    ['not JSON', '{ "title": ', /dashboard file .*: not JSON/],
    ['a wrapper, not a dashboard', '{ "dashboard": { "title": "x", "panels": [] } }', /has no title: .*not a wrapper such as \{"dashboard": \{\.\.\.\}\}/],
    ['no panels', '{ "title": "x" }', /dashboard 'x' has no "panels" list/],
    ['a list', '[]', /must be a JSON object .*got a list/],
  ])('refuses %s, naming the file', (_name, text, message) => {
    const file = path.join(dir, text === undefined ? 'missing.json' : 'bad.json');
    if (text !== undefined) {
      fs.writeFileSync(file, text);
    }
    expect(() => DashboardJson.fromFile(file)).toThrow(message);
  });
});

describe('GrafanaSidecarDashboards', () => {
  test('kube-prometheus-stack: one labelled ConfigMap per dashboard, with its folder and the JSON inline', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new GrafanaSidecarDashboards(chart, 'dashboards', { dashboards: [{ name: 'istio-mesh', json: DashboardJson.fromFile(FIXTURE) }] });
    // THEN the whole app passes the checks (the namespace is kube-prometheus-stack's), and
    const manifests = MeshTesting.synth(chart);
    expect(manifests).toMatchSnapshot();
    const configMap = findOne(manifests, 'ConfigMap', 'istio-mesh');
    expect(configMap.metadata).toEqual({ name: 'istio-mesh', namespace: 'monitoring', labels: { grafana_dashboard: '1' }, annotations: { grafana_folder: 'Istio' } });
    expect(Object.keys(configMap.data)).toEqual(['istio-mesh.json']);
    const model = JSON.parse(configMap.data['istio-mesh.json']);
    expect(model.title).toBe('Mesh requests (test fixture)');
    expect(model.panels[0].datasource.uid).toBe('prometheus');
  });

  test('label, value, folder annotation, folder, namespace and data source uid are configurable', () => {
    const chart = Testing.chart();
    const dashboards = new GrafanaSidecarDashboards(chart, 'dashboards', {
      namespace: 'grafana', label: 'dashboards.example.com/grafana', labelValue: 'true', folderAnnotation: 'k8s-sidecar-target-directory',
      folder: '/tmp/dashboards/istio', datasourceUid: 'mimir',
    });
    dashboards.addDashboard({ name: 'mesh', json: DashboardJson.fromFile(FIXTURE) });
    const configMap = findOne(MeshTesting.synth(chart), 'ConfigMap', 'mesh');
    expect(configMap.metadata.namespace).toBe('grafana');
    expect(configMap.metadata.labels).toEqual({ 'dashboards.example.com/grafana': 'true' });
    expect(configMap.metadata.annotations).toEqual({ 'k8s-sidecar-target-directory': '/tmp/dashboards/istio' });
    expect(JSON.parse(configMap.data['mesh.json']).panels[0].datasource.uid).toBe('mimir');
    expect(dashboards.dashboardNames).toEqual(['mesh']);
  });

  test('refuses a bad label, a taken name and a dashboard larger than a ConfigMap', () => {
    const chart = Testing.chart();
    expect(() => new GrafanaSidecarDashboards(chart, 'bad-label', { label: 'grafana dashboard' })).toThrow(/label and labelValue must have Kubernetes label keys .*got key 'grafana dashboard'/);
    const dashboards = new GrafanaSidecarDashboards(chart, 'dashboards');
    const json = DashboardJson.fromFile(FIXTURE);
    dashboards.addDashboard({ name: 'mesh', json });
    expect(() => dashboards.addDashboard({ name: 'mesh', json })).toThrow(/a dashboard named 'mesh' is already in/);
    const huge = DashboardJson.fromObject({ title: 'huge', panels: [{ type: 'text', options: { content: 'x'.repeat(1024 * 1024) } }] }, 'huge.json');
    expect(() => dashboards.addDashboard({ name: 'huge', json: huge })).toThrow(/huge\.json: dashboard 'huge' is 10\d{5} bytes of JSON, more than a ConfigMap holds \(1048576\)/);
  });
});

describe('GrafanaJsonDashboards', () => {
  test('grafana-operator: the JSON inline, its inputs mapped to the data source, nothing fetched', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'dashboards');
    const datasource = new PrometheusDatasource(chart, 'datasource', { grafana: ExistingGrafana.inCluster(), prometheus: ExistingPrometheus.inCluster() });
    // WHEN
    new GrafanaJsonDashboards(chart, 'json-dashboards', { datasource, dashboards: [{ name: 'istio-mesh', json: DashboardJson.fromFile(FIXTURE) }] });
    // THEN
    const manifests = MeshTesting.synth(chart);
    expect(manifests).toMatchSnapshot();
    const dashboard = findOne(manifests, 'GrafanaDashboard', 'istio-mesh');
    expect(dashboard.spec.grafanaCom).toBeUndefined();
    expect(JSON.parse(dashboard.spec.json).title).toBe('Mesh requests (test fixture)');
    expect(dashboard.spec.datasources).toEqual([{ inputName: 'DS_PROMETHEUS', datasourceName: datasource.datasourceName }]);
    expect(dashboard.spec.instanceSelector).toEqual(findOne(manifests, 'GrafanaDatasource').spec.instanceSelector);
  });
});

describe('mesh.yaml dashboards.grafana.sidecar and dashboards.files', () => {
  const root = path.resolve(__dirname, '..', '..');
  const example = path.join(root, 'examples', 'kube-prometheus-stack');

  test('the kube-prometheus-stack example: its dashboard ConfigMaps hold the JSON files, labelled for the sidecar', () => {
    // GIVEN the committed output of examples/kube-prometheus-stack (current: test/examples.test.ts)
    const objects = readManifestFiles(path.join(example, 'dist')).flatMap(({ manifests }) => manifests) as any[];
    const configMaps = objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard !== undefined);
    // THEN one ConfigMap per listed file, in kube-prometheus-stack's namespace, which the output does not create
    expect(configMaps.map((c) => c.metadata.name)).toEqual(['istio-mesh-requests']);
    const [configMap] = configMaps;
    expect(configMap.metadata.namespace).toBe('monitoring');
    expect(objects.some((o) => o.kind === 'Namespace' && o.metadata.name === 'monitoring')).toBe(false);
    expect(configMap.metadata.labels).toEqual({ grafana_dashboard: '1' });
    expect(configMap.metadata.annotations).toEqual(expect.objectContaining({ grafana_folder: 'Istio' }));
    // AND the JSON is the file's, its Prometheus input bound to kube-prometheus-stack's data source
    const file = JSON.parse(fs.readFileSync(path.join(example, 'dashboards', 'mesh-requests.json'), 'utf8'));
    const { __inputs: inputs, ...expected } = file;
    expect(inputs.map((input: { name: string }) => input.name)).toEqual(['DS_PROMETHEUS']);
    const model = JSON.parse(configMap.data['istio-mesh-requests.json']);
    expect(JSON.stringify(model)).toBe(JSON.stringify(expected).split('"${DS_PROMETHEUS}"').join('"prometheus"'));
    expect(validateManifests(objects)).toEqual([]);
  });

  test('the kube-prometheus-stack example: Kiali links to the chart\'s Grafana, its Service, URL and token wired from dashboards.grafana.sidecar', () => {
    // GIVEN the committed output of the example
    const objects = readManifestFiles(path.join(example, 'dist')).flatMap(({ manifests }) => manifests) as any[];
    const kialiConfig = yaml.load(findOne(objects, 'ConfigMap', 'kiali').data['config.yaml']) as any;
    // THEN the internal URL is the chart's Service (<release>-grafana, port 80), the external URL and the token Secret as configured
    expect(kialiConfig.external_services.grafana).toEqual({
      enabled: true,
      internal_url: 'http://kube-prometheus-stack-grafana.monitoring:80',
      external_url: 'https://grafana.example.com',
      auth: { type: 'bearer', token: 'secret:kiali-grafana:token' },
    });
    const kiali = findOne(objects, 'Deployment', 'kiali');
    expect(kiali.spec.template.spec.volumes).toEqual(expect.arrayContaining([{ name: 'grafana-token', secret: { secretName: 'kiali-grafana', items: [{ key: 'token', path: 'value.txt' }] } }]));
  });

  test('mesh.yaml: Kiali beside the sidecar\'s Grafana needs its externalUrl and apiCredentials, at the sidecar\'s keys; grafanaLinks: false links nothing', () => {
    const spec = (sidecar: object, kiali: object = {}) => ({
      metrics: { prometheus: { inCluster: {} } },
      dashboards: { grafana: { sidecar }, files: [{ name: 'mesh', file: 'dashboards/mesh-requests.json' }] },
      kiali,
    });
    const refused = (sidecar: object, kiali?: object) => {
      try {
        buildMesh(Testing.app(), spec(sidecar, kiali), { file: path.join(example, 'mesh.yaml') });
        return [];
      } catch (error) {
        return (error as MeshConfigError).problems.map(({ path: keyPath, message }) => ({ path: keyPath, message }));
      }
    };
    expect(refused({})).toEqual([
      { path: 'dashboards.grafana.sidecar.externalUrl', message: expect.stringMatching(/^is needed by Kiali, which links dashboards at the URL users open Grafana at .*or kiali.grafanaLinks: false$/) },
      { path: 'dashboards.grafana.sidecar.apiCredentials', message: expect.stringMatching(/^is needed by Kiali, .*anonymous: \{\} for a Grafana open to anonymous viewers, or kiali.grafanaLinks: false$/) },
    ]);
    expect(refused({ externalUrl: 'grafana.example.com', apiCredentials: { anonymous: {} } })).toEqual([
      { path: 'dashboards.grafana.sidecar.externalUrl', message: expect.stringMatching(/grafana\.example\.com/) },
    ]);
    expect(refused({ port: 70000, externalUrl: 'https://grafana.example.com', apiCredentials: { anonymous: {} } })).toEqual([
      { path: 'dashboards.grafana.sidecar.port', message: expect.stringMatching(/70000/) },
    ]);
    expect(refused({}, { grafanaLinks: false })).toEqual([]);
  });

  function problems(dashboards: any): Array<{ path: string; message: string }> {
    try {
      buildMesh(Testing.app(), { metrics: { prometheus: { inCluster: {} } }, dashboards }, { file: path.join(example, 'mesh.yaml') });
    } catch (error) {
      if (MeshConfigError.isMeshConfigError(error)) {
        return error.problems.map(({ path: keyPath, message }) => ({ path: keyPath, message }));
      }
      throw error;
    }
    return [];
  }

  test('the sidecar refuses what only grafana-operator does, and needs files; a file is read relative to the config', () => {
    expect(problems({ grafana: { sidecar: {} }, istioDashboards: { mesh: {} }, resyncPeriod: '5m', files: [{ name: 'mesh', file: 'dashboards/mesh-requests.json' }] })).toEqual([
      { path: 'dashboards.istioDashboards', message: expect.stringMatching(/^is for grafana-operator, not dashboards.grafana.sidecar: the sidecar imports nothing from grafana.com: download the dashboards .* under dashboards.files$/) },
      { path: 'dashboards.resyncPeriod', message: expect.stringMatching(/^is for grafana-operator/) },
    ]);
    expect(problems({ grafana: { sidecar: {} } })).toEqual([{ path: 'dashboards.files', message: expect.stringMatching(/needs dashboard JSON files: list them as dashboards.files/) }]);
    expect(problems({ grafana: { sidecar: {} }, files: [{ name: 'mesh', file: 'dashboards/missing.json' }] })).toEqual([
      { path: 'dashboards.files[0].file', message: expect.stringMatching(/dashboard file .*examples\/kube-prometheus-stack\/dashboards\/missing\.json: cannot be read \(ENOENT\)/) },
    ]);
  });

  test('grafana-operator takes the same files as inline GrafanaDashboards beside the grafana.com imports', () => {
    const app = Testing.app();
    const mesh = buildMesh(app, {
      metrics: { prometheus: { inCluster: {} } },
      dashboards: { grafana: { existing: {} }, istioDashboards: { mesh: {} }, files: [{ name: 'mesh-requests', file: 'dashboards/mesh-requests.json' }] },
    }, { file: path.join(example, 'mesh.yaml') });
    const dashboards = mesh.charts.flatMap((chart) => chart.toJson()).filter((o: any) => o.kind === 'GrafanaDashboard');
    expect(dashboards.map((d: any) => [d.metadata.name, d.spec.grafanaCom ? 'grafana.com' : 'json'])).toEqual([['istio-mesh', 'grafana.com'], ['mesh-requests', 'json']]);
    expect(dashboards[1].spec.datasources).toEqual(dashboards[0].spec.datasources);
  });
});

describe('SidecarGrafana', () => {
  test('Kiali links to it by reference: the chart\'s Service and port, the URL users open, the token Secret; its namespace is external', () => {
    // GIVEN kube-prometheus-stack's Grafana and Prometheus, installed outside the app
    const app = Testing.app();
    const chart = new Chart(app, 'kiali');
    const grafana = SidecarGrafana.inCluster({
      namespace: 'observability', serviceName: 'prom-grafana', port: 3000, externalUrl: 'https://grafana.example.com',
      apiCredentials: GrafanaCredentials.bearerToken({ secretName: 'kiali-grafana' }),
    });
    const prometheus = ExistingPrometheus.inCluster({ namespace: 'observability', serviceName: 'prom-prometheus' });
    // WHEN
    new Kiali(chart, 'kiali', { prometheus, grafana, namespace: 'kiali' });
    // THEN the whole app passes the checks, with observability external
    const objects = MeshTesting.synth(chart) as any[];
    const config = yaml.load(findOne(objects, 'ConfigMap', 'kiali').data['config.yaml']) as any;
    expect(config.external_services.grafana).toMatchObject({
      enabled: true, internal_url: 'http://prom-grafana.observability:3000', external_url: 'https://grafana.example.com', auth: { type: 'bearer' },
    });
    expect(grafana.internalEndpoint.url()).toBe('http://prom-grafana.observability:3000');
  });

  test('defaults: kube-prometheus-stack released as kube-prometheus-stack in monitoring', () => {
    expect(SidecarGrafana.inCluster().internalEndpoint.url()).toBe('http://kube-prometheus-stack-grafana.monitoring:80');
  });

  test('refuses a bad Service name, port or URL', () => {
    expect(() => SidecarGrafana.inCluster({ serviceName: 'Grafana' })).toThrow(/serviceName .*Grafana/);
    expect(() => SidecarGrafana.inCluster({ port: 0 })).toThrow(/port .*must be an integer from 1 to 65535, got 0/);
    expect(() => SidecarGrafana.inCluster({ externalUrl: 'grafana.example.com' })).toThrow(/externalUrl.*grafana\.example\.com/);
  });
});
