import { IEndpoint } from '../core/endpoint';

/** What Kiali and Grafana need from a Prometheus: where to query it. */
export interface IPrometheusBackend {
  /** The Prometheus HTTP API (port 9090 for prometheus-operator's `prometheus-operated`). */
  readonly queryEndpoint: IEndpoint;
  /** Namespace Prometheus runs in, when it runs in the cluster. */
  readonly namespace?: string;
  /**
   * Labels a ServiceMonitor, PodMonitor or PrometheusRule must carry for this Prometheus to pick
   * it up (its `serviceMonitorSelector`, `podMonitorSelector` and `ruleSelector`), when it is run
   * by prometheus-operator. Monitors and rules built for this Prometheus copy them.
   */
  readonly monitorSelectorLabels?: Readonly<Record<string, string>>;
}
