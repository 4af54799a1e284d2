import { toJson_IstioSpecValues, toJson_IstioSpecValuesMeshConfig } from '../../../imports/sail-istio-sailoperator.io';
import { toJson_IstioCniSpecValuesCni } from '../../../imports/sail-istiocni-sailoperator.io';
import { istioOperatorK8s } from '../component-settings';
import { gatewayComponent, PROFILE_INGRESS_GATEWAYS_OFF } from '../ingress-gateway-config';
import { IstioInstallModel } from './install-model';

/** `install.istio.io/v1alpha1`, `IstioOperator`: read by istioctl and by the in-cluster operator. */
export const ISTIO_OPERATOR_GVK = { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator' };

/** Name of the IstioOperator resource: one per revision. */
export function istioOperatorName(model: IstioInstallModel): string {
  return model.revision ? `control-plane-${model.revision}` : 'control-plane';
}

/**
 * The `spec` of an IstioOperator for the model. The IstioOperator CRD is untyped, so this is the
 * one place that knows its layout (istio/istio `operator/pkg/apis` IstioOperatorSpec):
 * `components.<name>.{enabled,namespace,k8s}`, gateways as lists of `{name,namespace,enabled,label,k8s}`,
 * and Helm chart values under `values`, `meshConfig` beside them.
 */
export function istioOperatorSpec(model: IstioInstallModel): Record<string, unknown> {
  const components: Record<string, unknown> = {};
  const pilotK8s = istioOperatorK8s(model.pilot);
  if (pilotK8s) {
    components.pilot = { k8s: pilotK8s };
  }
  if (model.cni) {
    components.cni = { enabled: true, namespace: model.cni.namespace };
  }
  if (model.ztunnel) {
    components.ztunnel = { enabled: true, namespace: model.ztunnel.namespace };
  }
  components.ingressGateways = PROFILE_INGRESS_GATEWAYS_OFF.map((entry) => ({ ...entry }));
  if (model.egressGateway) {
    components.egressGateways = [gatewayComponent(model.egressGateway, istioOperatorK8s(model.egressGateway.k8s, model.egressGateway.serviceType))];
  }

  const values: Record<string, any> = { ...toJson_IstioSpecValues(model.values) };
  if (model.revisionTags && model.revisionTags.length > 0) {
    // The istiod chart renders each tag's injection webhook (what `istioctl tag set` creates).
    values.revisionTags = [...model.revisionTags];
  }
  // The charts read istiod's namespace from values.global.istioNamespace (injector, gateways,
  // CNI): written from spec.namespace's model field, so that no chart falls back to istio-system.
  values.global = { ...values.global, istioNamespace: model.namespace };
  if (model.cni) {
    const cni: Record<string, unknown> = { ...toJson_IstioCniSpecValuesCni(model.cni.values) };
    if (model.cni.nodeCriticalQuota) {
      // Spelled as the chart reads it (the Sail CRD's `resource_quotas` is not); the chart
      // renders the quota in the agent's namespace.
      cni.resourceQuotas = { enabled: true };
    }
    if (Object.keys(cni).length > 0) {
      values.cni = cni;
    }
    if (model.cni.platform) {
      values.global = { ...values.global, platform: model.cni.platform };
    }
  }

  if (model.ztunnel) {
    // istiod trusts only the ztunnel of this namespace to ask for workload certificates; the
    // openshift-ambient profile says kube-system, so it is written whatever the namespace.
    values.pilot = { ...values.pilot, trustedZtunnelNamespace: model.ztunnel.namespace };
  }

  const meshConfig = toJson_IstioSpecValuesMeshConfig(model.meshConfig) ?? {};
  return {
    profile: model.profile,
    hub: model.hub,
    tag: model.tag,
    revision: model.revision,
    namespace: model.namespace,
    meshConfig: Object.keys(meshConfig).length > 0 ? meshConfig : undefined,
    components: Object.keys(components).length > 0 ? components : undefined,
    values: Object.keys(values).length > 0 ? values : undefined,
  };
}
