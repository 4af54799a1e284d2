import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Sidecar, SidecarProps } from '../../imports/istio-networking.istio.io';
import { assertDnsLabel, assertLabels } from '../core/names';
import { plainApiObject } from '../core/plain-api-object';
import { MeshValidation } from '../validation/mesh-validation';
import { assertEgressHost, canonicalEgressHosts } from './egress-host';

/** Props of a {@link SidecarScope}. */
export interface SidecarScopeProps {
  /** Namespace the Sidecar lives in and applies to. */
  readonly namespace: string;
  /**
   * Hosts the selected proxies may reach, each `namespace/dnsName` (`./*` is the own namespace,
   * `istio-system/*` a whole namespace, `shop/api.shop.svc.cluster.local` one service).
   * More can be added with {@link SidecarScope.addEgressHost}.
   */
  readonly egressHosts: readonly string[];
  /**
   * Pod labels of the workloads this Sidecar applies to.
   * @default - none: the Sidecar is the namespace's default (the root namespace's: the mesh's)
   */
  readonly workloadSelector?: Readonly<Record<string, string>>;
  /**
   * Name of the Sidecar object. Required with a `workloadSelector`.
   * @default 'default' for the namespace default
   */
  readonly name?: string;
}

/** Sidecars already defined in an app, by `<namespace>` (defaults) and `<namespace>/<name>`. */
interface SidecarRegistry {
  readonly defaults: Map<string, string>;
  readonly names: Map<string, string>;
}

// Keyed by the construct tree's root (the App), so separate apps in one process don't collide.
const registries = new WeakMap<IConstruct, SidecarRegistry>();

function registryOf(construct: IConstruct): SidecarRegistry {
  const root = construct.node.root;
  let registry = registries.get(root);
  if (!registry) {
    registry = { defaults: new Map(), names: new Map() };
    registries.set(root, registry);
  }
  return registry;
}

/**
 * One Istio `Sidecar` (networking.istio.io/v1): the set of hosts the selected proxies get
 * configuration for. Without one, every proxy holds routes and clusters for every service of the
 * mesh; scoping it to what a workload calls is what shrinks proxy memory and istiod push time.
 *
 * At most one Sidecar per namespace may omit the workloadSelector: with two, Istio applies one of
 * them arbitrarily, so a second one is an error here.
 */
export class SidecarScope extends Construct {
  public readonly namespace: string;
  public readonly name: string;
  /** The generated Sidecar object. */
  public readonly resource: ApiObject;
  private readonly hosts: string[] = [];
  private readonly hostSources: Array<() => readonly string[]> = [];

  constructor(scope: Construct, id: string, props: SidecarScopeProps) {
    super(scope, id);
    MeshValidation.of(this);
    assertDnsLabel('namespace', props.namespace);
    this.namespace = props.namespace;
    const selector = props.workloadSelector;
    if (selector !== undefined) {
      assertWorkloadSelector(selector);
      if (props.name === undefined) {
        throw new Error(`a Sidecar with a workloadSelector needs a name (the namespace default is called 'default'), at ${this.node.path}`);
      }
    }
    this.name = props.name ?? 'default';
    assertDnsLabel('Sidecar name', this.name);
    props.egressHosts.forEach((host, index) => assertEgressHost(`egressHosts[${index}]`, host));
    this.hosts.push(...props.egressHosts);
    this.register(selector === undefined);

    this.resource = plainApiObject<SidecarProps>(this, 'Resource', Sidecar.GVK, {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        // Resolved at synth time: dependencies may be added after construction.
        egress: Lazy.any({ produce: () => [{ hosts: this.egressHosts }] }),
        workloadSelector: selector === undefined ? undefined : { labels: { ...selector } },
      },
    });
  }

  /** The egress hosts in canonical order, as they are written out. */
  public get egressHosts(): string[] {
    const later = this.hostSources.flatMap((source) => source());
    later.forEach((host) => assertEgressHost(`egress host of ${this.node.path}`, host));
    return canonicalEgressHosts([...this.hosts, ...later], this.namespace);
  }

  /**
   * Lets the selected proxies reach `host` (`namespace/dnsName`).
   * @throws if `host` is not of that form
   */
  public addEgressHost(host: string): void {
    assertEgressHost('egress host', host);
    this.hosts.push(host);
  }

  /**
   * Lets the selected proxies reach the hosts `source` returns at synthesis, for hosts that are
   * known only once every construct has contributed (the control plane's extension providers).
   * Each must be of the form `namespace/dnsName`, checked when the Sidecar is written.
   */
  public addEgressHostSource(source: () => readonly string[]): void {
    this.hostSources.push(source);
  }

  private register(isDefault: boolean): void {
    const registry = registryOf(this);
    const key = `${this.namespace}/${this.name}`;
    const sameName = registry.names.get(key);
    if (sameName !== undefined) {
      throw new Error(`namespace ${this.namespace} already has a Sidecar named '${this.name}' (${sameName}); ${this.node.path} needs another name`);
    }
    if (isDefault) {
      const existing = registry.defaults.get(this.namespace);
      if (existing !== undefined) {
        throw new Error(`namespace ${this.namespace} already has a Sidecar without workloadSelector (${existing}); a second one (${this.node.path}) would leave Istio to apply one of them arbitrarily: give it a workloadSelector, or merge its egress hosts into the first`);
      }
      registry.defaults.set(this.namespace, this.node.path);
    }
    registry.names.set(key, this.node.path);
  }
}

function assertWorkloadSelector(selector: Readonly<Record<string, string>>): void {
  if (Object.keys(selector).length === 0) {
    throw new Error('workloadSelector must have at least one label; omit it to make the namespace default Sidecar');
  }
  assertLabels('workloadSelector', selector);
}
