import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ServiceMonitor } from '../../imports/prometheus-servicemonitor-monitoring.coreos.com';
import { assertDnsLabel } from '../core/names';
import { IIstioControlPlaneRef } from './istio-control-plane-ref';
import {
  istioNamespaceOf, ISTIOD_MONITORING_PORT_NAME, ISTIOD_SELECTOR_LABELS, ISTIOD_TARGET_LABEL, monitoringNamespaceOf, REVISION_TAG_LABEL,
} from './istio-scrape-targets';
import { IPrometheusBackend } from './prometheus-backend';
import { prometheusDuration } from './prometheus-duration';

/** Props of an {@link IstiodServiceMonitor}. */
export interface IstiodServiceMonitorProps {
  /** The Prometheus that loads the monitor; the monitor carries its selector labels. */
  readonly prometheus: IPrometheusBackend;
  /** The control plane whose istiod is scraped. @default - istiod in `istio-system` */
  readonly controlPlane?: IIstioControlPlaneRef;
  /** How often istiod is scraped. @default Duration.seconds(15) */
  readonly scrapeInterval?: Duration;
  /** Name of the ServiceMonitor. @default 'istiod' */
  readonly name?: string;
  /** Namespace of the ServiceMonitor. @default - the Prometheus' namespace */
  readonly namespace?: string;
}

/**
 * A ServiceMonitor for istiod: the prometheus-operator form of the `istiod` job of Istio's guide.
 * It selects the `istio=pilot` Services of the control plane namespace (`istiod` or
 * `istiod-<revision>`: every revision, each once; revision tag Services, which front the same
 * pods, are left out), scrapes their `http-monitoring` port and copies the Service's `app` label
 * (`istiod`) onto the series, as Istio's dashboards select istiod by it.
 */
export class IstiodServiceMonitor extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  /** The generated ServiceMonitor. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: IstiodServiceMonitorProps) {
    super(scope, id);
    this.name = props.name ?? 'istiod';
    assertDnsLabel('name', this.name);
    this.namespace = monitoringNamespaceOf(this, 'IstiodServiceMonitor', props.prometheus, props.namespace);

    this.resource = new ServiceMonitor(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: { ...props.prometheus.monitorSelectorLabels } },
      spec: {
        selector: {
          matchLabels: { ...ISTIOD_SELECTOR_LABELS },
          matchExpressions: [{ key: REVISION_TAG_LABEL, operator: 'DoesNotExist' }],
        },
        namespaceSelector: { matchNames: [istioNamespaceOf(props.controlPlane)] },
        targetLabels: [ISTIOD_TARGET_LABEL],
        endpoints: [{
          port: ISTIOD_MONITORING_PORT_NAME,
          interval: prometheusDuration('scrapeInterval', props.scrapeInterval ?? Duration.seconds(15)),
        }],
      },
    });
  }
}
