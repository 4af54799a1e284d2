import { SidecarInjection } from '../core/mesh-namespace';
import { GatewayServiceType } from '../gateway/gateway-service';
import { ComponentKubernetesSettings } from './component-settings';

/**
 * An egress gateway as install configuration: an `egressGateways` component of the
 * IstioOperator, installed by istioctl or the in-cluster operator. (With the Sail operator,
 * gateways are deployed separately; the control plane still emits their namespace.) The ingress
 * gateway is not configured here: it is an {@link IngressGateway} on every install path.
 */
export interface GatewayOptions {
  /** Whether the gateway is installed. @default true */
  readonly enabled?: boolean;
  /** Name of the gateway's Deployment and Service. @default 'istio-egressgateway' */
  readonly name?: string;
  /**
   * Namespace of the gateway, apart from the control plane so that its RBAC, quotas and network
   * policy are separate.
   * @default 'istio-egress'
   */
  readonly namespace?: string;
  /**
   * Injection label of the gateway's namespace. The gateway's proxy is injected (template
   * `gateway`), so the namespace must not have injection disabled.
   * @default SidecarInjection.enabled(), or SidecarInjection.revision(revision) when the control plane has a revision
   */
  readonly injection?: SidecarInjection;
  /** Labels of the gateway pods, which `Gateway` resources select. @default { istio: 'egressgateway' } */
  readonly labels?: Record<string, string>;
  /** Type of the gateway's Service. @default - the chart's (ClusterIP) */
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

/** The IstioOperator gateway component entry (`components.egressGateways[]`). */
export function gatewayComponent(gateway: GatewayConfig, k8s: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!gateway.enabled) {
    return { name: gateway.name, enabled: false };
  }
  return { name: gateway.name, namespace: gateway.namespace, enabled: true, label: gateway.labels, k8s };
}

/**
 * The IstioOperator's `components.ingressGateways`: the profiles' own ingress gateway
 * (`istio-ingressgateway`, on in the default profile and those built on it)
 * switched off. The ingress gateway is the {@link IngressGateway} construct on every install
 * path, an injected Deployment like Istio's `gateway` chart renders; a second one from istioctl or
 * the in-cluster operator would own the same Deployment and Service.
 */
export const PROFILE_INGRESS_GATEWAYS_OFF: ReadonlyArray<Record<string, unknown>> = [{ name: 'istio-ingressgateway', enabled: false }];
