import { Testing } from 'cdk8s';
import { GrafanaInstance } from '../../lib';
import { findOne, synthValid } from '../helpers/manifests';

describe('GrafanaInstance', () => {
  test('renders a Grafana labelled for its instanceSelector, without anonymous access', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const grafana = new GrafanaInstance(chart, 'grafana', { externalUrl: 'https://grafana.example.com' });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const resource = findOne(manifests, 'Grafana', 'grafana');
    expect(resource.metadata.namespace).toBe('grafana');
    expect(resource.metadata.labels).toEqual(grafana.instanceSelectorLabels);
    expect(resource.spec.config['auth.anonymous']).toEqual({ enabled: 'false' });
    expect(resource.spec.config.server).toEqual({ root_url: 'https://grafana.example.com' });
    expect(grafana.internalEndpoint.url()).toBe('http://grafana-service.grafana:3000');
  });

  test('names its service after itself', () => {
    // WHEN
    const grafana = new GrafanaInstance(Testing.chart(), 'grafana', { name: 'mesh', namespace: 'observability' });
    // THEN
    expect(grafana.internalEndpoint.url()).toBe('http://mesh-service.observability:3000');
    expect(grafana.instanceSelectorLabels).toEqual({ dashboards: 'mesh' });
  });

  test('rejects bad names and URLs', () => {
    const chart = Testing.chart();
    expect(() => new GrafanaInstance(chart, 'a', { namespace: 'grafana_ns' })).toThrow(/namespace.*'grafana_ns'/);
    expect(() => new GrafanaInstance(chart, 'b', { externalUrl: 'ftp://grafana' })).toThrow(/externalUrl must use http/);
  });
});
