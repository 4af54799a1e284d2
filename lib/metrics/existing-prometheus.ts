import { ExternalEndpoint, IEndpoint } from '../core/endpoint';
import { assertLabels } from '../core/names';
import { ServiceEndpoint } from '../core/service-endpoint';
import { IPrometheusBackend } from './prometheus-backend';

/** Props of {@link ExistingPrometheus.inCluster}. */
export interface ExistingPrometheusProps {
  /** Namespace the Prometheus runs in. @default 'monitoring' */
  readonly namespace?: string;
  /**
   * Service in front of the Prometheus HTTP API. prometheus-operator creates `prometheus-operated`
   * for every `Prometheus` object; kube-prometheus-stack adds `<release>-kube-prometheus-prometheus`.
   * @default 'prometheus-operated'
   */
  readonly serviceName?: string;
  /** Port of the HTTP API on that Service. @default 9090 (prometheus-operator's `web` port) */
  readonly port?: number;
  /**
   * Labels the Prometheus selects ServiceMonitors, PodMonitors and PrometheusRules by, e.g.
   * `{ release: 'kube-prometheus-stack' }` for that chart's defaults.
   * @default - none: the Prometheus selects monitors and rules without a label
   */
  readonly monitorSelectorLabels?: Record<string, string>;
}

/** Props of {@link ExistingPrometheus.fromUrl}. */
export interface ExternalPrometheusProps {
  /** See {@link ExistingPrometheusProps.monitorSelectorLabels}. @default - none */
  readonly monitorSelectorLabels?: Record<string, string>;
}

/**
 * A Prometheus the app does not render: one already running in the cluster (typically run by
 * prometheus-operator) or one outside it. Hand it to Grafana data sources, Kiali, monitors and
 * recording rules.
 */
export class ExistingPrometheus implements IPrometheusBackend {
  /** A Prometheus in the cluster, by its Service. */
  public static inCluster(props: ExistingPrometheusProps = {}): ExistingPrometheus {
    const namespace = props.namespace ?? 'monitoring';
    const endpoint = new ServiceEndpoint({ serviceName: props.serviceName ?? 'prometheus-operated', namespace, port: props.port ?? 9090 });
    assertLabels('monitorSelectorLabels', props.monitorSelectorLabels);
    return new ExistingPrometheus(endpoint, namespace, props.monitorSelectorLabels ?? {});
  }

  /**
   * A Prometheus outside the cluster, by the URL of its HTTP API.
   * @throws if `url` is not an absolute http(s) URL
   */
  public static fromUrl(url: string, props: ExternalPrometheusProps = {}): ExistingPrometheus {
    assertLabels('monitorSelectorLabels', props.monitorSelectorLabels);
    return new ExistingPrometheus(ExternalEndpoint.fromUrl('url', url), undefined, props.monitorSelectorLabels ?? {});
  }

  private constructor(
    public readonly queryEndpoint: IEndpoint,
    public readonly namespace: string | undefined,
    public readonly monitorSelectorLabels: Readonly<Record<string, string>>,
  ) {}
}
