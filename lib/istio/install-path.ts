/** How the control plane gets into the cluster. */
export enum InstallPath {
  /**
   * The Sail operator (sailoperator.io/v1 `Istio`, `IstioCNI` when CNI is on, `ZTunnel` for ambient): the in-cluster
   * path for Istio 1.24 and later, and the default there. The Sail operator itself must already
   * run in the cluster.
   */
  SAIL = 'sail',
  /**
   * An `IstioOperator` custom resource reconciled by Istio's in-cluster operator, which is rendered
   * too (the declarative form of `istioctl operator init`). Istio 1.23 and earlier only: the
   * operator was removed in 1.24. The default for those releases.
   */
  IN_CLUSTER_OPERATOR = 'in-cluster-operator',
  /**
   * Nothing in-cluster but the namespaces: the control plane is installed by running
   * `istioctl install -f` on the file an {@link IstioOperatorFile} renders.
   */
  ISTIOCTL = 'istioctl',
}
