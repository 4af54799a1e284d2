import { Construct } from 'constructs';
import { AuthorizationMode } from '../authorization/authorization-mode';
import { DEFAULT_TRUST_DOMAIN, ITrustDomainSource } from '../authorization/workload-identity';
import { ExtensionProviderService, IExtensionProviderSource, extensionProviderEgressHost } from '../core/extension-providers';
import { DataPlaneMode } from '../core/data-plane-mode';
import { SidecarInjection } from '../core/mesh-namespace';
import { assertDnsLabel } from '../core/names';
import { IServiceOwner, MeshService, MeshServiceProps } from './mesh-service';
import { SidecarScope } from './sidecar-scope';
import { DeclaredWorkload } from '../validation/mesh-analysis';
import { MeshValidation } from '../validation/mesh-validation';
import { MeshWarningCode, MeshWarnings } from '../validation/mesh-warnings';
import { WorkloadNamespace, WorkloadNamespaceOptions } from './workload-namespace';

/** Props of a {@link SidecarScoping}. */
export interface SidecarScopingProps {
  /**
   * Istio's root namespace (meshConfig.rootNamespace): where the mesh-wide default Sidecar lives,
   * and whose services every namespace sees.
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
  /**
   * Control plane revision whose injector serves the workload namespaces: they get
   * `istio.io/rev=<revision>` instead of `istio-injection=enabled`.
   * @default - none: the default revision, `istio-injection=enabled`
   */
  readonly revision?: string;
  /**
   * How the workload namespaces join the mesh, unless a namespace says otherwise: ambient
   * namespaces get `istio.io/dataplane-mode=ambient`, no injection label and no Sidecar (they
   * have no sidecars to scope). Needs a control plane with an ambient profile.
   * @default DataPlaneMode.SIDECAR
   */
  readonly dataPlane?: DataPlaneMode;
  /**
   * Namespace of istiod, which no workload namespace may be: it holds the control plane's
   * secrets and root certificate.
   * @default - the root namespace
   */
  readonly controlPlaneNamespace?: string;
  /**
   * Where the mesh's extension providers are configured: the `IstioControlPlane`. Every Sidecar
   * the scoping derives lets its proxies reach each provider's service (the tracing collector,
   * an external authorizer, ...): istiod builds no cluster for a provider outside a proxy's
   * Sidecar scope, and Envoy then rejects the listener that uses it.
   * @default - none: the mesh configuration names no extension provider
   */
  readonly extensionProviders?: IExtensionProviderSource;
  /**
   * Write the mesh-wide default Sidecar (a Sidecar without workloadSelector in the root
   * namespace). It applies to every namespace without a Sidecar of its own, the namespaces of
   * other teams too: turn it off when adding the scoping to a mesh whose other injected
   * namespaces call across namespaces, or their traffic is cut.
   * @default true
   */
  readonly meshDefaultSidecar?: boolean;
  /**
   * Least-privilege authorization from the declared calls, and how its policies act: each
   * workload namespace gets an `allow-nothing` AuthorizationPolicy and each called service an
   * ALLOW policy naming exactly its callers. A namespace can choose its own mode
   * ({@link WorkloadNamespaceOptions.authorizationMode}).
   * @default - none: no AuthorizationPolicy is derived
   */
  readonly authorization?: AuthorizationMode;
  /**
   * Where the trust domain of the principals comes from: the `IstioControlPlane`, whose merged
   * meshConfig knows `trustDomain`.
   * @default - 'cluster.local', Istio's default
   */
  readonly trustDomain?: ITrustDomainSource;
}

/**
 * The mesh's Sidecar scoping: the mesh-wide default Sidecar in the root namespace (each proxy sees
 * its own namespace and the root namespace, nothing else; optional, see
 * {@link SidecarScopingProps.meshDefaultSidecar}), and the registry of the app's
 * {@link WorkloadNamespace}s, each of which derives its own Sidecar from the dependencies it
 * declares. Every derived Sidecar also reaches the mesh's extension providers. Without it every
 * proxy holds configuration for every service of the mesh.
 */
