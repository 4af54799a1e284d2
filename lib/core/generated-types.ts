// Types of the generated imports that props and members of the library name, so that a consumer
// can write them (`const values: IstioSpecValues = ...`) without knowing the file of imports/ they
// come from. The types they reference in turn are in `cdk8s-istio-mesh/imports/<name>`.
export type { IstioSpecProfile, IstioSpecValues, IstioSpecValuesMeshConfig } from '../../imports/sail-istio-sailoperator.io';
export type { IstioCniSpecValuesCni } from '../../imports/sail-istiocni-sailoperator.io';
export { PeerAuthentication } from '../../imports/istio-security.istio.io';
export type { PrometheusSpecStorage } from '../../imports/prometheus-prometheus-monitoring.coreos.com';
