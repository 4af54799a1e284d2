import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Waypoint } from '../ambient/waypoint';
import { GatewayApiIngress } from '../gateway/gateway-api-ingress';
import { SidecarScoping } from './sidecar-scoping';
import { WorkloadNamespace } from './workload-namespace';

/** How much of the mesh the proxies of one namespace see, without and with Sidecar scoping. */
export interface NamespaceScope {
  /** Namespace name. */
  readonly namespace: string;
  /** Services declared in the namespace itself (visible through `./*`). */
  readonly ownServices: number;
  /** Services declared in the root namespace (visible through `<root>/*`). */
  readonly rootServices: number;
  /** Services of other namespaces of the app that the namespace declared it calls. */
  readonly dependencyServices: number;
  /** Egress hosts outside the app (not counted: the app does not know their services). */
  readonly externalHosts: readonly string[];
  /** Services the proxies see without scoping: every service the app declares. */
  readonly servicesWithoutScoping: number;
  /** Services the proxies see with scoping: own + root + dependencies. */
  readonly servicesWithScoping: number;
  /** `100 * (1 - with / without)`, one decimal; 0 when the app declares no service. */
  readonly reductionPercent: number;
}

/** Sums over all namespaces of the report. */
export interface ScopeTotals {
  /** Sum of {@link NamespaceScope.servicesWithoutScoping}. */
  readonly servicesWithoutScoping: number;
  /** Sum of {@link NamespaceScope.servicesWithScoping}. */
  readonly servicesWithScoping: number;
  /** Reduction of the sums, in percent, one decimal. */
  readonly reductionPercent: number;
}

/** A Kubernetes Service by namespace and name. */
export interface ServiceReference {
  readonly namespace: string;
  readonly name: string;
}

/**
 * The Services of the app below `scope` that proxies see unless scoped: the Service objects it
 * renders (Kiali, Jaeger, the injected gateway), and those istiod creates for its Gateway API
 * gateways (`<name>-istio`) and waypoints (`<name>`), which are in no manifest.
 */
export function renderedServices(scope: IConstruct): ServiceReference[] {
  return scope.node.findAll().flatMap((node): ServiceReference[] => {
    if (ApiObject.isApiObject(node) && node.kind === 'Service') {
      return [{ namespace: node.metadata.namespace ?? 'default', name: node.name }];
    }
    if (node instanceof Waypoint) {
      return [{ namespace: node.namespace.name, name: node.serviceName }];
    }
    return node instanceof GatewayApiIngress ? [{ namespace: node.namespace.name, name: node.serviceName }] : [];
  });
}

/** Options of {@link ScopeReport.of}. */
export interface ScopeReportOptions {
  /**
   * Services of the cluster besides those declared with `addService`/`addRootService`, e.g. the
   * Service objects the app renders for Kiali, Jaeger or a gateway: istiod sends every proxy the
   * configuration of every Service of the cluster unless a Sidecar scopes it. Those in the root
   * namespace count as root services, those in a workload namespace as its own services (and as
   * dependencies of namespaces that call it whole), the others only without scoping.
   * A Service that is also declared counts once.
   * @default - only the declared services
   */
  readonly otherServices?: readonly ServiceReference[];
}

/**
 * Per namespace, how many services its proxies would get configuration for without Sidecar
 * scoping (all of the app's services) and with it (own + root namespace + declared dependencies).
 * Counts only, in a deterministic order; the memory a proxy saves depends on far more than this.
 */
export class ScopeReport {
  /** Computes the report in time linear in namespaces, services and declared dependencies. */
  public static of(scoping: SidecarScoping, options: ScopeReportOptions = {}): ScopeReport {
    // Ambient namespaces have no sidecars to scope; their services still count for the others.
    const namespaces = scoping.namespaces.filter((ns) => !ns.ambient);
    const undeclared = undeclaredServicesByNamespace(scoping, options.otherServices ?? []);
    const countIn = (ns: WorkloadNamespace) => ns.serviceCount + (undeclared.get(ns.name) ?? 0);
    const rootServices = scoping.rootServices.length + (undeclared.get(scoping.rootNamespace) ?? 0);
    const totalServices = scoping.rootServices.length + scoping.namespaces.reduce((sum, ns) => sum + ns.serviceCount, 0)
      + [...undeclared.values()].reduce((sum, count) => sum + count, 0);
    const scopes = namespaces.map((ns) => namespaceScope(ns, countIn, rootServices, totalServices));
    const without = scopes.reduce((sum, s) => sum + s.servicesWithoutScoping, 0);
    const withScoping = scopes.reduce((sum, s) => sum + s.servicesWithScoping, 0);
    return new ScopeReport(scoping.rootNamespace, totalServices, rootServices, scopes, {
      servicesWithoutScoping: without,
      servicesWithScoping: withScoping,
      reductionPercent: reductionPercent(without, withScoping),
    }, scoping.ambientNamespaces.map((ns) => ns.name));
  }

  private constructor(
    /** Istio's root namespace. */
    public readonly rootNamespace: string,
    /** Services of the mesh (declared, and other services given), root namespace included. */
    public readonly totalServices: number,
    /** Services declared in the root namespace, which every namespace sees. */
    public readonly rootServices: number,
    /** One entry per sidecar workload namespace, sorted by name. */
    public readonly namespaces: readonly NamespaceScope[],
    /** Sums over {@link namespaces}. */
    public readonly totals: ScopeTotals,
    /**
     * The ambient workload namespaces, sorted: no sidecars, so no Sidecar resource and nothing
     * to scope (ztunnel and waypoints get their configuration from istiod without Sidecar scoping).
     */
    public readonly ambientNamespaces: readonly string[] = [],
  ) {}

