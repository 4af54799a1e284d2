import { Duration } from 'cdk8s';
import { EnvoyStatsPodMonitor, ExistingPrometheus, IstiodServiceMonitor, PrometheusServer } from '../../lib';
import { findOne, fragmentChart, synthValid } from '../helpers/manifests';

/** A Kubernetes label selector (matchLabels, and matchExpressions with In, NotIn, Exists, DoesNotExist) applied to labels. */
function selects(selector: any, labels: Record<string, string>): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  return byLabels && (selector.matchExpressions ?? []).every((expression: any) => {
    const present = expression.key in labels;
    switch (expression.operator) {
      case 'In': return present && expression.values.includes(labels[expression.key]);
      case 'NotIn': return !present || !expression.values.includes(labels[expression.key]);
      case 'Exists': return present;
      default: return !present;
    }
  });
}

describe('EnvoyStatsPodMonitor', () => {
  test('scrapes /stats/prometheus on *-envoy-prom ports in every namespace', () => {
    // GIVEN
    const chart = fragmentChart();
    const prometheus = new PrometheusServer(chart, 'prometheus', { name: 'mesh' });
    // WHEN
    new EnvoyStatsPodMonitor(chart, 'envoy', { prometheus });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const monitor = findOne(manifests, 'PodMonitor', 'envoy-stats');
    expect(monitor.metadata.namespace).toBe('monitoring');
    expect(monitor.metadata.labels).toEqual(prometheus.monitorSelectorLabels);
    expect(monitor.spec.namespaceSelector).toEqual({ any: true });
    const [endpoint] = monitor.spec.podMetricsEndpoints;
    expect(endpoint.path).toBe('/stats/prometheus');
    expect(endpoint.interval).toBe('15s');
    expect(endpoint.relabelings).toEqual([{ sourceLabels: ['__meta_kubernetes_pod_container_port_name'], action: 'keep', regex: '.*-envoy-prom' }]);
  });

  test('can be limited to some namespaces', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    new EnvoyStatsPodMonitor(chart, 'envoy', {
      prometheus: ExistingPrometheus.inCluster({ monitorSelectorLabels: { release: 'stack' } }), namespaces: ['shop'], scrapeInterval: Duration.seconds(30),
    });
    // THEN
    const monitor = findOne(synthValid(chart), 'PodMonitor');
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['shop'] });
    expect(monitor.metadata.labels).toEqual({ release: 'stack' });
    expect(monitor.spec.podMetricsEndpoints[0].interval).toBe('30s');
  });

  test('rejects bad namespaces and intervals', () => {
    const chart = fragmentChart();
    const prometheus = ExistingPrometheus.inCluster();
    expect(() => new EnvoyStatsPodMonitor(chart, 'a', { prometheus, namespaces: ['Shop'] })).toThrow(/namespaces\[0\].*'Shop'/);
    expect(() => new EnvoyStatsPodMonitor(chart, 'b', { prometheus, namespace: 'monitoring.svc' })).toThrow(/namespace.*'monitoring.svc'/);
    expect(() => new EnvoyStatsPodMonitor(chart, 'c', { prometheus, scrapeInterval: Duration.millis(0.5) })).toThrow(/scrapeInterval.*milliseconds/);
  });
});

describe('IstiodServiceMonitor', () => {
  test('scrapes http-monitoring of the istio=pilot services in the control plane namespace', () => {
    // GIVEN
    const chart = fragmentChart();
    const prometheus = new PrometheusServer(chart, 'prometheus');
    // WHEN
    new IstiodServiceMonitor(chart, 'istiod', { prometheus });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const monitor = findOne(manifests, 'ServiceMonitor', 'istiod');
    expect(monitor.metadata.labels).toEqual(prometheus.monitorSelectorLabels);
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['istio-system'] });
    expect(monitor.spec.endpoints).toEqual([{ port: 'http-monitoring', interval: '15s' }]);
  });

  test('selects istiod\'s Service under any revision, each revision once, and labels the series app="istiod"', () => {
    // GIVEN: the labels of the Services Istio's istiod chart renders (service.yaml, revision-tags-svc.yaml)
    const chart = fragmentChart();
    const istiodLabels = { 'app': 'istiod', 'istio': 'pilot', 'app.kubernetes.io/name': 'istiod' };
    const services: Record<string, Record<string, string>> = {
      'istiod': { ...istiodLabels, 'istio.io/rev': 'default' },
      'istiod-1-30-3': { ...istiodLabels, 'istio.io/rev': '1-30-3' },
      'istiod-revision-tag-prod': { ...istiodLabels, 'istio.io/rev': '1-30-3', 'istio.io/tag': 'prod' },
      'istio-ingressgateway': { app: 'istio-ingressgateway', istio: 'ingressgateway' },
    };
    // WHEN
    new IstiodServiceMonitor(chart, 'istiod', { prometheus: ExistingPrometheus.inCluster() });
    // THEN
    const monitor = findOne(synthValid(chart), 'ServiceMonitor');
    const selected = Object.entries(services).filter(([, labels]) => selects(monitor.spec.selector, labels)).map(([name]) => name);
    expect(selected).toEqual(['istiod', 'istiod-1-30-3']);
    expect(monitor.spec.targetLabels).toEqual(['app']);
  });

  test('follows the control plane namespace', () => {
    // GIVEN
    const chart = fragmentChart();
    const controlPlane = { namespace: 'istio-control' };
    // WHEN
    new IstiodServiceMonitor(chart, 'istiod', { prometheus: ExistingPrometheus.inCluster(), controlPlane, namespace: 'istio-control' });
    // THEN
    const monitor = findOne(synthValid(chart), 'ServiceMonitor');
    expect(monitor.spec.namespaceSelector.matchNames).toEqual([controlPlane.namespace]);
    expect(monitor.metadata.namespace).toBe('istio-control');
  });

  test('rejects a bad control plane namespace', () => {
    expect(() => new IstiodServiceMonitor(fragmentChart(), 'istiod', { prometheus: ExistingPrometheus.inCluster(), controlPlane: { namespace: '' } }))
      .toThrow(/controlPlane.namespace.*''/);
  });
});
