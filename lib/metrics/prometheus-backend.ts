import { IEndpoint } from '../core/endpoint';

/** What Kiali and Grafana need from a Prometheus: where to query it. */
export interface IPrometheusBackend {
  /** The Prometheus HTTP API (port 9090 for prometheus-operator's `prometheus-operated`). */
  readonly queryEndpoint: IEndpoint;
  /** Namespace Prometheus runs in, when it runs in the cluster. */
  readonly namespace?: string;
}
