import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AuthorizationPolicy, AuthorizationPolicyProps, AuthorizationPolicySpecAction, AuthorizationPolicySpecRules, AuthorizationPolicySpecRulesFrom,
} from '../../imports/istio-security.istio.io';
import { plainApiObject } from '../core/plain-api-object';
import type { MeshService } from '../scoping/mesh-service';
import { AuthorizationMode } from './authorization-mode';
import type { LimitedCallOptions } from './limited-call';
import { principalOf } from './workload-identity';

/** Istio's annotation that turns a policy into shadow rules. */
export const DRY_RUN_ANNOTATION = 'istio.io/dry-run';

/** The metadata annotations of a policy in `mode`. */
export function modeAnnotations(mode: AuthorizationMode): { annotations?: Record<string, string> } {
  return mode === AuthorizationMode.DRY_RUN ? { annotations: { [DRY_RUN_ANNOTATION]: 'true' } } : {};
}

/** Props of a {@link ServiceAuthorizationPolicy}. */
export interface ServiceAuthorizationPolicyProps {
  /** The called service: its workloads (selector), ports and accepted calls are read from it. */
  readonly service: MeshService;
  /** Enforced, or in dry run. @default AuthorizationMode.ENFORCE */
  readonly mode?: AuthorizationMode;
  /**
   * The mesh's trust domain, read at synthesis.
   * @default - the scoping's ({@link SidecarScoping.trustDomain})
   */
  readonly trustDomain?: () => string;
}

/**
 * The ALLOW AuthorizationPolicy `<service>-callers` of one called service: it selects the
 * service's workloads with the service's own selector and allows exactly the declared callers
 * (service accounts as `principals`, whole namespaces as `namespaces`) on the ports the workloads
 * listen on, with the methods and paths of L7 calls. Rules are written at synthesis, so calls
 * declared after the policy was created count.
 */
export class ServiceAuthorizationPolicy extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly mode: AuthorizationMode;
  /** The generated AuthorizationPolicy. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ServiceAuthorizationPolicyProps) {
    super(scope, id);
    const service = props.service;
    this.name = `${service.name}-callers`;
    this.namespace = service.namespaceName;
    this.mode = props.mode ?? AuthorizationMode.ENFORCE;
    const trustDomain = props.trustDomain ?? (() => service.scoping.trustDomain);
    this.resource = plainApiObject<AuthorizationPolicyProps>(this, 'Resource', AuthorizationPolicy.GVK, {
      metadata: { name: this.name, namespace: this.namespace, ...modeAnnotations(this.mode) },
      spec: {
        // By reference: the Service's selector is the set of workloads behind it.
        selector: { matchLabels: { ...service.selector } },
        action: AuthorizationPolicySpecAction.ALLOW,
        rules: Lazy.any({ produce: () => policyRules(service, trustDomain()) }),
      },
    });
  }
}

/** The rules of `service`'s policy: one per distinct operation, callers and values sorted. */
function policyRules(service: MeshService, trustDomain: string): AuthorizationPolicySpecRules[] {
  const groups = new Map<string, { operation: LimitedCallOptions; principals: Set<string>; namespaces: Set<string> }>();
  for (const { caller, operation } of service.acceptedCalls) {
    const key = JSON.stringify([operation.ports ?? null, operation.methods ?? null, operation.paths ?? null]);
    let group = groups.get(key);
    if (!group) {
      group = { operation, principals: new Set(), namespaces: new Set() };
      groups.set(key, group);
    }
    if (caller.callerServiceAccountName === undefined) {
      group.namespaces.add(caller.namespaceName);
    } else {
      group.principals.add(principalOf(trustDomain, caller.namespaceName, caller.callerServiceAccountName));
    }
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, group]) => {
    const from: AuthorizationPolicySpecRulesFrom[] = [];
    if (group.principals.size > 0) {
      from.push({ source: { principals: [...group.principals].sort() } });
    }
    if (group.namespaces.size > 0) {
      from.push({ source: { namespaces: [...group.namespaces].sort() } });
    }
    const { methods, paths } = group.operation;
    // Istio matches `ports` against the port the workload receives the connection on: the
    // Service's targetPort, not the Service port.
    const ports = service.targetPortsOf(group.operation.ports ?? service.ports).map(String);
    return {
      from,
      to: [{ operation: { ports, ...(methods ? { methods: [...methods] } : {}), ...(paths ? { paths: [...paths] } : {}) } }],
    };
  });
}
