import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AllowNothingPolicy } from '../authorization/allow-nothing-policy';
import { AuthorizationMode } from '../authorization/authorization-mode';
import { LimitedCall, LimitedCallOptions } from '../authorization/limited-call';
import { ServiceAuthorizationPolicy, WaypointHopPolicy } from '../authorization/service-authorization-policy';
import { ICaller } from '../authorization/workload-identity';
import { DataPlaneMode } from '../core/data-plane-mode';
import { MeshNamespace, MeshNamespaceProps, SidecarInjection } from '../core/mesh-namespace';
import { assertDnsLabel, assertLabels } from '../core/names';
import { IEgressTarget } from './egress-target';
import { AcceptedCall, IServiceOwner, MeshService, MeshServiceProps } from './mesh-service';
import { SidecarScope } from './sidecar-scope';
import type { SidecarScoping } from './sidecar-scoping';
import type { Waypoint } from '../ambient/waypoint';

/** Options of a workload namespace, as {@link SidecarScoping.addNamespace} takes them. */
export interface WorkloadNamespaceOptions extends MeshNamespaceProps {
  /**
   * How the namespace's derived AuthorizationPolicies act: per namespace, so that one team can
   * dry-run while another enforces.
   * @default - the scoping's {@link SidecarScopingProps.authorization}: none when it is off
   */
  readonly authorizationMode?: AuthorizationMode;
}

/** Props of a {@link WorkloadNamespace}. */
export interface WorkloadNamespaceProps extends WorkloadNamespaceOptions {
  /** The mesh's Sidecar scoping, which knows the root namespace and every other namespace. */
  readonly scoping: SidecarScoping;
}

/**
 * A namespace of the app's workloads: the Namespace with its injection labels, the services it
 * runs, what they call, and the namespace's default Sidecar derived from that. The Sidecar lets
 * the proxies see their own namespace (`./*`), the root namespace, and exactly the declared
 * dependencies (and the mesh's extension providers): least privilege by construction, widened
 * only by a `calls()` in code review.
 *
 * With authorization on, the same calls give the namespace an `allow-nothing` AuthorizationPolicy
 * and each called service a `<service>-callers` ALLOW policy naming exactly its callers, and the
 * services' ServiceAccounts are rendered (unless declared existing).
 *
 * Injection defaults to the scoping's (`istio-injection=enabled`, or `istio.io/rev=<revision>`).
 *
 * An ambient namespace ({@link DataPlaneMode.AMBIENT}, the scoping's mode unless `dataPlane`
 * says otherwise) has `istio.io/dataplane-mode=ambient`, no injection label and no Sidecar: its
 * pods have no sidecar, ztunnel (and a waypoint) get their configuration from istiod without
 * Sidecar scoping. Its declared calls are still recorded, for the diagram and for policies.
 */
export class WorkloadNamespace extends MeshNamespace implements IServiceOwner, IEgressTarget, ICaller {
  public readonly scoping: SidecarScoping;
  /** The namespace's default Sidecar; none for an ambient namespace, whose pods have no sidecar. */
  public readonly sidecar?: SidecarScope;
  /** How the namespace's AuthorizationPolicies act; undefined when authorization is off here. */
  public readonly authorizationMode?: AuthorizationMode;
  /** The namespace's default-deny policy, when authorization is on. */
  public readonly allowNothingPolicy?: AllowNothingPolicy;
  private readonly serviceMap = new Map<string, MeshService>();
  private readonly policies = new Map<string, ServiceAuthorizationPolicy>();
  /** Called services with a waypoint hop policy. */
  private readonly waypointHops = new Set<string>();
  private readonly serviceAccounts = new Map<string, MeshService>();
  private readonly namespaceCalls: AcceptedCall[] = [];
  private readonly namespaceDependencies = new Map<string, WorkloadNamespace>();
  private readonly serviceDependencies = new Map<string, MeshService>();
  private readonly externalDependencies = new Map<string, string>();
  private readonly waypointMap = new Map<string, Waypoint>();