  /** The report as JSON, keys in a fixed order, two-space indented, with a final newline. */
  public toJson(): string {
    const data = {
      rootNamespace: this.rootNamespace,
      totalServices: this.totalServices,
      rootServices: this.rootServices,
      namespaces: this.namespaces.map((s) => ({
        namespace: s.namespace,
        ownServices: s.ownServices,
        rootServices: s.rootServices,
        dependencyServices: s.dependencyServices,
        externalHosts: [...s.externalHosts],
        servicesWithoutScoping: s.servicesWithoutScoping,
        servicesWithScoping: s.servicesWithScoping,
        reductionPercent: s.reductionPercent,
      })),
      totals: {
        servicesWithoutScoping: this.totals.servicesWithoutScoping,
        servicesWithScoping: this.totals.servicesWithScoping,
        reductionPercent: this.totals.reductionPercent,
      },
      // Only in mixed and ambient meshes, so that a sidecar mesh's report keeps its shape.
      ...(this.ambientNamespaces.length > 0 && { ambientNamespaces: [...this.ambientNamespaces] }),
    };
    return `${JSON.stringify(data, null, 2)}\n`;
  }

  /** The report as a Markdown page: a short explanation and one table row per namespace. */
  public toMarkdown(): string {
    const lines = [
      '# Sidecar scope report',
      '',
      'Without a Sidecar resource, every Envoy proxy of an Istio mesh receives listeners, routes and',
      'clusters for every service of the mesh, and its memory grows with the mesh. The Sidecar scopes',
      'generated here limit each namespace to its own services, the root namespace',
      `(\`${this.rootNamespace}\`) and the dependencies it declares. For scale: the production guide`,
      'this library implements measured its bookinfo pods at 281–457 MiB of memory without Sidecar',
      'scoping and at 50–192 MiB with it.',
      'The table below counts services, not memory: what a proxy saves in your mesh depends on the',
      'services, endpoints and routes behind each of them.',
      '',
      `Services in the mesh: ${this.totalServices} (${this.rootServices} in the root namespace).`,
      '',
      '| namespace | own services | root namespace services | dependency services | external hosts | without scoping | with scoping | reduction |',
      '| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
      ...this.namespaces.map((s) => `| ${s.namespace} | ${s.ownServices} | ${s.rootServices} | ${s.dependencyServices} | ${formatHosts(s.externalHosts)} | ${s.servicesWithoutScoping} | ${s.servicesWithScoping} | ${formatPercent(s.reductionPercent)} |`),
      `| **total** | | | | | ${this.totals.servicesWithoutScoping} | ${this.totals.servicesWithScoping} | ${formatPercent(this.totals.reductionPercent)} |`,
      '',
      ...(this.ambientNamespaces.length > 0 ? [
        `Ambient namespaces (not in the table): ${this.ambientNamespaces.map((name) => `\`${name}\``).join(', ')}. Their pods have no`,
        'sidecar, so they get no Sidecar resource and there is nothing to scope: the node\'s ztunnel carries',
        'their traffic at layer 4, and a waypoint, where the namespace has one, at layer 7.',
        '',
      ] : []),
    ];
    return lines.join('\n');
  }

  /** The files the output stage writes into `dist/`. */
  public files(): Record<string, string> {
    return { 'scope-report.md': this.toMarkdown(), 'scope-report.json': this.toJson() };
  }
}

/** Per namespace, how many of `services` the scoping does not declare already. */
function undeclaredServicesByNamespace(scoping: SidecarScoping, services: readonly ServiceReference[]): Map<string, number> {
  const declared = new Set([...scoping.rootServices, ...scoping.namespaces.flatMap((ns) => ns.services)]
    .map((service) => `${service.namespaceName}/${service.name}`));
  const counted = new Set<string>();
  const counts = new Map<string, number>();
  for (const { namespace, name } of services) {
    const key = `${namespace}/${name}`;
    if (!declared.has(key) && !counted.has(key)) {
      counted.add(key);
      counts.set(namespace, (counts.get(namespace) ?? 0) + 1);
    }
  }
  return counts;
}

function namespaceScope(ns: WorkloadNamespace, countIn: (ns: WorkloadNamespace) => number, rootServices: number, totalServices: number): NamespaceScope {
  const called = ns.calledNamespaces;
  const calledNames = new Set(called.map((c) => c.name));
  const wholeNamespaces = called.reduce((sum, c) => sum + countIn(c), 0);
  // A service of a namespace also called as a whole is already counted with its namespace.
  const singleServices = ns.calledServices.filter((s) => !calledNames.has(s.namespaceName)).length;
  const ownServices = countIn(ns);
  const dependencyServices = wholeNamespaces + singleServices;
  const servicesWithScoping = ownServices + rootServices + dependencyServices;
  return {
    namespace: ns.name,
    ownServices,
    rootServices,
    dependencyServices,
    externalHosts: ns.externalHosts,
    servicesWithoutScoping: totalServices,
    servicesWithScoping,
    reductionPercent: reductionPercent(totalServices, servicesWithScoping),
  };
}

function reductionPercent(without: number, withScoping: number): number {
  return without === 0 ? 0 : Math.round((1 - withScoping / without) * 1000) / 10;
}

function formatPercent(percent: number): string {
  return `${percent.toFixed(1)}%`;
}

function formatHosts(hosts: readonly string[]): string {
  return hosts.length === 0 ? '–' : hosts.map((host) => `\`${host}\``).join(', ');
}
