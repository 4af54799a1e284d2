import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../../imports/prometheus-prometheusrule-monitoring.coreos.com';
import { assertDnsLabel } from '../core/names';
import { monitoringNamespaceOf } from './istio-scrape-targets';
import { IPrometheusBackend } from './prometheus-backend';
import { assertPrometheusLabelName, prometheusDuration } from './prometheus-duration';

/**
 * The Istio standard metrics that Istio's "Observability Best Practices" aggregate to workload
 * level, in the guide's order. Each becomes `workload:<metric>`.
 */
export const ISTIO_WORKLOAD_AGGREGATED_METRICS: readonly string[] = [
  'istio_requests_total',
  'istio_request_duration_milliseconds_count',
  'istio_request_duration_milliseconds_sum',
  'istio_request_duration_milliseconds_bucket',
  'istio_request_bytes_count',
  'istio_request_bytes_sum',
  'istio_request_bytes_bucket',
  'istio_response_bytes_count',
  'istio_response_bytes_sum',
  'istio_response_bytes_bucket',
  'istio_tcp_sent_bytes_total',
  'istio_tcp_received_bytes_total',
  'istio_tcp_connections_opened_total',
  'istio_tcp_connections_closed_total',
];

/**
 * The labels that tell one pod's series from another's, which the workload-level rules sum away
 * (together with `instance`).
 */
export class PodIdentityLabels {
  /**
   * `namespace` and `pod`: what prometheus-operator adds to PodMonitor and ServiceMonitor
   * targets, and what {@link IstioScrapeConfig}'s jobs add.
   */
  public static readonly KUBERNETES = new PodIdentityLabels(['namespace', 'pod']);
  /**
   * `kubernetes_namespace` and `kubernetes_pod_name`: the labels of older Prometheus Helm chart
   * jobs, which Istio's guide writes its rules for.
   */
  public static readonly LEGACY_HELM = new PodIdentityLabels(['kubernetes_namespace', 'kubernetes_pod_name']);

  /**
   * Other labels, for scrape jobs that name them differently.
   * @throws if a name is not a Prometheus label name, or none is given
   */
  public static custom(...labels: string[]): PodIdentityLabels {
    if (labels.length === 0) {
      throw new Error('PodIdentityLabels.custom needs at least one label name');
    }
    labels.forEach((label, index) => assertPrometheusLabelName(`PodIdentityLabels.custom label ${index}`, label));
    return new PodIdentityLabels(labels);
  }

  private constructor(public readonly labels: readonly string[]) {}
}

/** One recording rule. */
export interface RecordingRule {
  /** Name of the recorded series. */
  readonly record: string;
  /** PromQL expression. */
  readonly expr: string;
}

/** Props of an {@link IstioRecordingRules}. */
export interface IstioRecordingRulesProps {
  /** The Prometheus that evaluates the rules; the rule object carries its selector labels. */
  readonly prometheus: IPrometheusBackend;
  /** How often the rules are evaluated. @default Duration.seconds(5) (Istio's guide) */
  readonly evaluationInterval?: Duration;
  /** Per-pod labels summed away, as the scrape jobs name them. @default PodIdentityLabels.KUBERNETES */
  readonly podIdentityLabels?: PodIdentityLabels;
  /** Name of the PrometheusRule. @default 'istio-metrics-aggregation' (the name in Istio's guide) */
  readonly name?: string;
  /** Namespace of the PrometheusRule. @default - the Prometheus' namespace */
  readonly namespace?: string;
}

/**
 * The workload-level aggregation of Istio's "Using Prometheus for production-scale monitoring":
 * a PrometheusRule that records `workload:<metric>` for each Istio standard metric, summed over
 * instances and pods. A production Prometheus then federates only the `workload:` series.
 *
 * Istio's guide sums away `kubernetes_namespace` and `kubernetes_pod_name`, which scrape jobs
 * run by prometheus-operator never add: the default here is the `namespace` and `pod` they do
 * add, and {@link PodIdentityLabels.LEGACY_HELM} gives the guide's exact expressions.
 */
export class IstioRecordingRules extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  /** The rules, in evaluation order. */
  public readonly rules: readonly RecordingRule[];
  /** The generated PrometheusRule. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: IstioRecordingRulesProps) {
    super(scope, id);
    this.name = props.name ?? 'istio-metrics-aggregation';
    assertDnsLabel('name', this.name);
    this.namespace = monitoringNamespaceOf(this, 'IstioRecordingRules', props.prometheus, props.namespace);
    const interval = prometheusDuration('evaluationInterval', props.evaluationInterval ?? Duration.seconds(5));
    const summedAway = ['instance', ...(props.podIdentityLabels ?? PodIdentityLabels.KUBERNETES).labels].join(', ');
    this.rules = ISTIO_WORKLOAD_AGGREGATED_METRICS.map((metric) => ({
      record: `workload:${metric}`,
      expr: `sum without(${summedAway}) (${metric})`,
    }));

    this.resource = new PrometheusRule(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: { ...props.prometheus.monitorSelectorLabels } },
      spec: {
        groups: [{
          // The group name of the guide's PrometheusRule.
          name: 'istio.metricsAggregation-rules',
          interval,
          rules: this.rules.map((rule) => ({ record: rule.record, expr: PrometheusRuleSpecGroupsRulesExpr.fromString(rule.expr) })),
        }],
      },
    });
  }
}