  /**
   * @throws if the name is not a DNS-1123 label or is one of Kubernetes' own (`kube-*`), if a
   * label is not a valid Kubernetes label, or if injection is disabled
   */
  constructor(scope: Construct, id: string, props: WorkloadNamespaceProps) {
    assertDnsLabel('namespace name', props.name);
    // Kubernetes reserves the kube- prefix for its own components (kube-system, kube-public,
    // kube-node-lease). `default` is allowed: meshing it is how Istio's own getting-started runs.
    if (props.name.startsWith('kube-')) {
      throw new Error(`namespace ${props.name} is reserved for Kubernetes' own components (the kube- prefix), whose pods must not get a proxy injected or a Sidecar scope: run the app's workloads in a namespace of their own, and declare ${props.name} as an external namespace (workloads.externalNamespaces, ExternalNamespace.named('${props.name}')) to let them call it`);
    }
    // Checked before the Namespace is made: the control plane's has other labels, a conflict that
    // would hide the reason.
    if (props.name === props.scoping.controlPlaneNamespace && props.name !== props.scoping.rootNamespace) {
      throw new Error(`namespace ${props.name} is the namespace of istiod, which holds the control plane's secrets and root certificate: run the app's workloads in a namespace of their own`);
    }
    assertLabels('labels', props.labels);
    const dataPlane = props.dataPlane ?? props.scoping.dataPlane;
    const injection = props.injection ?? (dataPlane.ambient ? SidecarInjection.none() : props.scoping.injection);
    if (!dataPlane.ambient && injection.labels['istio-injection'] === 'disabled') {
      throw new Error(`namespace ${props.name} has injection disabled, so its pods get no proxy and a Sidecar would scope nothing: use SidecarInjection.enabled() or SidecarInjection.revision(...), or a plain MeshNamespace for namespaces outside the mesh`);
    }
    super(scope, id, { ...props, injection, dataPlane });
    this.scoping = props.scoping;
    this.scoping.registerNamespace(this);
    if (!dataPlane.ambient) {
      this.sidecar = new SidecarScope(this, 'Sidecar', {
        namespace: this.name,
        egressHosts: ['./*', `${this.scoping.rootNamespace}/*`],
      });
      this.scoping.reachExtensionProviders(this.sidecar);
    }
    this.authorizationMode = props.authorizationMode ?? this.scoping.authorization;
    if (this.authorizationMode !== undefined) {
      this.allowNothingPolicy = new AllowNothingPolicy(this, 'AllowNothing', { namespace: this.name, mode: this.authorizationMode });
    }
  }

  /** The waypoints that run in this namespace, in declaration order. */
  public get waypoints(): Waypoint[] {
    return [...this.waypointMap.values()];
  }

  /** The waypoint that enrolls the whole namespace, if one does. */
  public get namespaceWaypoint(): Waypoint | undefined {
    return this.waypoints.find((waypoint) => waypoint.enrollsNamespace);
  }

  /**
   * The waypoint that serves `service` at layer 7: the one it is enrolled with itself, else the
   * namespace's; none for a service that only ztunnel serves (or a sidecar namespace's).
   */
  public waypointFor(service: MeshService): Waypoint | undefined {
    return this.waypoints.find((waypoint) => waypoint.services.includes(service)) ?? this.namespaceWaypoint;
  }

  /**
   * Called by each {@link Waypoint} of this namespace as it is created.
   * @throws if the namespace has a waypoint of that name, or a second one enrolling the whole namespace
   */
  public registerWaypoint(waypoint: Waypoint): void {
    if (this.waypointMap.has(waypoint.name)) {
      throw new Error(`namespace ${this.name} already has a waypoint named ${waypoint.name}; ${waypoint.node.path} needs another name`);
    }
    const enrolling = this.namespaceWaypoint;
    if (waypoint.enrollsNamespace && enrolling) {
      throw new Error(`namespace ${this.name} is enrolled with waypoint ${enrolling.name} already (istio.io/use-waypoint takes one value): `
        + `give waypoint ${waypoint.name} enrollNamespace: false and enroll single services with useFor()`);
    }
    this.waypointMap.set(waypoint.name, waypoint);
    this.policies.forEach((_policy, serviceName) => this._addWaypointHop(this.serviceMap.get(serviceName)!));
  }

