import { assertLabels, assertRequestWithinLimit, parseQuantity } from '../core/names';
import { GatewayServiceType } from '../gateway/gateway-service';

/** CPU and memory of one container, in Kubernetes quantity strings (`500m`, `2Gi`). */
export interface ComputeResources {
  /** CPU quantity, e.g. `500m`. @default - not set */
  readonly cpu?: string;
  /** Memory quantity, e.g. `2Gi`. @default - not set */
  readonly memory?: string;
}

/** Requests and limits of a component's main container. */
export interface ComponentResources {
  /** What the scheduler reserves. @default - the chart's default */
  readonly requests?: ComputeResources;
  /** The most the container may use. @default - the chart's default */
  readonly limits?: ComputeResources;
}

/** Horizontal pod autoscaling of a component. */
export interface ComponentAutoscaling {
  /** Fewest replicas. */
  readonly minReplicas: number;
  /** Most replicas; at least `minReplicas`. */
  readonly maxReplicas: number;
}

/**
 * Kubernetes settings of an installed component (the `k8s` block of an IstioOperator component;
 * for Sail, the matching chart values).
 */
export interface ComponentKubernetesSettings {
  /** Container resources. @default - the chart's default */
  readonly resources?: ComponentResources;
  /** Fixed replica count; not together with `autoscaling`. @default - the chart's default */
  readonly replicaCount?: number;
  /** Autoscaling bounds; not together with `replicaCount`. @default - the chart's default */
  readonly autoscaling?: ComponentAutoscaling;
  /** Node labels the pods must be scheduled on. @default - any node */
  readonly nodeSelector?: Record<string, string>;
  /** Extra pod annotations. @default - none */
  readonly podAnnotations?: Record<string, string>;
  /** Extra annotations of the component's Service (load balancer settings, for instance). @default - none */
  readonly serviceAnnotations?: Record<string, string>;
}

/**
 * Throws on settings the API server or the charts would reject, naming the component's field.
 */
export function assertComponentSettings(field: string, settings: ComponentKubernetesSettings | undefined): void {
  if (!settings) {
    return;
  }
  for (const kind of ['requests', 'limits'] as const) {
    for (const [resource, quantity] of Object.entries(settings.resources?.[kind] ?? {})) {
      if (quantity !== undefined) {
        parseQuantity(`${field}.resources.${kind}.${resource}`, quantity);
      }
    }
  }
  for (const resource of ['cpu', 'memory'] as const) {
    assertRequestWithinLimit(`${field}.resources`, resource, settings.resources?.requests?.[resource], settings.resources?.limits?.[resource]);
  }
  assertLabels(`${field}.nodeSelector`, settings.nodeSelector);
  if (settings.replicaCount !== undefined && settings.autoscaling !== undefined) {
    throw new Error(`${field}: set replicaCount or autoscaling, not both (autoscaling owns the replica count)`);
  }
  if (settings.replicaCount !== undefined && (!Number.isInteger(settings.replicaCount) || settings.replicaCount < 0)) {
    throw new Error(`${field}.replicaCount must be a whole number of at least 0, got ${settings.replicaCount}`);
  }
  const scaling = settings.autoscaling;
  if (scaling && (!Number.isInteger(scaling.minReplicas) || scaling.minReplicas < 1 || !Number.isInteger(scaling.maxReplicas) || scaling.maxReplicas < scaling.minReplicas)) {
    throw new Error(`${field}.autoscaling needs whole numbers with 1 <= minReplicas <= maxReplicas, got minReplicas ${scaling.minReplicas} and maxReplicas ${scaling.maxReplicas}`);
  }
}

/** The IstioOperator `k8s` block (KubernetesResourcesSpec) of a component. */
export function istioOperatorK8s(settings: ComponentKubernetesSettings | undefined, serviceType?: GatewayServiceType): Record<string, unknown> | undefined {
  const k8s: Record<string, unknown> = {
    resources: settings?.resources,
    replicaCount: settings?.replicaCount,
    hpaSpec: settings?.autoscaling && { minReplicas: settings.autoscaling.minReplicas, maxReplicas: settings.autoscaling.maxReplicas },
    nodeSelector: settings?.nodeSelector,
    podAnnotations: settings?.podAnnotations,
    serviceAnnotations: settings?.serviceAnnotations,
    service: serviceType && { type: serviceType },
  };
  const defined = Object.entries(k8s).filter(([, value]) => value !== undefined);
  return defined.length > 0 ? Object.fromEntries(defined) : undefined;
}
