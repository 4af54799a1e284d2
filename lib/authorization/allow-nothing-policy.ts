import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AuthorizationPolicy, AuthorizationPolicyProps } from '../../imports/istio-security.istio.io';
import { assertDnsLabel } from '../core/names';
import { plainApiObject } from '../core/plain-api-object';
import { AuthorizationMode } from './authorization-mode';
import { modeAnnotations } from './service-authorization-policy';

/** Props of an {@link AllowNothingPolicy}. */
export interface AllowNothingPolicyProps {
  /** Namespace whose workloads accept nothing that no other policy allows. */
  readonly namespace: string;
  /** Enforced, or in dry run. @default AuthorizationMode.ENFORCE */
  readonly mode?: AuthorizationMode;
}

/**
 * The namespace's `allow-nothing` AuthorizationPolicy (security.istio.io/v1): an empty spec,
 * which selects every workload of the namespace and, being an ALLOW policy that matches nothing,
 * turns on default deny there. Each call then needs an ALLOW policy of its own.
 */
export class AllowNothingPolicy extends Construct {
  /** `allow-nothing`. */
  public readonly name = 'allow-nothing';
  public readonly namespace: string;
  public readonly mode: AuthorizationMode;
  /** The generated AuthorizationPolicy. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: AllowNothingPolicyProps) {
    super(scope, id);
    assertDnsLabel('namespace', props.namespace);
    this.namespace = props.namespace;
    this.mode = props.mode ?? AuthorizationMode.ENFORCE;
    this.resource = plainApiObject<AuthorizationPolicyProps>(this, 'Resource', AuthorizationPolicy.GVK, {
      metadata: { name: this.name, namespace: this.namespace, ...modeAnnotations(this.mode) },
      spec: {},
    });
  }
}