  /**
   * The waypoint that enforces layer 7 rules of calls to `service`: in an ambient namespace, the
   * one serving it if it takes traffic addressed to services (`istio.io/waypoint-for` service or
   * all); none in a sidecar namespace, whose sidecars do it themselves.
   */
  public layer7WaypointFor(service: MeshService): Waypoint | undefined {
    const waypoint = this.ambient ? this.waypointFor(service) : undefined;
    return waypoint && ['service', 'all'].includes(waypoint.trafficFor.value) ? waypoint : undefined;
  }

  /** Whether the namespace is in the ambient data plane (no sidecars, no Sidecar resource). */
  public get ambient(): boolean {
    return this.dataPlane.ambient;
  }

  /** Undefined: a namespace-level call allows every workload of the namespace (`namespaces`). */
  public get callerServiceAccountName(): undefined {
    return undefined;
  }

  /** The AuthorizationPolicies of the namespace's called services, in order of the first call. */
  public get servicePolicies(): ServiceAuthorizationPolicy[] {
    return [...this.policies.values()];
  }

  /** @internal */
  public get _namespaceCalls(): readonly AcceptedCall[] {
    return this.namespaceCalls;
  }

  public get namespaceName(): string {
    return this.name;
  }

  /** `<namespace>/*`: every service of the namespace. */
  public get egressHost(): string {
    return `${this.name}/*`;
  }

  /** The services declared in this namespace, in declaration order. */
  public get services(): MeshService[] {
    return [...this.serviceMap.values()];
  }

  /** Number of services declared in this namespace. */
  public get serviceCount(): number {
    return this.serviceMap.size;
  }

  /** Namespaces of the app this namespace calls as a whole. */
  public get calledNamespaces(): WorkloadNamespace[] {
    return [...this.namespaceDependencies.values()];
  }

  /** Single services of other namespaces of the app this namespace calls. */
  public get calledServices(): MeshService[] {
    return [...this.serviceDependencies.values()];
  }

  /** Egress hosts of dependencies outside the app (such as {@link ExternalNamespace}s), sorted. */
  public get externalHosts(): string[] {
    return [...this.externalDependencies.keys()].sort();
  }

  /** Namespaces outside the app this namespace calls, sorted. */
  public get externalNamespaces(): string[] {
    return [...new Set(this.externalDependencies.values())].sort();
  }

  /**
   * Declares a Service the namespace runs (its manifests come with the workload; nothing is
   * emitted here).
   * @throws if the namespace already has a service of that name
   */
  public addService(name: string, props: MeshServiceProps): MeshService {
    if (this.serviceMap.has(name)) {
      throw new Error(`namespace ${this.name} already declares a service named ${name}`);
    }
    const service = new MeshService(this, name, props);
    const sharing = this.serviceAccounts.get(service.serviceAccountName);
    if (sharing !== undefined && sharing.rendersServiceAccount !== service.rendersServiceAccount) {
      throw new Error(`service ${name} in namespace ${this.name} runs as service account ${service.serviceAccountName}, which service ${sharing.name} declares `
        + `${sharing.rendersServiceAccount ? 'rendered' : 'existing'}: declare it the same way for both (WorkloadServiceAccount.rendered or .existing)`);
    }
    this.serviceMap.set(name, service);
    if (sharing === undefined) {
      this.serviceAccounts.set(service.serviceAccountName, service);
      if (this.authorizationMode !== undefined && service.rendersServiceAccount) {
        new k8s.KubeServiceAccount(this, `ServiceAccount-${service.serviceAccountName}`, {
          metadata: { name: service.serviceAccountName, namespace: this.name, labels: { app: service.name } },
        });
      }
    }
    if (this.namespaceCalls.length > 0) {
      this._serviceCalled(service);
    }
    return service;
  }

