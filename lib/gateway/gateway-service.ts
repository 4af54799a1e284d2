// The load balancer settings of a gateway's Service, shared by both gateway kinds so that an
// injected-Deployment gateway and a Gateway API gateway take the same keys with the same checks.
import { isLabelKey } from '../core/names';

/** How the ingress gateway's Service is exposed. */
export enum GatewayServiceType {
  /** A cloud load balancer in front of the gateway: the usual way in. */
  LOAD_BALANCER = 'LoadBalancer',
  /** A port on every node, for clusters without a load balancer controller. */
  NODE_PORT = 'NodePort',
  /** Cluster-internal only, for a load balancer managed outside Kubernetes. */
  CLUSTER_IP = 'ClusterIP',
}

/** Which nodes' load balancer traffic reaches the gateway pods (the Service's `externalTrafficPolicy`). */
export enum ExternalTrafficPolicy {
  /** Any node forwards to any gateway pod; the client's address is lost to SNAT. Kubernetes' default. */
  CLUSTER = 'Cluster',
  /** Only nodes running a gateway pod take traffic, which keeps the client's source address. */
  LOCAL = 'Local',
}

/** What a gateway's Service is told beyond its ports, for the cloud's load balancer. */
export interface GatewayServiceSettings {
  /** Type of the gateway's Service. @default GatewayServiceType.LOAD_BALANCER */
  readonly serviceType?: GatewayServiceType;
  /**
   * Annotations of the gateway's Service only, for the cloud's load balancer controller, e.g.
   * `{ 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' }` or
   * `{ 'networking.gke.io/load-balancer-type': 'Internal' }`.
   * @default - none
   */
  readonly serviceAnnotations?: Record<string, string>;
  /** The Service's externalTrafficPolicy; not for ClusterIP. @default - Kubernetes' (Cluster) */
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
  /** Client CIDRs the load balancer admits (`203.0.113.0/24`); LoadBalancer only. @default - any */
  readonly loadBalancerSourceRanges?: string[];
}

/**
 * The Service's metadata annotations and spec fields for the settings, checked.
 * @throws if a setting does not apply to the Service type, or a CIDR or annotation key is malformed
 */
export function gatewayServiceFields(settings: GatewayServiceSettings): {
  readonly annotations?: Record<string, string>;
  readonly spec: { type: GatewayServiceType; externalTrafficPolicy?: ExternalTrafficPolicy; loadBalancerSourceRanges?: string[] };
} {
  const type = settings.serviceType ?? GatewayServiceType.LOAD_BALANCER;
  if (settings.externalTrafficPolicy !== undefined && type === GatewayServiceType.CLUSTER_IP) {
    throw new Error(`externalTrafficPolicy applies to LoadBalancer and NodePort Services only, got serviceType ${type}: leave it out or change serviceType`);
  }
  if (settings.loadBalancerSourceRanges !== undefined) {
    if (type !== GatewayServiceType.LOAD_BALANCER) {
      throw new Error(`loadBalancerSourceRanges applies to LoadBalancer Services only, got serviceType ${type}`);
    }
    for (const range of settings.loadBalancerSourceRanges) {
      if (!isCidr(range)) {
        throw new Error(`loadBalancerSourceRanges must hold CIDRs such as 203.0.113.0/24 or 2001:db8::/32, got '${range}'`);
      }
    }
  }
  assertAnnotationKeys('serviceAnnotations', settings.serviceAnnotations);
  const annotations = settings.serviceAnnotations && Object.keys(settings.serviceAnnotations).length > 0 ? sortedRecord(settings.serviceAnnotations) : undefined;
  const spec: { type: GatewayServiceType; externalTrafficPolicy?: ExternalTrafficPolicy; loadBalancerSourceRanges?: string[] } = { type };
  if (settings.externalTrafficPolicy !== undefined) {
    spec.externalTrafficPolicy = settings.externalTrafficPolicy;
  }
  if (settings.loadBalancerSourceRanges !== undefined) {
    spec.loadBalancerSourceRanges = [...settings.loadBalancerSourceRanges];
  }
  return { annotations, spec };
}

/** @throws unless every key is a Kubernetes annotation key and every value a string */
export function assertAnnotationKeys(field: string, annotations: Readonly<Record<string, string>> | undefined): void {
  for (const [key, value] of Object.entries(annotations ?? {})) {
    if (!isLabelKey(key) || typeof value !== 'string') {
      throw new Error(`${field} must have Kubernetes annotation keys (an optional DNS prefix and '/', then a name of at most 63 characters) and string values, got key '${key}'`);
    }
  }
}

/** The record with its keys in code-point order, so that output does not depend on input order. */
export function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function isCidr(text: string): boolean {
  const [address, prefix, ...rest] = text.split('/');
  if (rest.length > 0 || prefix === undefined || !/^[0-9]{1,3}$/.test(prefix)) {
    return false;
  }
  const bits = Number(prefix);
  if (/^[0-9]{1,3}(\.[0-9]{1,3}){3}$/.test(address)) {
    return bits <= 32 && address.split('.').every((octet) => Number(octet) <= 255);
  }
  return bits <= 128 && /^[0-9a-f:]+$/i.test(address) && address.includes(':');
}
