/**
 * Settings of ztunnel, the ambient data plane's node proxy: a DaemonSet that carries the traffic
 * of every ambient pod on its node at layer 4 (mTLS over HBONE, L4 authorization, TCP telemetry).
 * It runs only with an ambient profile ({@link IstioProfile.AMBIENT}, `OPENSHIFT_AMBIENT`), which
 * also turns on Istio CNI with ambient redirection.
 */
export interface ZtunnelOptions {
  /**
   * Namespace of the node proxy. istiod is told to trust the ztunnel of this namespace
   * (`pilot.trustedZtunnelNamespace`): it signs workload certificates only for a ztunnel it
   * trusts. On GKE a namespace other than `kube-system` gets a ResourceQuota for its
   * `system-node-critical` pods, as the CNI agent's does.
   * @default - with Sail, `ztunnel` (Sail's default); with an IstioOperator, the control plane's
   * namespace (`kube-system` on OpenShift, as the openshift-ambient profile has it)
   */
  readonly namespace?: string;
}
