import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { PodMonitor, PodMonitorProps } from '../../imports/prometheus-podmonitor-monitoring.coreos.com';
import { assertDnsLabel } from '../core/names';
import { plainApiObject } from '../core/plain-api-object';
import { IIstioControlPlaneRef } from './istio-control-plane-ref';
import { ENVOY_STATS_PATH, ZTUNNEL_SELECTOR_LABELS, ZTUNNEL_STATS_PORT_NAME, monitoringNamespaceOf } from './istio-scrape-targets';
import { IPrometheusBackend } from './prometheus-backend';
import { prometheusDuration } from './prometheus-duration';

/** Props of a {@link ZtunnelPodMonitor}. */
export interface ZtunnelPodMonitorProps {
  /** The Prometheus that loads the monitor; the monitor carries its selector labels. */
  readonly prometheus: IPrometheusBackend;
  /** The control plane whose ztunnel is scraped: it knows ztunnel's namespace. */
  readonly controlPlane: IIstioControlPlaneRef;
  /** How often each ztunnel is scraped. @default Duration.seconds(15) */
  readonly scrapeInterval?: Duration;
  /** Name of the PodMonitor. @default 'ztunnel' */
  readonly name?: string;
  /** Namespace of the PodMonitor. @default - the Prometheus' namespace */
  readonly namespace?: string;
}

/**
 * A PodMonitor for ztunnel, the ambient data plane's node proxy: its layer 4 metrics (TCP
 * connections and bytes of every ambient pod, `istio_tcp_*` with the source and destination
 * workloads) on port `ztunnel-stats` (15020), `/stats/prometheus`. ztunnel is no Envoy, so the
 * {@link EnvoyStatsPodMonitor} (which covers sidecars, gateways and waypoints) does not select it.
 */
export class ZtunnelPodMonitor extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  /** The generated PodMonitor. */
  public readonly resource: ApiObject;

  /** @throws if the control plane runs no ztunnel */
  constructor(scope: Construct, id: string, props: ZtunnelPodMonitorProps) {
    super(scope, id);
    const ztunnelNamespace = props.controlPlane.ztunnelNamespace;
    if (ztunnelNamespace === undefined) {
      throw new Error('ZtunnelPodMonitor: the control plane runs no ztunnel (its profile is not an ambient one): use an ambient profile, or leave the monitor out');
    }
    assertDnsLabel('controlPlane.ztunnelNamespace', ztunnelNamespace);
    this.name = props.name ?? 'ztunnel';
    assertDnsLabel('name', this.name);
    this.namespace = monitoringNamespaceOf(this, 'ZtunnelPodMonitor', props.prometheus, props.namespace);
    this.resource = plainApiObject<PodMonitorProps>(this, 'Resource', PodMonitor.GVK, {
      metadata: { name: this.name, namespace: this.namespace, labels: { ...props.prometheus.monitorSelectorLabels } },
      spec: {
        selector: { matchLabels: { ...ZTUNNEL_SELECTOR_LABELS } },
        namespaceSelector: { matchNames: [ztunnelNamespace] },
        podMetricsEndpoints: [{
          port: ZTUNNEL_STATS_PORT_NAME,
          path: ENVOY_STATS_PATH,
          interval: prometheusDuration('scrapeInterval', props.scrapeInterval ?? Duration.seconds(15)),
        }],
      },
    });
  }
}
