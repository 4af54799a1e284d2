import { assertDnsLabel } from '../core/names';

/** Istio's trust domain unless the mesh config sets `meshConfig.trustDomain`. */
export const DEFAULT_TRUST_DOMAIN = 'cluster.local';

/**
 * Where the mesh's trust domain comes from (the `IstioControlPlane`, whose merged meshConfig
 * knows `trustDomain`). Read at synthesis, so configuration added after construction counts.
 */
export interface ITrustDomainSource {
  /** The trust domain of the mesh's workload certificates: `meshConfig.trustDomain`, else `cluster.local`. */
  readonly trustDomain: string;
}

/**
 * Something whose workloads call services of the mesh, as an AuthorizationPolicy names it: a
 * service account (the `principals` of a rule) or a whole namespace (`namespaces`).
 * {@link MeshService}, {@link WorkloadNamespace}, {@link ExternalNamespace}, the ingress gateways
 * and {@link WorkloadIdentity} are callers.
 */
export interface ICaller {
  /** Namespace of the calling workloads. */
  readonly namespaceName: string;
  /**
   * Service account the calling workloads run as; undefined when any workload of the namespace
   * is meant (the policy then names the namespace).
   */
  readonly callerServiceAccountName?: string;
}

/** The SPIFFE principal of a service account as AuthorizationPolicies name it (no `spiffe://`). */
export function principalOf(trustDomain: string, namespace: string, serviceAccountName: string): string {
  return `${trustDomain}/ns/${namespace}/sa/${serviceAccountName}`;
}

/**
 * A caller known by namespace and service account only, for workloads the app does not declare
 * (another team's job, a load generator): `service.acceptCallsFrom(WorkloadIdentity.of('batch', 'reporter'))`.
 */
export class WorkloadIdentity implements ICaller {
  /**
   * @throws if `namespace` is not a DNS label or `serviceAccountName` not a DNS subdomain-safe name
   */
  public static of(namespace: string, serviceAccountName: string): WorkloadIdentity {
    assertDnsLabel('namespace of a workload identity', namespace);
    assertServiceAccountName('service account of a workload identity', serviceAccountName);
    return new WorkloadIdentity(namespace, serviceAccountName);
  }

  private constructor(public readonly namespaceName: string, public readonly callerServiceAccountName: string) {}
}

/**
 * The service account a declared service's workloads run as: the identity its callers' policies
 * name. Rendered by the library (a ServiceAccount object in the service's namespace, written
 * once authorization is on) or existing (created by the workload's own manifests, as bookinfo's
 * `bookinfo-<service>` accounts are).
 */
export class WorkloadServiceAccount {
  /**
   * A ServiceAccount the library renders; the workload's pods must run as it
   * (`spec.serviceAccountName`).
   * @param name @default - the service's name
   */
  public static rendered(name?: string): WorkloadServiceAccount {
    if (name !== undefined) {
      assertServiceAccountName('serviceAccount name', name);
    }
    return new WorkloadServiceAccount(name, true);
  }

  /** A ServiceAccount the workload's own manifests create. */
  public static existing(name: string): WorkloadServiceAccount {
    assertServiceAccountName('existing serviceAccount name', name);
    return new WorkloadServiceAccount(name, false);
  }

  private constructor(
    /** The account's name; undefined: the service's. */
    public readonly name: string | undefined,
    /** Whether the library renders the ServiceAccount object. */
    public readonly isRendered: boolean,
  ) {}
}

function assertServiceAccountName(field: string, name: string): void {
  // A ServiceAccount name is a DNS subdomain, but Istio's principal uses it as one path segment
  // and the SPIFFE ID must stay a URI: a DNS label (no dots) keeps both simple.
  assertDnsLabel(field, name);
}