  /**
   * Declares that workloads of this namespace call `targets`: another namespace of the app (all
   * its services), one service, or a namespace outside the app ({@link ExternalNamespace}).
   * Targets in this namespace or the root namespace are visible already and add nothing.
   * @throws if a target belongs to another scoping, i.e. a namespace this app does not define
   */
  public calls(...targets: IEgressTarget[]): this {
    this._callsAs(this, targets);
    return this;
  }

  /** @internal */
  public _callsAs(caller: MeshService | WorkloadNamespace, targets: readonly IEgressTarget[]): void {
    for (const target of targets) {
      this.addDependency(caller, target);
    }
  }

  /** @internal */
  public _serviceCalled(service: MeshService): void {
    if (this.authorizationMode === undefined || this.policies.has(service.name)) {
      return;
    }
    this.policies.set(service.name, new ServiceAuthorizationPolicy(this, `AuthorizationPolicy-${service.name}`, {
      service, mode: this.authorizationMode, ambient: this.ambient, waypoint: () => this.layer7WaypointFor(service),
    }));
    this._addWaypointHop(service);
  }

  /**
   * The layer-4 policy that lets the waypoint serving a called service reach its pods, once both
   * the policy and the waypoint exist (either may come first).
   * @internal
   */
  public _addWaypointHop(service: MeshService): void {
    if (this.authorizationMode === undefined || !this.policies.has(service.name) || this.waypointHops.has(service.name) || !this.layer7WaypointFor(service)) {
      return;
    }
    this.waypointHops.add(service.name);
    new WaypointHopPolicy(this, `WaypointHop-${service.name}`, { service, mode: this.authorizationMode, waypoint: () => this.layer7WaypointFor(service)! });
  }

  /**
   * Records a call of the whole namespace: every service of it, also those declared later,
   * accepts it.
   * @internal
   */
  public _acceptNamespaceCall(caller: ICaller, operation: LimitedCallOptions): void {
    this.namespaceCalls.push({ caller, operation });
    this.serviceMap.forEach((service) => this._serviceCalled(service));
  }

  private addDependency(caller: MeshService | WorkloadNamespace, called: IEgressTarget): void {
    const target = called instanceof LimitedCall ? called.target : called;
    if ((target instanceof WorkloadNamespace || target instanceof MeshService) && target.scoping !== this.scoping) {
      throw new Error(`namespace ${this.name} calls namespace ${target.namespaceName}, which the SidecarScoping at ${this.scoping.node.path} does not define (it belongs to the one at ${target.scoping.node.path}): define it with that scoping's addNamespace(), or, if it lives outside this app, call ExternalNamespace.named('${target.namespaceName}')`);
    }
    // Authorization is per call, also within the namespace, which the Sidecar's `./*` covers.
    const operation = called instanceof LimitedCall ? called.operation : {};
    if (target instanceof WorkloadNamespace) {
      target._acceptNamespaceCall(caller, operation);
    } else if (target instanceof MeshService && target.namespaceName !== this.scoping.rootNamespace) {
      target._acceptCall(caller, operation);
    }
    if (target.namespaceName === this.name || target.namespaceName === this.scoping.rootNamespace) {
      return;
    }
    this.sidecar?.addEgressHost(target.egressHost);
    if (target instanceof WorkloadNamespace) {
      this.namespaceDependencies.set(target.name, target);
    } else if (target instanceof MeshService) {
      this.serviceDependencies.set(target.fqdn, target);
    } else {
      this.externalDependencies.set(target.egressHost, target.namespaceName);
    }
  }
}
