import { Duration, Testing } from 'cdk8s';
import { ExistingPrometheus, IstioRecordingRules, PodIdentityLabels, PrometheusServer } from '../../lib';
import { findOne, synthValid } from '../helpers/manifests';

describe('IstioRecordingRules', () => {
  test('records the workload-level aggregates of Istio\'s guide for the Prometheus', () => {
    // GIVEN
    const chart = Testing.chart();
    const prometheus = new PrometheusServer(chart, 'prometheus');
    // WHEN
    new IstioRecordingRules(chart, 'rules', { prometheus });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const rule = findOne(manifests, 'PrometheusRule', 'istio-metrics-aggregation');
    expect(rule.metadata.namespace).toBe(prometheus.namespace);
    expect(rule.metadata.labels).toEqual(prometheus.monitorSelectorLabels);
    const [group] = rule.spec.groups;
    expect(group.interval).toBe('5s');
    expect(group.rules.map((r: any) => r.record)).toEqual([
      'workload:istio_requests_total',
      'workload:istio_request_duration_milliseconds_count',
      'workload:istio_request_duration_milliseconds_sum',
      'workload:istio_request_duration_milliseconds_bucket',
      'workload:istio_request_bytes_count',
      'workload:istio_request_bytes_sum',
      'workload:istio_request_bytes_bucket',
      'workload:istio_response_bytes_count',
      'workload:istio_response_bytes_sum',
      'workload:istio_response_bytes_bucket',
      'workload:istio_tcp_sent_bytes_total',
      'workload:istio_tcp_received_bytes_total',
      'workload:istio_tcp_connections_opened_total',
      'workload:istio_tcp_connections_closed_total',
    ]);
    expect(group.rules[0].expr).toBe('sum without(instance, namespace, pod) (istio_requests_total)');
    for (const r of group.rules) {
      expect(r.expr).toBe(`sum without(instance, namespace, pod) (${r.record.replace(/^workload:/, '')})`);
    }
  });

  test('gives the guide\'s exact expressions with its label names, at a chosen interval', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const rules = new IstioRecordingRules(chart, 'rules', {
      prometheus: ExistingPrometheus.inCluster(), podIdentityLabels: PodIdentityLabels.LEGACY_HELM, evaluationInterval: Duration.seconds(30),
    });
    // THEN
    const rule = findOne(synthValid(chart), 'PrometheusRule');
    expect(rule.spec.groups[0].interval).toBe('30s');
    expect(rule.spec.groups[0].rules[0]).toEqual({
      record: 'workload:istio_requests_total',
      expr: 'sum without(instance, kubernetes_namespace, kubernetes_pod_name) (istio_requests_total)',
    });
    expect(rules.rules).toHaveLength(14);
  });

  test('takes custom pod labels', () => {
    // WHEN
    const rules = new IstioRecordingRules(Testing.chart(), 'rules', {
      prometheus: ExistingPrometheus.inCluster(), podIdentityLabels: PodIdentityLabels.custom('ns', 'pod_name'),
    });
    // THEN
    expect(rules.rules[13].expr).toBe('sum without(instance, ns, pod_name) (istio_tcp_connections_closed_total)');
  });

  test('rejects bad intervals, label names and namespaces', () => {
    const chart = Testing.chart();
    const prometheus = ExistingPrometheus.inCluster();
    expect(() => new IstioRecordingRules(chart, 'a', { prometheus, evaluationInterval: Duration.seconds(0) })).toThrow(/evaluationInterval must be a positive/);
    expect(() => new IstioRecordingRules(chart, 'b', { prometheus, evaluationInterval: Duration.millis(0.25) })).toThrow(/evaluationInterval.*milliseconds/);
    expect(() => PodIdentityLabels.custom('pod-name')).toThrow(/label name.*'pod-name'/);
    expect(() => PodIdentityLabels.custom()).toThrow(/at least one label/);
    expect(() => new IstioRecordingRules(chart, 'c', { prometheus, namespace: 'Monitoring' })).toThrow(/namespace.*'Monitoring'/);
  });
});
