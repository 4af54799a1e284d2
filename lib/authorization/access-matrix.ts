import type { SidecarScoping } from '../scoping/sidecar-scoping';
import { AuthorizationMode } from './authorization-mode';
import { principalOf } from './workload-identity';

/** One caller a service allows. */
export interface AllowedCaller {
  /** Namespace of the calling workloads. */
  readonly namespace: string;
  /** Their service account; undefined when the whole namespace may call. */
  readonly serviceAccount?: string;
  /** The principal the policy names; undefined for a namespace. */
  readonly principal?: string;
  /** The callee's container ports the caller may use. */
  readonly ports: readonly number[];
  /** HTTP methods the caller may use; undefined: any. */
  readonly methods?: readonly string[];
  /** Request paths the caller may use; undefined: any. */
  readonly paths?: readonly string[];
}

/** Who may call one service of a namespace with authorization on. */
export interface ServiceAccess {
  /** Namespace of the service. */
  readonly namespace: string;
  /** Service name. */
  readonly service: string;
  /** Whether the policies are enforced or in dry run. */
  readonly mode: AuthorizationMode;
  /** The service account its workloads run as (what its own callees allow). */
  readonly serviceAccount: string;
  /** Its callers, sorted by namespace, service account, ports, methods and paths; empty: nothing may call it. */
  readonly callers: readonly AllowedCaller[];
}

/**
 * Who may call whom, on which ports, methods and paths, as the derived AuthorizationPolicies
 * allow it: one entry per service of every namespace with authorization on, in a deterministic
 * order. Derived from the same declared calls as the policies, so it is what they say.
 */
export class AccessMatrix {
  /** The matrix of `scoping`'s namespaces with authorization on; read at synthesis (the trust domain). */
  public static of(scoping: SidecarScoping): AccessMatrix {
    const trustDomain = scoping.trustDomain;
    const services: ServiceAccess[] = [];
    for (const namespace of scoping.namespaces) {
      if (namespace.authorizationMode === undefined) {
        continue;
      }
      const sorted = [...namespace.services].sort((a, b) => compare(a.name, b.name));
      for (const service of sorted) {
        const callers = new Map<string, AllowedCaller>();
        for (const { caller, operation } of service.acceptedCalls) {
          const account = caller.callerServiceAccountName;
          const entry: AllowedCaller = {
            namespace: caller.namespaceName,
            ...account === undefined ? {} : { serviceAccount: account, principal: principalOf(trustDomain, caller.namespaceName, account) },
            ports: service.targetPortsOf(operation.ports ?? service.ports),
            ...operation.methods ? { methods: [...operation.methods] } : {},
            ...operation.paths ? { paths: [...operation.paths] } : {},
          };
          callers.set(callerKey(entry), entry);
        }
        services.push({
          namespace: namespace.name,
          service: service.name,
          mode: namespace.authorizationMode,
          serviceAccount: service.serviceAccountName,
          callers: [...callers.entries()].sort(([a], [b]) => compare(a, b)).map(([, entry]) => entry),
        });
      }
    }
    return new AccessMatrix(trustDomain, services);
  }

  private constructor(
    /** The trust domain of the principals. */
    public readonly trustDomain: string,
    /** One entry per service, sorted by namespace and service. */
    public readonly services: readonly ServiceAccess[],
  ) {}

  /** Whether any namespace has authorization on (otherwise nothing is written). */
  public get isEmpty(): boolean {
    return this.services.length === 0;
  }

  /** The matrix as JSON, keys in a fixed order, two-space indented, with a final newline. */
  public toJson(): string {
    return `${JSON.stringify({ trustDomain: this.trustDomain, services: this.services }, null, 2)}\n`;
  }

  /** The matrix as a Markdown page: one row per allowed caller, and a row for each service nobody may call. */
  public toMarkdown(): string {
    const rows = this.services.flatMap((access) => {
      const callee = `${access.namespace}/${access.service}`;
      const mode = access.mode === AuthorizationMode.DRY_RUN ? 'dry run' : 'enforced';
      if (access.callers.length === 0) {
        return [`| ${callee} | ${mode} | nobody (allow-nothing) | | | |`];
      }
      return access.callers.map((caller) => `| ${callee} | ${mode} | ${caller.serviceAccount === undefined ? `any workload of namespace ${caller.namespace}` : `\`${caller.principal}\``} | ${caller.ports.join(', ')} | ${caller.methods?.join(', ') ?? 'any'} | ${caller.paths?.map((p) => `\`${p}\``).join(', ') ?? 'any'} |`);
    });
    return [
      '# Access matrix',
      '',
      'Who may call whom, as the derived AuthorizationPolicies allow it: every workload namespace with',
      'authorization on has an `allow-nothing` policy, so a call that is not a row below is refused',
      '(in dry run: counted as `shadow_denied` and let through). Ports are the ports the workloads',
      `listen on (the Services' target ports). Trust domain: \`${this.trustDomain}\`.`,
      '',
      '| service | mode | may be called by | ports | methods | paths |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n');
  }

  /** The files the output stage writes into `dist/reports/`; none without authorization. */
  public files(): Record<string, string> {
    return this.isEmpty ? {} : { 'access-matrix.md': this.toMarkdown(), 'access-matrix.json': this.toJson() };
  }
}

function callerKey(caller: AllowedCaller): string {
  return JSON.stringify([caller.namespace, caller.serviceAccount ?? '', caller.ports, caller.methods ?? [], caller.paths ?? []]);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