export class SidecarScoping extends Construct {
  public readonly rootNamespace: string;
  /** Namespace of istiod. */
  public readonly controlPlaneNamespace: string;
  /** Injection labels of the workload namespaces, unless a namespace says otherwise. */
  public readonly injection: SidecarInjection;
  /** The control plane revision that serves the workload namespaces (and deploys their waypoints), if not the default. */
  public readonly revision?: string;
  /** Data plane mode of the workload namespaces, unless a namespace says otherwise. */
  public readonly dataPlane: DataPlaneMode;
  /** The mesh-wide default Sidecar (`./*` and `<root namespace>/*`), unless turned off. */
  public readonly defaultSidecar?: SidecarScope;
  /** The authorization mode of namespaces that do not choose one; undefined: authorization off. */
  public readonly authorization?: AuthorizationMode;
  private readonly namespaceMap = new Map<string, WorkloadNamespace>();
  private readonly rootOwner: IServiceOwner;
  private readonly rootServiceMap = new Map<string, MeshService>();
  private readonly extensionProviderSource?: IExtensionProviderSource;
  private readonly trustDomainSource?: ITrustDomainSource;

  constructor(scope: Construct, id: string, props: SidecarScopingProps = {}) {
    super(scope, id);
    this.rootNamespace = props.rootNamespace ?? 'istio-system';
    assertDnsLabel('rootNamespace', this.rootNamespace);
    this.controlPlaneNamespace = props.controlPlaneNamespace ?? this.rootNamespace;
    assertDnsLabel('controlPlaneNamespace', this.controlPlaneNamespace);
    this.injection = props.revision === undefined ? SidecarInjection.enabled() : SidecarInjection.revision(props.revision);
    this.dataPlane = props.dataPlane ?? DataPlaneMode.SIDECAR;
    this.revision = props.revision;
    this.extensionProviderSource = props.extensionProviders;
    this.trustDomainSource = props.trustDomain;
    this.authorization = props.authorization;
    // Read at synthesis: calls to outside namespaces are declared after construction.
    MeshValidation.of(this)._addExternalNamespaceSource(() => this.externalNamespaces);
    // The services' workloads come with the app's own manifests: the AuthorizationPolicy checks
    // must be told what their policies may select and name.
    MeshValidation.of(this)._addDeclaredWorkloadSource(() => this.declaredWorkloads);
    // A selector-less Sidecar in the root namespace is Istio's mesh-wide default: it applies to
    // every namespace without a Sidecar of its own. `.` there means each workload's own namespace.
    if (props.meshDefaultSidecar ?? true) {
      this.defaultSidecar = new SidecarScope(this, 'DefaultSidecar', {
        namespace: this.rootNamespace,
        egressHosts: ['./*', `${this.rootNamespace}/*`],
      });
      this.reachExtensionProviders(this.defaultSidecar);
      MeshWarnings.of(this).add(this, {
        code: MeshWarningCode.MESH_DEFAULT_SIDECAR,
        message: `the mesh-wide default Sidecar ${this.rootNamespace}/${this.defaultSidecar.name} applies to every injected namespace without a Sidecar of its own, also those this app does not declare, and lets their proxies reach only their own namespace and ${this.rootNamespace}`,
        fix: 'on an existing mesh whose other namespaces call each other, set meshDefaultSidecar: false (or declare those namespaces with their calls)',
      });
    }
    const rootCalls = () => {
      throw new Error(`services in the root namespace ${this.rootNamespace} cannot declare calls: its proxies use the mesh-wide default Sidecar. Give their workloads a SidecarScope with a workloadSelector instead`);
    };
    // The root namespace gets no AuthorizationPolicy from the scoping: it holds the control
    // plane and shared add-ons, whose callers the app does not declare.
    this.rootOwner = { name: this.rootNamespace, scoping: this, calls: rootCalls, _callsAs: rootCalls, _serviceCalled: () => undefined, _namespaceCalls: [] };
  }

  /** The trust domain of the mesh's principals, read from the source given (at synthesis). */
  public get trustDomain(): string {
    return this.trustDomainSource?.trustDomain ?? DEFAULT_TRUST_DOMAIN;
  }

