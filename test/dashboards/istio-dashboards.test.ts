import { Duration, Testing } from 'cdk8s';
import {
  ExistingGrafana, ExistingPrometheus, GrafanaInstance, IstioDashboard, IstioDashboardRevisions, IstioDashboards, IstioVersion, MeshWarningCode, MeshWarnings, PrometheusDatasource,
} from '../../lib';
import { findOne, synthValid } from '../helpers/manifests';

function datasourceIn(chart: ReturnType<typeof Testing.chart>) {
  return new PrometheusDatasource(chart, 'datasource', { grafana: ExistingGrafana.inCluster(), prometheus: ExistingPrometheus.inCluster() });
}

describe('IstioDashboards', () => {
  test('imports Istio\'s five dashboards from grafana.com, wired to the data source', () => {
    // GIVEN
    const chart = Testing.chart();
    const datasource = datasourceIn(chart);
    // WHEN
    new IstioDashboards(chart, 'dashboards', { datasource });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const dashboards = manifests.filter((m) => m.kind === 'GrafanaDashboard') as any[];
    expect(dashboards.map((d) => [d.metadata.name, d.spec.grafanaCom.id])).toEqual([
      ['istio-mesh', 7639],
      ['istio-performance', 11829],
      ['istio-service', 7636],
      ['istio-workload', 7630],
      ['istio-control-plane', 7645],
    ]);
    const datasourceObject = findOne(manifests, 'GrafanaDatasource');
    for (const dashboard of dashboards) {
      expect(dashboard.spec.instanceSelector).toEqual(datasourceObject.spec.instanceSelector);
      expect(dashboard.metadata.namespace).toBe(datasourceObject.metadata.namespace);
      expect(dashboard.spec.datasources).toEqual([{ inputName: 'DS_PROMETHEUS', datasourceName: datasourceObject.spec.datasource.name }]);
      expect(dashboard.spec.folder).toBe('Istio');
    }
  });

  test('pins the five to the revision published with the Istio release, one number for all', () => {
    // GIVEN Istio 1.29, whose dashboards were published as revision 300 with 1.29.2
    const chart = Testing.chart();
    // WHEN
    new IstioDashboards(chart, 'dashboards', { datasource: datasourceIn(chart), istioVersion: IstioVersion.of('1.29.0') });
    // THEN
    const dashboards = synthValid(chart).filter((m) => m.kind === 'GrafanaDashboard') as any[];
    expect(dashboards.map((d) => d.spec.grafanaCom)).toEqual([
      { id: 7639, revision: 300 }, { id: 11829, revision: 300 }, { id: 7636, revision: 300 }, { id: 7630, revision: 300 }, { id: 7645, revision: 300 },
    ]);
    expect(MeshWarnings.of(chart).all).toEqual([]);
    expect(IstioDashboardRevisions.publishedWith(IstioVersion.of('1.29.0'))).toBe('1.29.2');
    expect(IstioDashboardRevisions.publishedFor(IstioVersion.of('1.28.4'))).toBe(280);
  });

  test('a revision of the app\'s own wins over the release\'s', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new IstioDashboards(chart, 'dashboards', {
      datasource: datasourceIn(chart), istioVersion: IstioVersion.of('1.28.1'), dashboards: [IstioDashboard.MESH.withRevision(279), IstioDashboard.SERVICE],
    });
    // THEN
    const dashboards = synthValid(chart).filter((m) => m.kind === 'GrafanaDashboard') as any[];
    expect(dashboards.map((d) => d.spec.grafanaCom)).toEqual([{ id: 7639, revision: 279 }, { id: 7636, revision: 280 }]);
    expect(MeshWarnings.of(chart).all).toEqual([]);
  });

  test('a release without a verified revision follows the newest, and the app warns naming the unpinned dashboards and how to pin', () => {
    // GIVEN Istio 1.30 (no verified revision yet), the mesh dashboard pinned by the app
    const chart = Testing.chart();
    // WHEN
    new IstioDashboards(chart, 'dashboards', {
      datasource: datasourceIn(chart), istioVersion: IstioVersion.of('1.30.3'), dashboards: [IstioDashboard.MESH.withRevision(310), IstioDashboard.WORKLOAD],
    });
    // THEN
    const dashboards = synthValid(chart).filter((m) => m.kind === 'GrafanaDashboard') as any[];
    expect(dashboards.map((d) => d.spec.grafanaCom)).toEqual([{ id: 7639, revision: 310 }, { id: 7630 }]);
    expect(MeshWarnings.of(chart).all).toEqual([expect.objectContaining({
      code: MeshWarningCode.ISTIO_DASHBOARDS_UNPINNED,
      message: expect.stringMatching(/^Istio's dashboards istio-workload \(7630\) in grafana follow grafana\.com's newest revision, .*release candidate: this library knows no verified revision for Istio 1\.30 \(it knows 1\.29, 1\.28, 1\.26, 1\.20\)$/),
      fix: expect.stringMatching(/^pin each to the revision whose description names Istio 1\.30\.3 \(https:\/\/grafana\.com\/grafana\/dashboards\/7630\?tab=revisions\): dashboards: IstioDashboard\.all\(\)\.map/),
    })]);
  });

  test('without istioVersion the dashboards are those of IstioVersion.LATEST', () => {
    const chart = Testing.chart();
    new IstioDashboards(chart, 'dashboards', { datasource: datasourceIn(chart) });
    const revisions = Testing.synth(chart).filter((m) => m.kind === 'GrafanaDashboard').map((d: any) => d.spec.grafanaCom.revision);
    const published = IstioDashboardRevisions.publishedFor(IstioVersion.LATEST);
    expect(revisions).toEqual(Array(5).fill(published));
    expect(MeshWarnings.of(chart).all.map((w) => w.code)).toEqual(published === undefined ? [MeshWarningCode.ISTIO_DASHBOARDS_UNPINNED] : []);
  });

  test('pins revisions, picks dashboards, and takes folder and resync period', () => {
    // GIVEN
    const chart = Testing.chart();
    const grafana = new GrafanaInstance(chart, 'grafana', { namespace: 'observability' });
    const datasource = new PrometheusDatasource(chart, 'datasource', { grafana, prometheus: ExistingPrometheus.inCluster() });
    // WHEN
    const dashboards = new IstioDashboards(chart, 'dashboards', {
      datasource, dashboards: [IstioDashboard.MESH.withRevision(250), IstioDashboard.CONTROL_PLANE], folder: 'Service mesh', resyncPeriod: Duration.days(1),
    });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(dashboards.dashboardNames).toEqual(['istio-mesh', 'istio-control-plane']);
    const mesh = findOne(manifests, 'GrafanaDashboard', 'istio-mesh');
    expect(mesh.spec).toMatchObject({ grafanaCom: { id: 7639, revision: 250 }, folder: 'Service mesh', resyncPeriod: '24h' });
    expect(mesh.metadata.namespace).toBe('observability');
    expect(mesh.spec.instanceSelector.matchLabels).toEqual(grafana.instanceSelectorLabels);
  });

  test('addDashboard imports more dashboards the same way', () => {
    // GIVEN
    const chart = Testing.chart();
    const dashboards = new IstioDashboards(chart, 'dashboards', { datasource: datasourceIn(chart), dashboards: [] });
    // WHEN
    dashboards.addDashboard({ id: 13277, revision: 3, name: 'istio-wasm-extension' });
    // THEN
    const dashboard = findOne(synthValid(chart), 'GrafanaDashboard', 'istio-wasm-extension');
    expect(dashboard.spec.grafanaCom).toEqual({ id: 13277, revision: 3 });
    expect(dashboard.spec.datasources[0].inputName).toBe('DS_PROMETHEUS');
  });

  test.each([0, 1.5, -3, Number.NaN])('rejects dashboard id %p, naming the field', (id) => {
    const chart = Testing.chart();
    const dashboards = new IstioDashboards(chart, 'dashboards', { datasource: datasourceIn(chart), dashboards: [] });
    expect(() => dashboards.addDashboard({ id, name: 'custom' })).toThrow(new RegExp(`^id of dashboard custom must be a positive integer.*got ${id}`));
  });

  test('rejects bad revisions, names, duplicates and folders', () => {
    const chart = Testing.chart();
    const datasource = datasourceIn(chart);
    const dashboards = new IstioDashboards(chart, 'dashboards', { datasource });
    expect(() => dashboards.addDashboard({ id: 1, revision: 0, name: 'custom' })).toThrow(/revision of dashboard custom must be a positive integer.*got 0/);
    expect(() => IstioDashboard.MESH.withRevision(2.5)).toThrow(/revision of dashboard istio-mesh.*2\.5/);
    expect(() => dashboards.addDashboard({ id: 1, name: 'Custom' })).toThrow(/dashboard name.*'Custom'/);
    expect(() => dashboards.addDashboard({ id: 1, name: 'istio-mesh' })).toThrow(/'istio-mesh' is already/);
    expect(() => new IstioDashboards(chart, 'other', { datasource, folder: '' })).toThrow(/folder must not be empty/);
    expect(() => new IstioDashboards(chart, 'third', { datasource, resyncPeriod: Duration.seconds(0) })).toThrow(/resyncPeriod.*positive/);
  });
});

describe('the ztunnel dashboard', () => {
  test('is grafana.com 21306, not among the five, and never gets the five\'s shared revision', () => {
    // GIVEN a release whose revision of the five is known
    const chart = Testing.chart();
    // WHEN
    new IstioDashboards(chart, 'dashboards', {
      datasource: datasourceIn(chart), istioVersion: IstioVersion.of('1.29.0'), dashboards: [IstioDashboard.MESH, IstioDashboard.ZTUNNEL],
    });
    // THEN
    const manifests = synthValid(chart);
    expect(IstioDashboard.all()).not.toContain(IstioDashboard.ZTUNNEL);
    expect(findOne(manifests, 'GrafanaDashboard', 'istio-mesh').spec.grafanaCom).toEqual({ id: 7639, revision: 300 });
    expect(findOne(manifests, 'GrafanaDashboard', 'istio-ztunnel').spec.grafanaCom).toEqual({ id: 21306 });
    expect(findOne(synthValid(chart), 'GrafanaDashboard', 'istio-ztunnel').spec.datasources[0].inputName).toBe('DS_PROMETHEUS');
  });
});
