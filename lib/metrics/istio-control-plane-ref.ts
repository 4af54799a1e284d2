/**
 * What metrics constructs need to know about the Istio control plane. The control plane construct
 * satisfies it; `{ namespace: 'istio-system' }` describes a control plane installed elsewhere.
 */
export interface IIstioControlPlaneRef {
  /** Namespace istiod runs in. */
  readonly namespace: string;
  /**
   * Namespace ztunnel runs in, when the control plane runs the ambient data plane: the scrape
   * jobs and monitors then cover ztunnel too.
   * @default - no ztunnel
   */
  readonly ztunnelNamespace?: string;
}
