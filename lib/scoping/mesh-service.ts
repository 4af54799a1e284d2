import type { LimitedCallOptions } from '../authorization/limited-call';
import { ICaller, WorkloadServiceAccount, principalOf } from '../authorization/workload-identity';
import { Scheme, ServiceEndpoint } from '../core/service-endpoint';
import { assertLabels, assertServiceName } from '../core/names';
import { IEgressTarget } from './egress-target';
import type { SidecarScoping } from './sidecar-scoping';

/** Props of a {@link MeshService}. */
export interface MeshServiceProps {
  /** Ports of the Kubernetes Service, e.g. `[9080]`; the first is {@link MeshService.endpoint}'s default. */
  readonly ports: readonly number[];
  /**
   * The container port behind a Service port where the two differ (the Service's `targetPort`),
   * by Service port: `{ '80': 8080 }`. AuthorizationPolicies match the port the workload
   * receives the connection on, which is the target port.
   * @default - each port is its own target port
   */
  readonly targetPorts?: Readonly<Record<string, number>>;
  /**
   * The Service's selector: the pod labels of its workloads, which the service's
   * AuthorizationPolicy selects.
   * @default { app: <service name> }, the convention of bookinfo and most charts
   */
  readonly selector?: Readonly<Record<string, string>>;
  /**
   * The service account the workloads run as, which callers' policies name.
   * @default WorkloadServiceAccount.rendered(): a ServiceAccount named after the service, rendered once authorization is on
   */
  readonly serviceAccount?: WorkloadServiceAccount;
}

/** One call a service accepts: who calls, and what of it when the call is limited to L7 operations. */
export interface AcceptedCall {
  /** The calling service account or namespace. */
  readonly caller: ICaller;
  /** Ports, methods and paths of a {@link LimitedCall}; empty for a plain call (any request on the service's ports). */
  readonly operation: LimitedCallOptions;
}

/** The namespace a {@link MeshService} belongs to, which records the service's calls. */
export interface IServiceOwner {
  /** Namespace name. */
  readonly name: string;
  /** The scoping the namespace belongs to. */
  readonly scoping: SidecarScoping;
  /** Records that workloads of the namespace call `targets`. */
  calls(...targets: IEgressTarget[]): unknown;
  /**
   * Records that `caller`, one of the owner's services, calls `targets`.
   * @internal
   */
  _callsAs(caller: MeshService, targets: readonly IEgressTarget[]): void;
  /**
   * Told when `service` accepts its first call, to derive its policy.
   * @internal
   */
  _serviceCalled(service: MeshService): void;
  /**
   * Calls accepted by every service of the owner (calls of the whole namespace).
   * @internal
   */
  readonly _namespaceCalls: readonly AcceptedCall[];
}

/**
 * A Service the app runs in the mesh, declared so that Sidecar scopes and the scope report know
 * it. The Service object itself comes with the workload's own manifests (Helm chart, kustomize,
 * bookinfo.yaml...); declaring it here emits nothing.
 */
export class MeshService implements IEgressTarget, ICaller {
  public readonly name: string;
  public readonly namespaceName: string;
  public readonly ports: readonly number[];
  /** Pod labels of the service's workloads. */
  public readonly selector: Readonly<Record<string, string>>;
  /** The service account its workloads run as. */
  public readonly serviceAccountName: string;
  /** Whether the library renders the ServiceAccount (once authorization is on). */
  public readonly rendersServiceAccount: boolean;
  private readonly targetPortMap: ReadonlyMap<number, number>;
  private readonly ownAcceptedCalls: AcceptedCall[] = [];

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
    const targetPorts = new Map<number, number>();
    for (const [port, targetPort] of Object.entries(props.targetPorts ?? {})) {
      if (!this.ports.includes(Number(port))) {
        throw new Error(`targetPorts of service ${name} in namespace ${owner.name} names port ${port}, which is not one of its ports (${this.ports.join(', ')}): key targetPorts by the Service port`);
      }
      if (!Number.isInteger(targetPort) || targetPort < 1 || targetPort > 65535) {
        throw new Error(`targetPorts of service ${name} in namespace ${owner.name} must be container ports from 1 to 65535, got ${targetPort} for port ${port}`);
      }
      targetPorts.set(Number(port), targetPort);
    }
    this.targetPortMap = targetPorts;
    if (props.selector !== undefined) {
      if (Object.keys(props.selector).length === 0) {
        throw new Error(`selector of service ${name} in namespace ${owner.name} must hold at least one label: an empty selector would make its AuthorizationPolicy apply to every workload of the namespace`);
      }
      assertLabels(`selector of service ${name}`, props.selector);
    }
    this.selector = { ...(props.selector ?? { app: name }) };
    const serviceAccount = props.serviceAccount ?? WorkloadServiceAccount.rendered();
    this.serviceAccountName = serviceAccount.name ?? name;
    this.rendersServiceAccount = serviceAccount.isRendered;
  }

  /** {@link serviceAccountName}: callers are named by their service account. */
  public get callerServiceAccountName(): string {
    return this.serviceAccountName;
  }

  /** The SPIFFE principal of the service's workloads, in the scoping's trust domain (read it at synthesis). */
  public get principal(): string {
    return principalOf(this.scoping.trustDomain, this.namespaceName, this.serviceAccountName);
  }

  /** The container port of each Service port, in the order of {@link ports}, without duplicates. */
  public get targetPorts(): number[] {
    return this.targetPortsOf(this.ports);
  }

  /** The container ports behind some of the Service ports, in their order, without duplicates. */
  public targetPortsOf(ports: readonly number[]): number[] {
    return [...new Set(ports.map((port) => this.targetPortMap.get(port) ?? port))];
  }

  /** The calls the service accepts: declared to it, to its whole namespace, and {@link acceptCallsFrom}. */
  public get acceptedCalls(): AcceptedCall[] {
    return [...this.owner._namespaceCalls, ...this.ownAcceptedCalls];
  }

  /**
   * Declares callers that are not declared as services of the app (the ingress gateway that
   * routes to the service, a workload of another team): the service's AuthorizationPolicy
   * allows them. Their Sidecars are not the scoping's to widen.
   */
  public acceptCallsFrom(...callers: ICaller[]): this {
    callers.forEach((caller) => this._acceptCall(caller, {}));
    return this;
  }

  /**
   * Records a call to this service.
   * @internal
   */
  public _acceptCall(caller: ICaller, operation: LimitedCallOptions): void {
    this.ownAcceptedCalls.push({ caller, operation });
    this.owner._serviceCalled(this);
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
   * With authorization on, the callee's AuthorizationPolicy allows this service's principal
   * (also within the namespace). Wrap a target in {@link LimitedCall} to allow only some methods and
   * paths.
   */
  public calls(...targets: IEgressTarget[]): this {
    this.owner._callsAs(this, targets);
    return this;
  }
}
