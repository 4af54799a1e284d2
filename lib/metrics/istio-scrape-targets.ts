import { IConstruct } from 'constructs';
import { assertDnsLabel } from '../core/names';
import { declareExistingBackends } from '../validation/existing-backends';
import { IIstioControlPlaneRef } from './istio-control-plane-ref';
import { IPrometheusBackend } from './prometheus-backend';

// Upstream facts shared by the scrape Secret and the monitors, so that both forms always scrape
// the same targets. Internal: not re-exported from lib/index.ts.

/** Istio's default control plane namespace. */
export const DEFAULT_ISTIO_NAMESPACE = 'istio-system';
/**
 * istiod's Service carries `istio=pilot` in every revision: Istio's chart names it `istiod` for
 * the default revision and `istiod-<revision>` otherwise (Sail's revision-based updates too), so
 * istiod is selected by this label, never by the Service name.
 */
export const ISTIOD_SELECTOR_LABELS: Readonly<Record<string, string>> = { istio: 'pilot' };
/**
 * Istio's chart renders a Service `istiod-revision-tag-<tag>` per revision tag, with istiod's
 * labels and ports and the same pods behind it, plus this label: selecting it too would scrape
 * every istiod pod once more per tag.
 */
export const REVISION_TAG_LABEL = 'istio.io/tag';
/**
 * The Service label copied onto istiod's series: the Control Plane and Performance dashboards
 * select istiod by `app="istiod"` (Istio's reference ServiceMonitor sets `targetLabels: [app]`).
 */
export const ISTIOD_TARGET_LABEL = 'app';
/** istiod's metrics port (15014) is named `http-monitoring` on its Service. */
export const ISTIOD_MONITORING_PORT_NAME = 'http-monitoring';
/** The injector names the proxy's Prometheus port (15090) `http-envoy-prom` on sidecars and gateways. */
export const ENVOY_PROM_PORT_NAME_REGEX = '.*-envoy-prom';
/** ztunnel's pods carry `app: ztunnel` (its chart's DaemonSet selector). */
export const ZTUNNEL_SELECTOR_LABELS: Readonly<Record<string, string>> = { app: 'ztunnel' };
/** ztunnel serves its metrics on 15020, the container port its chart names `ztunnel-stats`. */
export const ZTUNNEL_STATS_PORT_NAME = 'ztunnel-stats';
/** Envoy serves its stats in Prometheus format on this path (ztunnel too, on its own port). */
export const ENVOY_STATS_PATH = '/stats/prometheus';
/** Pods in these phases have no proxy to scrape. */
export const FINISHED_POD_PHASES_REGEX = 'Pending|Succeeded|Failed|Completed';

/** The control plane namespace, `istio-system` unless a control plane says otherwise. */
export function istioNamespaceOf(controlPlane: IIstioControlPlaneRef | undefined): string {
  const namespace = controlPlane?.namespace ?? DEFAULT_ISTIO_NAMESPACE;
  assertDnsLabel('controlPlane.namespace', namespace);
  return namespace;
}

/** Checks a list of namespaces to scrape; undefined means every namespace. */
export function checkedNamespaces(field: string, namespaces: readonly string[] | undefined): string[] | undefined {
  if (namespaces === undefined) {
    return undefined;
  }
  if (namespaces.length === 0) {
    throw new Error(`${field} must list at least one namespace, or be left out to scrape every namespace`);
  }
  namespaces.forEach((namespace, index) => assertDnsLabel(`${field}[${index}]`, namespace));
  return [...namespaces];
}

/**
 * Where objects that configure a Prometheus go: the given namespace, else the Prometheus' own.
 * @throws when neither is known (a Prometheus outside the cluster)
 */
export function monitoringNamespaceOf(scope: IConstruct, construct: string, prometheus: IPrometheusBackend, namespace: string | undefined): string {
  // Only the Prometheus' own namespace comes from it; a given one must be rendered or declared.
  declareExistingBackends(scope, ...namespace === undefined ? [prometheus] : []);
  const resolved = namespace ?? prometheus.namespace;
  if (resolved === undefined) {
    throw new Error(`${construct}: namespace is required when the Prometheus runs outside the cluster (it has no namespace to default to)`);
  }
  assertDnsLabel(`${construct}: namespace`, resolved);
  return resolved;
}
