import { ExistingGrafana } from '../../lib';

describe('ExistingGrafana', () => {
  test('defaults to grafana-operator\'s service for a Grafana named grafana in namespace grafana', () => {
    // WHEN
    const grafana = ExistingGrafana.inCluster();
    // THEN
    expect(grafana.internalEndpoint.url()).toBe('http://grafana-service.grafana:3000');
    expect(grafana.namespace).toBe('grafana');
    expect(grafana.instanceSelectorLabels).toEqual({ dashboards: 'grafana' });
    expect(grafana.externalUrl).toBeUndefined();
  });

  test('takes a given service, port, labels and external URL', () => {
    // WHEN
    const grafana = ExistingGrafana.inCluster({
      namespace: 'observability', serviceName: 'main-service', port: 80, instanceSelectorLabels: { grafana: 'main' }, externalUrl: 'https://grafana.example.com',
    });
    // THEN
    expect(grafana.internalEndpoint.address).toBe('main-service.observability:80');
    expect(grafana.instanceSelectorLabels).toEqual({ grafana: 'main' });
    expect(grafana.externalUrl).toBe('https://grafana.example.com');
  });

  test('rejects bad names, ports and URLs', () => {
    expect(() => ExistingGrafana.inCluster({ namespace: 'Grafana' })).toThrow(/namespace.*'Grafana'/);
    expect(() => ExistingGrafana.inCluster({ port: 0 })).toThrow(/port.*0/);
    expect(() => ExistingGrafana.inCluster({ externalUrl: 'grafana.example.com' })).toThrow(/externalUrl must be an absolute URL/);
  });
});
