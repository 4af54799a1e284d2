import { Construct } from 'constructs';
import { MeshNamespace, MeshNamespaceProps } from '../core/mesh-namespace';
import { assertDnsLabel, assertLabels } from '../core/names';
import { IEgressTarget } from './egress-target';
import { IServiceOwner, MeshService, MeshServiceProps } from './mesh-service';
import { SidecarScope } from './sidecar-scope';
import type { SidecarScoping } from './sidecar-scoping';

/** Props of a {@link WorkloadNamespace}. */
export interface WorkloadNamespaceProps extends MeshNamespaceProps {
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
 * Injection defaults to the scoping's (`istio-injection=enabled`, or `istio.io/rev=<revision>`).
 */
export class WorkloadNamespace extends MeshNamespace implements IServiceOwner, IEgressTarget {
  public readonly scoping: SidecarScoping;
  /** The namespace's default Sidecar. */
  public readonly sidecar: SidecarScope;
  private readonly serviceMap = new Map<string, MeshService>();
  private readonly namespaceDependencies = new Map<string, WorkloadNamespace>();
  private readonly serviceDependencies = new Map<string, MeshService>();
  private readonly externalDependencies = new Map<string, string>();

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
    const injection = props.injection ?? props.scoping.injection;
    if (injection.labels['istio-injection'] === 'disabled') {
      throw new Error(`namespace ${props.name} has injection disabled, so its pods get no proxy and a Sidecar would scope nothing: use SidecarInjection.enabled() or SidecarInjection.revision(...), or a plain MeshNamespace for namespaces outside the mesh`);
    }
    super(scope, id, { ...props, injection });
    this.scoping = props.scoping;
    this.scoping.registerNamespace(this);
    this.sidecar = new SidecarScope(this, 'Sidecar', {
      namespace: this.name,
      egressHosts: ['./*', `${this.scoping.rootNamespace}/*`],
    });
    this.scoping.reachExtensionProviders(this.sidecar);
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
    this.serviceMap.set(name, service);
    return service;
  }

  /**
   * Declares that workloads of this namespace call `targets`: another namespace of the app (all
   * its services), one service, or a namespace outside the app ({@link ExternalNamespace}).
   * Targets in this namespace or the root namespace are visible already and add nothing.
   * @throws if a target belongs to another scoping, i.e. a namespace this app does not define
   */
  public calls(...targets: IEgressTarget[]): this {
    for (const target of targets) {
      this.addDependency(target);
    }
    return this;
  }

  private addDependency(target: IEgressTarget): void {
    if ((target instanceof WorkloadNamespace || target instanceof MeshService) && target.scoping !== this.scoping) {
      throw new Error(`namespace ${this.name} calls namespace ${target.namespaceName}, which the SidecarScoping at ${this.scoping.node.path} does not define (it belongs to the one at ${target.scoping.node.path}): define it with that scoping's addNamespace(), or, if it lives outside this app, call ExternalNamespace.named('${target.namespaceName}')`);
    }
    if (target.namespaceName === this.name || target.namespaceName === this.scoping.rootNamespace) {
      return;
    }
    this.sidecar.addEgressHost(target.egressHost);
    if (target instanceof WorkloadNamespace) {
      this.namespaceDependencies.set(target.name, target);
    } else if (target instanceof MeshService) {
      this.serviceDependencies.set(target.fqdn, target);
    } else {
      this.externalDependencies.set(target.egressHost, target.namespaceName);
    }
  }
}
