import type { ICaller } from '../authorization/workload-identity';
import { assertDnsLabel } from '../core/names';

/**
 * Something a namespace's workloads call, which its Sidecar must let them reach: a
 * {@link WorkloadNamespace}, a {@link MeshService} or an {@link ExternalNamespace}.
 */
export interface IEgressTarget {
  /** Namespace the target lives in. */
  readonly namespaceName: string;
  /** Sidecar egress host that makes the target visible: `<namespace>/*` or `<namespace>/<fqdn>`. */
  readonly egressHost: string;
}

/**
 * A namespace of the mesh that this app does not define (another team's, or a shared one), named
 * explicitly so that a typo in a dependency is an error and not a silently widened Sidecar.
 */
export class ExternalNamespace implements IEgressTarget, ICaller {
  /**
   * @throws if `name` is not a DNS-1123 label
   */
  public static named(name: string): ExternalNamespace {
    assertDnsLabel('external namespace name', name);
    return new ExternalNamespace(name);
  }

  private constructor(public readonly namespaceName: string) {}

  /** Undefined: as a caller, any workload of the namespace (`namespaces` in a policy). */
  public readonly callerServiceAccountName?: string = undefined;

  /** `<namespace>/*`: every service of the namespace. */
  public get egressHost(): string {
    return `${this.namespaceName}/*`;
  }
}
