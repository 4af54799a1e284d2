/**
 * Istio's built-in installation profiles (`manifests/profiles/*.yaml`), the starting point that
 * the control plane's settings are applied on top of.
 */
export enum IstioProfile {
  /** Sidecar-less data plane: Istio CNI and ztunnel, no ingress gateway. */
  AMBIENT = 'ambient',
  /** Production starting point: istiod and an ingress gateway. */
  DEFAULT = 'default',
  /** Everything on, with permissive settings for trying Istio out; not for production. */
  DEMO = 'demo',
  /** Nothing installed: a base for fully custom configuration. */
  EMPTY = 'empty',
  /** istiod only, no gateways (istioctl paths only: the Sail operator has no such profile). */
  MINIMAL = 'minimal',
  /** DEFAULT adapted to OpenShift (Istio CNI in kube-system, platform openshift). */
  OPENSHIFT = 'openshift',
  /** AMBIENT adapted to OpenShift. */
  OPENSHIFT_AMBIENT = 'openshift-ambient',
  /** Experimental features on; stability not guaranteed. */
  PREVIEW = 'preview',
  /** A cluster whose control plane runs elsewhere (multi-cluster). */
  REMOTE = 'remote',
  /** DEFAULT with only stable features. */
  STABLE = 'stable',
}
