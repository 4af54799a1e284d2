import { ExistingPrometheus } from '../../lib';

describe('ExistingPrometheus', () => {
  test('defaults to prometheus-operator\'s prometheus-operated in monitoring', () => {
    // WHEN
    const prometheus = ExistingPrometheus.inCluster();
    // THEN
    expect(prometheus.queryEndpoint.url()).toBe('http://prometheus-operated.monitoring:9090');
    expect(prometheus.namespace).toBe('monitoring');
    expect(prometheus.monitorSelectorLabels).toEqual({});
  });

  test('takes a given service, port and selector labels', () => {
    // WHEN
    const prometheus = ExistingPrometheus.inCluster({
      namespace: 'kube-prometheus', serviceName: 'stack-kube-prometheus-prometheus', port: 9091, monitorSelectorLabels: { release: 'stack' },
    });
    // THEN
    expect(prometheus.queryEndpoint.address).toBe('stack-kube-prometheus-prometheus.kube-prometheus:9091');
    expect(prometheus.monitorSelectorLabels).toEqual({ release: 'stack' });
  });

  test('references a Prometheus outside the cluster by URL', () => {
    // WHEN
    const prometheus = ExistingPrometheus.fromUrl('https://prometheus.example.com/prom');
    // THEN
    expect(prometheus.queryEndpoint.url()).toBe('https://prometheus.example.com:443/prom');
    expect(prometheus.namespace).toBeUndefined();
  });

  test('rejects bad names, ports and URLs', () => {
    expect(() => ExistingPrometheus.inCluster({ namespace: 'Monitoring' })).toThrow(/namespace.*'Monitoring'/);
    expect(() => ExistingPrometheus.inCluster({ serviceName: 'prom.svc' })).toThrow(/serviceName.*'prom.svc'/);
    expect(() => ExistingPrometheus.inCluster({ port: 70000 })).toThrow(/port.*70000/);
    expect(() => ExistingPrometheus.fromUrl('prometheus:9090')).toThrow(/url must be an absolute URL/);
  });
});
