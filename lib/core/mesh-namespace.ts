import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DataPlaneMode } from './data-plane-mode';
import { assertDnsLabel } from './names';
import { SharedNamespace, requestNamespace } from './namespace-registry';

/** How Istio's sidecar injector treats pods of a namespace. */
export abstract class SidecarInjection {
  /** `istio-injection=enabled`: the default revision injects every pod. */
  public static enabled(): SidecarInjection {
    return new LabelInjection({ 'istio-injection': 'enabled' }, 'enabled');
  }

  /**
   * `istio.io/rev=<revision>`: the named control plane revision, or the revision a revision tag
   * (`prod-stable`) points at, injects every pod.
   */
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
  /**
   * How the namespace's pods join the mesh. Ambient (`istio.io/dataplane-mode=ambient`) takes no
   * injection label: an injected pod keeps its sidecar and ztunnel leaves it alone.
   * @default DataPlaneMode.SIDECAR
   */
  readonly dataPlane?: DataPlaneMode;
  /** Extra labels. @default - none */
  readonly labels?: Record<string, string>;
}

/**
 * A Namespace of the mesh with its injection labels. Other constructs read `name` and
 * `injection` from it instead of retyping them.
 *
 * Parts of one app may each ask for the same namespace (Jaeger, Prometheus and Grafana in one
 * `observability`, Jaeger in `istio-system`, workloads beside the gateway): the app then holds one
 * Namespace object with the labels of all of them, rendered as the child `Resource` of the
 * MeshNamespace whose chart is applied first; the charts of the others are made to depend on
 * that chart. Two of them wanting different values of a label (a different sidecar injection)
 * is an error that names both.
 */
export class MeshNamespace extends Construct {
  public readonly name: string;
  /** The injection this part asked for; {@link labels} tells what the shared namespace gets. */
  public readonly injection: SidecarInjection;
  /** How this part's pods join the mesh. */
  public readonly dataPlane: DataPlaneMode;
  private readonly shared: SharedNamespace;

  /**
   * @throws if another MeshNamespace of the app with this name wants a label with another value,
   * or if an ambient namespace asks for sidecar injection
   */
  constructor(scope: Construct, id: string, props: MeshNamespaceProps) {
    super(scope, id);
    assertDnsLabel('namespace name', props.name);
    this.name = props.name;
    this.injection = props.injection ?? SidecarInjection.none();
    this.dataPlane = props.dataPlane ?? DataPlaneMode.SIDECAR;
    if (this.dataPlane.ambient && this.injection.injects) {
      throw new Error(`namespace ${props.name} is ambient (istio.io/dataplane-mode=ambient) but has injection ${this.injection.description}: `
        + 'an injected pod keeps its sidecar and ztunnel does not capture it, so the namespace would be neither: leave injection out '
        + '(SidecarInjection.none()) for ambient, or use DataPlaneMode.SIDECAR');
    }
    this.shared = requestNamespace(this, props.name, { ...props.labels, ...this.injection.labels, ...this.dataPlane.labels });
  }

  /**
   * The Namespace object, one per name in the app: the child `Resource` of the MeshNamespace
   * whose chart is applied first.
   */
  public get resource(): ApiObject {
    return this.shared.resource;
  }

  /** The labels of the Namespace object: those of every MeshNamespace of the app with this name. */
  public get labels(): Readonly<Record<string, string>> {
    return this.shared.labels;
  }
}
