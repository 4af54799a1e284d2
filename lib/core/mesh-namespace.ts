import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { assertDnsLabel } from './names';
import { plainApiObject } from './plain-api-object';

/** How Istio's sidecar injector treats pods of a namespace. */
export abstract class SidecarInjection {
  /** `istio-injection=enabled`: the default revision injects every pod. */
  public static enabled(): SidecarInjection {
    return new LabelInjection({ 'istio-injection': 'enabled' }, 'enabled');
  }

  /** `istio.io/rev=<revision>`: the named control plane revision injects every pod. */
  public static revision(revision: string): SidecarInjection {
    assertDnsLabel('revision', revision);
    return new LabelInjection({ 'istio.io/rev': revision }, `revision ${revision}`);
  }

  /** `istio-injection=disabled`: no pod of the namespace gets a sidecar. */
  public static disabled(): SidecarInjection {
    return new LabelInjection({ 'istio-injection': 'disabled' }, 'disabled');
  }

  /** No injection label: the injector's default policy decides (no sidecar unless a pod asks). */
  public static none(): SidecarInjection {
    return new LabelInjection({}, 'none');
  }

  /** Labels that select this behaviour on a Namespace. */
  public abstract readonly labels: Readonly<Record<string, string>>;
  /** Short description for messages and reports. */
  public abstract readonly description: string;

  /** Whether pods of the namespace can get an injected proxy (a sidecar, or a gateway template). */
  public get injects(): boolean {
    return this.description !== 'disabled' && this.description !== 'none';
  }
}

class LabelInjection extends SidecarInjection {
  constructor(public readonly labels: Readonly<Record<string, string>>, public readonly description: string) {
    super();
  }
}

/** Props of a {@link MeshNamespace}. */
export interface MeshNamespaceProps {
  /** Namespace name (DNS-1123 label). */
  readonly name: string;
  /** Sidecar injection of the namespace's pods. @default SidecarInjection.none() */
  readonly injection?: SidecarInjection;
  /** Extra labels. @default - none */
  readonly labels?: Record<string, string>;
}

/**
 * A Namespace of the mesh with its injection labels. Other constructs read `name` and
 * `injection` from it instead of retyping them.
 */
export class MeshNamespace extends Construct {
  public readonly name: string;
  public readonly injection: SidecarInjection;
  /** The generated Namespace object. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: MeshNamespaceProps) {
    super(scope, id);
    assertDnsLabel('namespace name', props.name);
    this.name = props.name;
    this.injection = props.injection ?? SidecarInjection.none();
    this.resource = plainApiObject<k8s.KubeNamespaceProps>(this, 'Resource', k8s.KubeNamespace.GVK, {
      metadata: { name: props.name, labels: { ...props.labels, ...this.injection.labels } },
    });
  }
}
