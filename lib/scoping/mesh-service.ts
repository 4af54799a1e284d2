import { Scheme, ServiceEndpoint } from '../core/service-endpoint';
import { assertServiceName } from '../core/names';
import { IEgressTarget } from './egress-target';
import type { SidecarScoping } from './sidecar-scoping';

/** Props of a {@link MeshService}. */
export interface MeshServiceProps {
  /** Ports of the Kubernetes Service, e.g. `[9080]`; the first is {@link MeshService.endpoint}'s default. */
  readonly ports: readonly number[];
}

/** The namespace a {@link MeshService} belongs to, which records the service's calls. */
export interface IServiceOwner {
  /** Namespace name. */
  readonly name: string;
  /** The scoping the namespace belongs to. */
  readonly scoping: SidecarScoping;
  /** Records that workloads of the namespace call `targets`. */
  calls(...targets: IEgressTarget[]): unknown;
}

/**
 * A Service the app runs in the mesh, declared so that Sidecar scopes and the scope report know
 * it. The Service object itself comes with the workload's own manifests (Helm chart, kustomize,
 * bookinfo.yaml...); declaring it here emits nothing.
 */
export class MeshService implements IEgressTarget {
  public readonly name: string;
  public readonly namespaceName: string;
  public readonly ports: readonly number[];

  /** Use `addService` of a {@link WorkloadNamespace} or a {@link SidecarScoping}. */
  constructor(private readonly owner: IServiceOwner, name: string, props: MeshServiceProps) {
    assertServiceName('service name', name);
    if (props.ports.length === 0) {
      throw new Error(`service ${name} in namespace ${owner.name} needs at least one port in ports`);
    }
    for (const port of props.ports) {
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new Error(`ports of service ${name} in namespace ${owner.name} must be integers from 1 to 65535, got ${port}`);
      }
    }
    this.name = name;
    this.namespaceName = owner.name;
    this.ports = [...props.ports];
  }

  /** The scoping the service's namespace belongs to. */
  public get scoping(): SidecarScoping {
    return this.owner.scoping;
  }

  /** `<service>.<namespace>.svc.cluster.local`. */
  public get fqdn(): string {
    return `${this.name}.${this.namespaceName}.svc.cluster.local`;
  }

  /** `<namespace>/<service>.<namespace>.svc.cluster.local`: this service only. */
  public get egressHost(): string {
    return `${this.namespaceName}/${this.fqdn}`;
  }

  /**
   * The endpoint of one of the service's ports, for whoever routes to or calls it.
   * @param port one of `ports` @default the first port
   * @throws if the service has no such port
   */
  public endpoint(port: number = this.ports[0], scheme: Scheme = Scheme.HTTP): ServiceEndpoint {
    if (!this.ports.includes(port)) {
      throw new Error(`service ${this.name} in namespace ${this.namespaceName} has no port ${port} (its ports: ${this.ports.join(', ')})`);
    }
    return new ServiceEndpoint({ serviceName: this.name, namespace: this.namespaceName, port, scheme });
  }

  /**
   * Declares that this service calls `targets`. The Sidecar is per namespace, so this widens the
   * egress of the service's whole namespace; calls within the namespace need nothing (`./*`).
   */
  public calls(...targets: IEgressTarget[]): this {
    this.owner.calls(...targets);
    return this;
  }
}