  /** The workloads of the services declared in the workload namespaces, for the mesh analysis. */
  public get declaredWorkloads(): DeclaredWorkload[] {
    return this.namespaces.flatMap((namespace) => namespace.services.map((service) => ({
      namespace: namespace.name,
      podLabels: { ...service.selector },
      ports: service.targetPorts,
      serviceAccountName: service.serviceAccountName,
    })));
  }

  /** The ambient workload namespaces, sorted by name. */
  public get ambientNamespaces(): WorkloadNamespace[] {
    return this.namespaces.filter((namespace) => namespace.ambient);
  }

  /** The workload namespaces, sorted by name. */
  public get namespaces(): WorkloadNamespace[] {
    return [...this.namespaceMap.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * Namespaces outside the app that workload namespaces call, sorted: the output does not create
   * them, so checks of the output (externalNamespaces of the mesh analysis) must be told.
   */
  public get externalNamespaces(): string[] {
    const names = new Set<string>();
    for (const namespace of this.namespaceMap.values()) {
      namespace.externalNamespaces.forEach((name) => names.add(name));
    }
    return [...names].sort();
  }

  /**
   * The services of the mesh's extension providers, from the control plane's merged meshConfig;
   * read at synthesis (none without {@link SidecarScopingProps.extensionProviders}).
   */
  public get extensionProviderServices(): ExtensionProviderService[] {
    return this.extensionProviderSource?.extensionProviderServices() ?? [];
  }

  /**
   * Lets the proxies of `sidecar` reach every extension provider's service, resolved at synthesis.
   * The scoping does this for each Sidecar it derives; call it for a hand-written SidecarScope.
   */
  public reachExtensionProviders(sidecar: SidecarScope): void {
    sidecar.addEgressHostSource(() => this.extensionProviderServices.map(extensionProviderEgressHost));
  }

  /** Services declared in the root namespace, which every namespace sees. */
  public get rootServices(): MeshService[] {
    return [...this.rootServiceMap.values()];
  }

  /**
   * Adds a workload namespace (a child of this construct) with the scoping's injection labels
   * (the scoping's data plane mode, unless `props.dataPlane` says otherwise).
   * An `id` that names a member of JavaScript objects (`constructor`, a valid namespace name) is
   * suffixed with '_': the constructs library keeps children in a plain object, where it would
   * collide with that member.
   */
  public addNamespace(id: string, props: WorkloadNamespaceOptions): WorkloadNamespace {
    return new WorkloadNamespace(this, id in Object.prototype ? `${id}_` : id, { ...props, scoping: this });
  }

  /**
   * Declares a service in the root namespace (such as an observability add-on installed there);
   * every namespace sees it through the `<root namespace>/*` egress host.
   * @throws if the root namespace already has a service of that name
   */
  public addRootService(name: string, props: MeshServiceProps): MeshService {
    if (this.rootServiceMap.has(name)) {
      throw new Error(`root namespace ${this.rootNamespace} already declares a service named ${name}`);
    }
    const service = new MeshService(this.rootOwner, name, props);
    this.rootServiceMap.set(name, service);
    return service;
  }

  /**
   * The workload namespace named `name`, for callers that know namespaces by name (a config
   * file). Code that holds the namespace object passes it directly.
   * @throws if this scoping defines no such namespace
   */
  public namespace(name: string): WorkloadNamespace {
    const found = this.namespaceMap.get(name);
    if (found === undefined) {
      throw new Error(`the app defines no namespace '${name}' (SidecarScoping at ${this.node.path}): define it with addNamespace(), or, if it lives outside this app, call ExternalNamespace.named('${name}')`);
    }
    return found;
  }

  /**
   * Called by each {@link WorkloadNamespace} as it is created.
   * @throws if the name is the root namespace's or another workload namespace's
   */
  public registerNamespace(namespace: WorkloadNamespace): void {
    if (namespace.name === this.rootNamespace) {
      throw new Error(`${namespace.node.path}: ${namespace.name} is the mesh's root namespace, whose proxies use the mesh-wide default Sidecar; declare its services with addRootService()`);
    }
    const existing = this.namespaceMap.get(namespace.name);
    if (existing !== undefined) {
      throw new Error(`namespace ${namespace.name} is defined twice: ${existing.node.path} and ${namespace.node.path}`);
    }
    this.namespaceMap.set(namespace.name, namespace);
  }
}
