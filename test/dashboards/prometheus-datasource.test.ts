import { Duration, Testing } from 'cdk8s';
import { ExistingGrafana, ExistingPrometheus, PrometheusDatasource, PrometheusServer } from '../../lib';
import { findOne, synthValid } from '../helpers/manifests';

describe('PrometheusDatasource', () => {
  test('points Grafana at the Prometheus query endpoint, in the Grafana namespace', () => {
    // GIVEN
    const chart = Testing.chart();
    const grafana = ExistingGrafana.inCluster();
    const prometheus = ExistingPrometheus.inCluster();
    // WHEN
    const datasource = new PrometheusDatasource(chart, 'datasource', { grafana, prometheus });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const resource = findOne(manifests, 'GrafanaDatasource', 'prometheus');
    expect(resource.metadata.namespace).toBe(grafana.namespace);
    expect(resource.spec.datasource.url).toBe(prometheus.queryEndpoint.url());
    expect(resource.spec.datasource).toMatchObject({ name: 'Prometheus', type: 'prometheus', access: 'proxy', isDefault: true, jsonData: { timeInterval: '15s' } });
    expect(resource.spec.instanceSelector).toEqual({ matchLabels: grafana.instanceSelectorLabels });
    expect(datasource.instanceSelectorLabels).toBe(grafana.instanceSelectorLabels);
  });

  test('follows a rendered Prometheus and the given name and interval', () => {
    // GIVEN
    const chart = Testing.chart();
    const prometheus = new PrometheusServer(chart, 'prometheus', { namespace: 'obs' });
    // WHEN
    new PrometheusDatasource(chart, 'datasource', {
      grafana: ExistingGrafana.inCluster(), prometheus, datasourceName: 'Mesh Prometheus', isDefault: false, scrapeInterval: Duration.seconds(30),
    });
    // THEN
    const resource = findOne(synthValid(chart), 'GrafanaDatasource');
    expect(resource.spec.datasource).toMatchObject({
      url: 'http://prometheus-operated.obs:9090', name: 'Mesh Prometheus', isDefault: false, jsonData: { timeInterval: '30s' },
    });
  });

  test('rejects an empty datasource name and a bad interval', () => {
    const chart = Testing.chart();
    const props = { grafana: ExistingGrafana.inCluster(), prometheus: ExistingPrometheus.inCluster() };
    expect(() => new PrometheusDatasource(chart, 'a', { ...props, datasourceName: ' ' })).toThrow(/datasourceName must not be empty/);
    expect(() => new PrometheusDatasource(chart, 'b', { ...props, scrapeInterval: Duration.seconds(0) })).toThrow(/scrapeInterval.*positive/);
    expect(() => new PrometheusDatasource(chart, 'c', { ...props, name: 'Prometheus' })).toThrow(/name.*'Prometheus'/);
  });
});
