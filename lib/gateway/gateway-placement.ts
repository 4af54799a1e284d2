// Where a gateway's pods run, shared by both gateway kinds: the injected Deployment takes the
// fields in its pod spec, the Gateway API gateway in the Deployment patch istiod applies.
import { k8s } from 'cdk8s-plus-28';
import { assertLabels, isLabelKey, isLabelValue } from '../core/names';

/** How a gateway's pods spread over nodes and zones (`topologySpreadConstraints`). */
export enum GatewayTopologySpread {
  /**
   * At most one pod more on any node, and on any zone, than on another, where the scheduler can;
   * it still schedules on a single node or zone (kind, k3s, one-zone clusters).
   */
  PREFERRED = 'preferred',
  /**
   * Zones must stay within one pod of each other (pods stay Pending rather than pile into one
   * zone); nodes as PREFERRED. For clusters with nodes in at least two zones.
   */
  REQUIRED_ACROSS_ZONES = 'requiredAcrossZones',
  /** No constraint: the scheduler's defaults, as Istio's gateway chart. */
  NONE = 'none',
}

/** The effect of a taint a gateway pod tolerates. */
export enum TaintEffect {
  NO_SCHEDULE = 'NoSchedule',
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  NO_EXECUTE = 'NoExecute',
}

/** A taint the gateway pods tolerate, e.g. of nodes dedicated to ingress. */
export interface GatewayToleration {
  /** Taint key; leave it out, with no `value`, to tolerate every taint (of `effect`). @default - every key */
  readonly key?: string;
  /** Taint value to match; leave it out to tolerate the key with any value (`operator: Exists`). @default - any value */
  readonly value?: string;
  /** Effect to tolerate. @default - every effect */
  readonly effect?: TaintEffect;
  /** How long a pod stays on a node after a NoExecute taint appears. @default - for ever */
  readonly tolerationSeconds?: number;
}

/** Where a gateway's pods run. */
export interface GatewayPlacement {
  /**
   * Node labels a gateway node must carry (`nodeSelector`), e.g. `{ 'node-role.example.com/ingress': 'true' }`.
   * @default - any node
   */
  readonly nodeSelector?: Record<string, string>;
  /** Taints the gateway pods tolerate (`tolerations`). @default - none */
  readonly tolerations?: GatewayToleration[];
  /** How the pods spread over nodes and zones. @default GatewayTopologySpread.PREFERRED */
  readonly topologySpread?: GatewayTopologySpread;
  /**
   * Further scheduling rules (`affinity`), for what the keys above do not say: e.g. node affinity
   * with `In`/`NotIn` expressions, or co-location with other pods.
   * @default - none
   */
  readonly affinity?: k8s.Affinity;
}

/** The pod spec fields of a placement. */
export interface PodPlacementFields {
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: k8s.Toleration[];
  readonly topologySpreadConstraints?: k8s.TopologySpreadConstraint[];
  readonly affinity?: k8s.Affinity;
}

/** The same fields in the API's JSON form, for a patch istiod applies to the Deployment it generates. */
export function podPlacementJson(fields: PodPlacementFields): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  if (fields.affinity) {
    json.affinity = k8s.toJson_Affinity(fields.affinity);
  }
  if (fields.nodeSelector) {
    json.nodeSelector = fields.nodeSelector;
  }
  if (fields.tolerations) {
    json.tolerations = fields.tolerations.map((toleration) => k8s.toJson_Toleration(toleration));
  }
  if (fields.topologySpreadConstraints) {
    json.topologySpreadConstraints = fields.topologySpreadConstraints.map((constraint) => k8s.toJson_TopologySpreadConstraint(constraint));
  }
  return json;
}

const HOSTNAME_TOPOLOGY = 'kubernetes.io/hostname';
const ZONE_TOPOLOGY = 'topology.kubernetes.io/zone';

/**
 * The pod spec fields that place pods selected by `podLabels` as `placement` says.
 * @throws if a node selector label, a toleration, or tolerationSeconds is malformed
 */
export function podPlacement(placement: GatewayPlacement, podLabels: Readonly<Record<string, string>>): PodPlacementFields {
  assertLabels('placement.nodeSelector', placement.nodeSelector);
  const tolerations = (placement.tolerations ?? []).map((given, index) => checkedToleration(`placement.tolerations[${index}]`, given));
  const spread = placement.topologySpread ?? GatewayTopologySpread.PREFERRED;
  const constraint = (topologyKey: string, whenUnsatisfiable: 'ScheduleAnyway' | 'DoNotSchedule'): k8s.TopologySpreadConstraint => ({
    labelSelector: { matchLabels: { ...podLabels } },
    // Counted per ReplicaSet, so that a rollout's old pods do not skew where the new ones go.
    matchLabelKeys: ['pod-template-hash'],
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable,
  });
  const topologySpreadConstraints = spread === GatewayTopologySpread.NONE
    ? undefined
    : [
      constraint(HOSTNAME_TOPOLOGY, 'ScheduleAnyway'),
      constraint(ZONE_TOPOLOGY, spread === GatewayTopologySpread.REQUIRED_ACROSS_ZONES ? 'DoNotSchedule' : 'ScheduleAnyway'),
    ];
  const affinity = placement.affinity;
  return {
    nodeSelector: placement.nodeSelector && Object.keys(placement.nodeSelector).length > 0 ? { ...placement.nodeSelector } : undefined,
    tolerations: tolerations.length > 0 ? tolerations : undefined,
    topologySpreadConstraints,
    affinity: affinity && Object.values(affinity).some((rule) => rule !== undefined) ? affinity : undefined,
  };
}

function checkedToleration(field: string, toleration: GatewayToleration): k8s.Toleration {
  if (toleration.key !== undefined && !isLabelKey(toleration.key)) {
    throw new Error(`${field}.key must be a taint key (an optional DNS prefix and '/', then a name of at most 63 characters), got '${toleration.key}'`);
  }
  if (toleration.value !== undefined) {
    if (toleration.key === undefined) {
      throw new Error(`${field}.value needs a key: a toleration without key tolerates every taint and matches no value, got value '${toleration.value}'`);
    }
    if (!isLabelValue(toleration.value)) {
      throw new Error(`${field}.value must be a taint value (at most 63 letters, digits, '-', '_' or '.'), got '${toleration.value}'`);
    }
  }
  if (toleration.tolerationSeconds !== undefined) {
    if (toleration.effect !== TaintEffect.NO_EXECUTE) {
      throw new Error(`${field}.tolerationSeconds applies to effect NoExecute only (how long a pod stays after the taint appears), got effect ${toleration.effect ?? 'any'}`);
    }
    if (!Number.isInteger(toleration.tolerationSeconds) || toleration.tolerationSeconds < 0) {
      throw new Error(`${field}.tolerationSeconds must be a whole number of seconds, 0 or more, got ${toleration.tolerationSeconds}`);
    }
  }
  return {
    effect: toleration.effect,
    key: toleration.key,
    operator: toleration.value === undefined ? 'Exists' : 'Equal',
    tolerationSeconds: toleration.tolerationSeconds,
    value: toleration.value,
  };
}
