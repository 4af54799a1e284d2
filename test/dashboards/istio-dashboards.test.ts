import { Duration, Testing } from 'cdk8s';
import { ExistingGrafana, ExistingPrometheus, GrafanaInstance, IstioDashboard, IstioDashboards, PrometheusDatasource } from '../../lib';
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
      expect(dashboard.spec.grafanaCom.revision).toBeUndefined();
    }
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
