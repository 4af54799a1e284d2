import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  PodMonitor, PodMonitorProps, PodMonitorSpecPodMetricsEndpointsRelabelingsAction, PodMonitorSpecSelectorMatchExpressions,
} from '../../imports/prometheus-podmonitor-monitoring.coreos.com';
import { assertDnsLabel } from '../core/names';
import { plainApiObject } from '../core/plain-api-object';
import { checkedNamespaces, ENVOY_PROM_PORT_NAME_REGEX, ENVOY_STATS_PATH, monitoringNamespaceOf } from './istio-scrape-targets';
import { IPrometheusBackend } from './prometheus-backend';
import { prometheusDuration } from './prometheus-duration';

/** Props of an {@link EnvoyStatsPodMonitor}. */
export interface EnvoyStatsPodMonitorProps {
  /** The Prometheus that loads the monitor; the monitor carries its selector labels. */
  readonly prometheus: IPrometheusBackend;
  /** Namespaces whose proxies are scraped. @default - every namespace */
  readonly namespaces?: readonly string[];
  /** How often each proxy is scraped. @default Duration.seconds(15) */
  readonly scrapeInterval?: Duration;
  /** Name of the PodMonitor. @default 'envoy-stats' */
  readonly name?: string;
  /** Namespace of the PodMonitor. @default - the Prometheus' namespace */
  readonly namespace?: string;
}

/**
 * A PodMonitor for the Envoy proxies of the mesh (sidecars and gateways): the prometheus-operator
 * form of the `envoy-stats` job of Istio's guide. It scrapes `/stats/prometheus` on every
 * container port named `*-envoy-prom`; a pod labelled `istio-prometheus-ignore` opts out, as in
 * Istio's sample monitors.
 */
export class EnvoyStatsPodMonitor extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  /** The generated PodMonitor. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: EnvoyStatsPodMonitorProps) {
    super(scope, id);
    this.name = props.name ?? 'envoy-stats';
    assertDnsLabel('name', this.name);
    this.namespace = monitoringNamespaceOf(this, 'EnvoyStatsPodMonitor', props.prometheus, props.namespace);
    const namespaces = checkedNamespaces('namespaces', props.namespaces);
    const optOut: PodMonitorSpecSelectorMatchExpressions = { key: 'istio-prometheus-ignore', operator: 'DoesNotExist' };

    this.resource = plainApiObject<PodMonitorProps>(this, 'Resource', PodMonitor.GVK, {
      metadata: { name: this.name, namespace: this.namespace, labels: { ...props.prometheus.monitorSelectorLabels } },
      spec: {
        selector: { matchExpressions: [optOut] },
        namespaceSelector: namespaces ? { matchNames: namespaces } : { any: true },
        // No `port`: every declared container port is a candidate, and the relabeling keeps the
        // proxies' ports, whatever container declares them.
        podMetricsEndpoints: [{
          path: ENVOY_STATS_PATH,
          interval: prometheusDuration('scrapeInterval', props.scrapeInterval ?? Duration.seconds(15)),
          relabelings: [{
            sourceLabels: ['__meta_kubernetes_pod_container_port_name'],
            action: PodMonitorSpecPodMetricsEndpointsRelabelingsAction.KEEP,
            regex: ENVOY_PROM_PORT_NAME_REGEX,
          }],
        }],
      },
    });
  }
}
