/**
 * How the pods of a namespace join the mesh: with an injected sidecar proxy each, or in Istio's
 * ambient data plane, where the node's ztunnel carries their traffic at layer 4 and a waypoint
 * (when the namespace has one) at layer 7. One mesh may mix both, namespace by namespace.
 */
export class DataPlaneMode {
  /** An Envoy sidecar in every pod, injected by the namespace's injection label. */
  public static readonly SIDECAR = new DataPlaneMode('sidecar', {});

  /**
   * No sidecars: `istio.io/dataplane-mode=ambient` makes Istio CNI redirect the pods' traffic to
   * the node's ztunnel. Needs a control plane with an ambient profile (ztunnel running) and no
   * injection label on the namespace: an injected pod keeps its sidecar and is not captured.
   */
  public static readonly AMBIENT = new DataPlaneMode('ambient', { 'istio.io/dataplane-mode': 'ambient' });

  private constructor(
    /** `sidecar` or `ambient`, for messages, reports and mesh.yaml. */
    public readonly name: string,
    /** The Namespace labels that select this mode. */
    public readonly labels: Readonly<Record<string, string>>,
  ) {}

  /** Whether pods of this mode run without sidecars, in the ambient data plane. */
  public get ambient(): boolean {
    return this === DataPlaneMode.AMBIENT;
  }

  public toString(): string {
    return this.name;
  }
}

/** The label ambient namespaces carry, and that the analysis reads. */
export const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';
