import type { IEgressTarget } from '../scoping/egress-target';
import type { MeshService } from '../scoping/mesh-service';
import type { WorkloadNamespace } from '../scoping/workload-namespace';

/** What a limited call uses of the callee: some of its ports, HTTP methods and paths. */
export interface LimitedCallOptions {
  /**
   * Service ports the caller uses, each one the callee declares (only for a call to a service).
   * @default - every port of the callee
   */
  readonly ports?: readonly number[];
  /**
   * HTTP methods the caller uses, upper case as on the wire (`GET`, `POST`; gRPC is always `POST`).
   * @default - any method
   */
  readonly methods?: readonly string[];
  /**
   * Request paths the caller uses, in Istio's matching: exact (`/items`), prefix (`/items/*`),
   * suffix (`*.json`), any (`*`), or path templates (`/items/{*}/reviews`, `/static/{**}`).
   * Query strings are not part of the path.
   * @default - any path
   */
  readonly paths?: readonly string[];
}

/**
 * A call limited to some ports, HTTP methods and paths: `service.calls(LimitedCall.to(catalogApi, { methods: ['GET'], paths: ['/items/*'] }))`.
 * The Sidecar scope is the same as for a plain call; the callee's AuthorizationPolicy allows the
 * caller only those methods and paths (`to.operation.methods/paths`), which the callee's sidecar
 * enforces. On a port that does not speak HTTP (by the Service port's name or appProtocol), Istio
 * drops rules with HTTP fields, so the call is refused there.
 */
export class LimitedCall implements IEgressTarget {
  /**
   * @throws if a port is not one the callee service declares, a method is not an upper-case HTTP
   * token, a path is not one of Istio's path forms, or nothing limits the call (a plain call says that)
   */
  public static to(target: MeshService | WorkloadNamespace, options: LimitedCallOptions): LimitedCall {
    const ports = options.ports === undefined ? undefined : [...new Set(options.ports)].sort((a, b) => a - b);
    const methods = options.methods === undefined ? undefined : [...new Set(options.methods)].sort();
    const paths = options.paths === undefined ? undefined : [...new Set(options.paths)].sort();
    const isService = 'fqdn' in target;
    const where = `the call to ${target.namespaceName}${isService ? `/${target.name}` : ''}`;
    if (ports === undefined && methods === undefined && paths === undefined) {
      throw new Error(`a limited call needs ports, methods or paths (${where}); without them it is a plain call (calls(target))`);
    }
    for (const [field, list] of [['ports', ports], ['methods', methods], ['paths', paths]] as const) {
      if (list?.length === 0) {
        throw new Error(`${field}: an empty list would allow nothing in ${where}; leave it out for any`);
      }
    }
    if (ports !== undefined) {
      if (!isService) {
        throw new Error(`ports: belong to a service, and ${where} is to a whole namespace: limit the call to one service (<namespace>/<service>) or leave ports out`);
      }
      ports.forEach((port) => {
        if (!target.ports.includes(port)) {
          throw new Error(`ports: ${port} is not a port ${target.name} declares (its ports: ${target.ports.join(', ')}), in ${where}: use one of them, or declare the port on the service`);
        }
      });
    }
    methods?.forEach((method) => {
      if (!/^[A-Z]+$/.test(method)) {
        throw new Error(`methods: '${method}' must be an HTTP method in upper case, such as GET or POST (Istio compares methods case-sensitively), in ${where}`);
      }
    });
    paths?.forEach((path) => assertPath(where, path));
    return new LimitedCall(target, { ports, methods, paths });
  }

  private constructor(
    /** The service or namespace called. */
    public readonly target: MeshService | WorkloadNamespace,
    /** Ports, methods and paths, each sorted and without duplicates. */
    public readonly operation: LimitedCallOptions,
  ) {}

  public get namespaceName(): string {
    return this.target.namespaceName;
  }

  public get egressHost(): string {
    return this.target.egressHost;
  }
}

function assertPath(where: string, path: string): void {
  const withoutTemplates = path.replace(/\{\*\*?\}/g, '');
  const valid = path === '*'
    || (path.startsWith('*') && !path.slice(1).includes('*'))
    || (path.startsWith('/') && (withoutTemplates !== path ? !withoutTemplates.includes('*') : !path.slice(0, -1).includes('*')));
  if (!valid || /\s|\?/.test(path)) {
    throw new Error(`paths: '${path}' must be exact ('/items'), a prefix ('/items/*'), a suffix ('*.json'), '*', or a template ('/items/{*}/reviews'), without spaces or a query string, in ${where}`);
  }
}
