import { SidecarInjection } from '../core/mesh-namespace';
import { GatewayServiceType } from '../gateway/ingress-gateway';
import { ComponentKubernetesSettings } from './component-settings';

/**
 * An Istio gateway as install configuration: an `ingressGateways`/`egressGateways` component of
 * the IstioOperator, installed by istioctl or the in-cluster operator. (With the Sail operator,
 * gateways are deployed separately; the control plane still emits their namespace.)
 */
export interface GatewayOptions {
  /** Whether the gateway is installed. @default true */
  readonly enabled?: boolean;
  /** Name of the gateway's Deployment and Service. @default 'istio-ingressgateway' or 'istio-egressgateway' */
  readonly name?: string;
  /**
   * Namespace of the gateway, apart from the control plane so that its RBAC, quotas and network
   * policy are separate.
   * @default 'istio-ingress' or 'istio-egress'
   */
  readonly namespace?: string;
  /**
   * Injection label of the gateway's namespace. The gateway's proxy is injected (template
   * `gateway`), so the namespace must not have injection disabled.
   * @default SidecarInjection.enabled(), or SidecarInjection.revision(revision) when the control plane has a revision
   */
  readonly injection?: SidecarInjection;
  /** Labels of the gateway pods, which `Gateway` resources select. @default { istio: 'ingressgateway' } or { istio: 'egressgateway' } */
  readonly labels?: Record<string, string>;
  /** Type of the gateway's Service. @default - the chart's (LoadBalancer for ingress, ClusterIP for egress) */
  readonly serviceType?: GatewayServiceType;
  /** Resources, replicas, scheduling of the gateway. @default - the chart's defaults */
  readonly k8s?: ComponentKubernetesSettings;
}

/** A gateway's settings with every default applied. */
export interface GatewayConfig {
  readonly enabled: boolean;
  readonly name: string;
  readonly namespace: string;
  readonly injection: SidecarInjection;
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceType?: GatewayServiceType;
  readonly k8s?: ComponentKubernetesSettings;
}

/** The IstioOperator gateway component entry (`components.ingressGateways[]` / `egressGateways[]`). */
export function gatewayComponent(gateway: GatewayConfig, k8s: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!gateway.enabled) {
    return { name: gateway.name, enabled: false };
  }
  return { name: gateway.name, namespace: gateway.namespace, enabled: true, label: gateway.labels, k8s };
}

/**
 * The `values.gateways` entry that makes istioctl's gateway chart rely on injection (template
 * `gateway`) for its proxy container, so the gateway's proxy follows the control plane's proxy
 * configuration and upgrades with it.
 */
export const INGRESS_GATEWAY_VALUES = { 'istio-ingressgateway': { injectionTemplate: 'gateway' } };
