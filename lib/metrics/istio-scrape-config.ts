import { ApiObject, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as yaml from 'js-yaml';
import { assertDnsLabel } from '../core/names';
import { IIstioControlPlaneRef } from './istio-control-plane-ref';
import {
  checkedNamespaces, ENVOY_PROM_PORT_NAME_REGEX, ENVOY_STATS_PATH, FINISHED_POD_PHASES_REGEX, istioNamespaceOf,
  ISTIOD_MONITORING_PORT_NAME, ISTIOD_SELECTOR_LABELS, ISTIOD_TARGET_LABEL, monitoringNamespaceOf, REVISION_TAG_LABEL,
  ZTUNNEL_SELECTOR_LABELS, ZTUNNEL_STATS_PORT_NAME,
} from './istio-scrape-targets';
import { IPrometheusBackend } from './prometheus-backend';
import { prometheusDuration } from './prometheus-duration';

/** Options of {@link IstioScrapeConfig} that do not depend on the Prometheus. */
export interface IstioScrapeConfigOptions {
  /** The control plane whose istiod is scraped. @default - istiod in `istio-system` */
  readonly controlPlane?: IIstioControlPlaneRef;
  /** Namespaces whose proxies are scraped. @default - every namespace */
  readonly namespaces?: readonly string[];
  /** How often each target is scraped. @default Duration.seconds(15) */
  readonly scrapeInterval?: Duration;
  /** Name of the Secret. @default 'additional-scrape-configs' */
  readonly secretName?: string;
}

/** Props of an {@link IstioScrapeConfig}. */
export interface IstioScrapeConfigProps extends IstioScrapeConfigOptions {
  /** The Prometheus that loads the jobs; the Secret goes to its namespace. */
  readonly prometheus: IPrometheusBackend;
}

/** A key of a Secret, in the form of a Kubernetes `SecretKeySelector`. */
export interface SecretKeyReference {
  /** Secret name. */
  readonly name: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/** One Prometheus `scrape_config`, as plain data. */
export type ScrapeJob = Readonly<Record<string, unknown>>;

/**
 * The scrape jobs of Istio's Prometheus integration guide ("Option 2: customized scraping
 * configurations") as a Secret that prometheus-operator appends to the generated configuration
 * through a `Prometheus` object's `spec.additionalScrapeConfigs`:
 * - `istiod`: the `http-monitoring` port of the `istio=pilot` Services in the control plane
 *   namespace (`istiod`, or `istiod-<revision>`: every revision, each once; revision tag Services
 *   are left out, they front the same pods), with the Service's `app` label (`istiod`) that
 *   Istio's dashboards select by;
 * - `envoy-stats`: every container port named `*-envoy-prom` (sidecars, gateways and ambient
 *   waypoints), on `/stats/prometheus`;
 * - `ztunnel`, when the control plane runs the ambient data plane: the `ztunnel-stats` port
 *   (15020) of the `app: ztunnel` pods in ztunnel's namespace, on `/stats/prometheus`.
 * The jobs add the `namespace` and `pod` labels that prometheus-operator's monitors add, so
 * recording rules and dashboards work the same with either form. {@link PrometheusServer} wires
 * the Secret itself; for a Prometheus managed elsewhere, point its `additionalScrapeConfigs` at
 * {@link secretKeyReference}.
 */
export class IstioScrapeConfig extends Construct {
  /** Where the jobs are: the Secret and its key. */
  public readonly secretKeyReference: SecretKeyReference;
  /** Namespace of the Secret (the Prometheus' own). */
  public readonly namespace: string;
  /** The jobs, in the order they appear in the Secret. */
  public readonly jobs: readonly ScrapeJob[];
  /** The generated Secret. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: IstioScrapeConfigProps) {
    super(scope, id);
    this.namespace = monitoringNamespaceOf(this, 'IstioScrapeConfig', props.prometheus, undefined);
    const secretName = props.secretName ?? 'additional-scrape-configs';
    assertDnsLabel('secretName', secretName);
    const scrapeInterval = prometheusDuration('scrapeInterval', props.scrapeInterval ?? Duration.seconds(15));
    const istioNamespace = istioNamespaceOf(props.controlPlane);
    const ztunnelNamespace = props.controlPlane?.ztunnelNamespace;
    if (ztunnelNamespace !== undefined) {
      assertDnsLabel('controlPlane.ztunnelNamespace', ztunnelNamespace);
    }
    const namespaces = checkedNamespaces('namespaces', props.namespaces);

    this.jobs = [
      {
        job_name: 'istiod',
        scrape_interval: scrapeInterval,
        kubernetes_sd_configs: [{ role: 'endpoints', namespaces: { names: [istioNamespace] } }],
        relabel_configs: [
          {
            source_labels: [...Object.keys(ISTIOD_SELECTOR_LABELS).map((label) => serviceLabelMeta(label)), '__meta_kubernetes_endpoint_port_name'],
            action: 'keep',
            regex: [...Object.values(ISTIOD_SELECTOR_LABELS), ISTIOD_MONITORING_PORT_NAME].join(';'),
          },
          { source_labels: [serviceLabelMeta(REVISION_TAG_LABEL, 'labelpresent')], action: 'drop', regex: 'true' },
          { source_labels: [serviceLabelMeta(ISTIOD_TARGET_LABEL)], action: 'replace', target_label: ISTIOD_TARGET_LABEL },
          ...podIdentityRelabels(),
        ],
      },
      {
        job_name: 'envoy-stats',
        scrape_interval: scrapeInterval,
        metrics_path: ENVOY_STATS_PATH,
        kubernetes_sd_configs: [namespaces ? { role: 'pod', namespaces: { names: namespaces } } : { role: 'pod' }],
        relabel_configs: [
          { source_labels: ['__meta_kubernetes_pod_container_port_name'], action: 'keep', regex: ENVOY_PROM_PORT_NAME_REGEX },
          { source_labels: ['__meta_kubernetes_pod_phase'], action: 'drop', regex: FINISHED_POD_PHASES_REGEX },
          ...podIdentityRelabels(),
        ],
      },
      // ztunnel is no Envoy: its port is not *-envoy-prom, so it gets a job of its own.
      ...(ztunnelNamespace === undefined ? [] : [{
        job_name: 'ztunnel',
        scrape_interval: scrapeInterval,
        metrics_path: ENVOY_STATS_PATH,
        kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: [ztunnelNamespace] } }],
        relabel_configs: [
          {
            source_labels: [...Object.keys(ZTUNNEL_SELECTOR_LABELS).map((label) => podLabelMeta(label)), '__meta_kubernetes_pod_container_port_name'],
            action: 'keep',
            regex: [...Object.values(ZTUNNEL_SELECTOR_LABELS), ZTUNNEL_STATS_PORT_NAME].join(';'),
          },
          { source_labels: ['__meta_kubernetes_pod_phase'], action: 'drop', regex: FINISHED_POD_PHASES_REGEX },
          ...podIdentityRelabels(),
        ],
      }]),
    ];

    // The key name is the one of prometheus-operator's additional-scrape-config guide.
    this.secretKeyReference = { name: secretName, key: 'prometheus-additional.yaml' };
    this.resource = new k8s.KubeSecret(this, 'Resource', {
      metadata: { name: secretName, namespace: this.namespace },
      stringData: { [this.secretKeyReference.key]: yaml.dump(this.jobs, { lineWidth: -1, noRefs: true }) },
    });
  }
}

/** Kubernetes service discovery's meta label of a pod label. */
function podLabelMeta(label: string): string {
  return `__meta_kubernetes_pod_label_${label.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

/** Kubernetes service discovery's meta label of a Service label: characters outside [a-zA-Z0-9_] become `_`. */
function serviceLabelMeta(label: string, kind: 'label' | 'labelpresent' = 'label'): string {
  return `__meta_kubernetes_service_${kind}_${label.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

function podIdentityRelabels(): ScrapeJob[] {
  return [
    { source_labels: ['__meta_kubernetes_namespace'], action: 'replace', target_label: 'namespace' },
    { source_labels: ['__meta_kubernetes_pod_name'], action: 'replace', target_label: 'pod' },
  ];
}
