import { IstioSpecValues, IstioSpecValuesMeshConfig } from '../../../imports/sail-istio-sailoperator.io';
import { IstioCniSpecValuesCni } from '../../../imports/sail-istiocni-sailoperator.io';
import { ComponentKubernetesSettings } from '../component-settings';
import { GatewayConfig } from '../ingress-gateway-config';
import { IstioProfile } from '../istio-profile';
import { IstioVersion } from '../istio-version';

/** Istio CNI as installed: where the node agent runs and its chart values. */
export interface IstioCniInstall {
  /** Namespace of the node agent. */
  readonly namespace: string;
  /** Chart values (`values.cni`). */
  readonly values: IstioCniSpecValuesCni;
  /** The `global.platform` value the platform needs, if the release's charts know it. */
  readonly platform?: string;
  /**
   * Whether the agent's namespace needs a ResourceQuota for `system-node-critical` pods (GKE,
   * outside `kube-system`): the IstioOperator asks the chart for it, Sail's charts render it
   * through `global.platform=gke` from Istio 1.26, and for earlier releases the library does.
   */
  readonly nodeCriticalQuota: boolean;
}

/** ztunnel as installed, for an ambient profile. */
export interface IstioZtunnelInstall {
  /** Namespace of the node proxy, which istiod trusts (`pilot.trustedZtunnelNamespace`). */
  readonly namespace: string;
  /** Whether its namespace needs a ResourceQuota for `system-node-critical` pods (GKE, outside `kube-system`), as for CNI. */
  readonly nodeCriticalQuota: boolean;
}

/**
 * Everything an install path needs, with all defaults applied and every contribution merged: the
 * one model that the IstioOperator (istioctl or in-cluster operator) and the Sail `Istio` are
 * rendered from.
 */
export interface IstioInstallModel {
  readonly istioVersion: IstioVersion;
  /**
   * The image registry, only when the user chose one: Sail pins each release's images by digest
   * unless `global.hub` or `global.tag` is set, and istioctl and the in-cluster operator default
   * to their own release's images.
   */
  readonly hub?: string;
  /** The image tag, only when the user chose one (see `hub`). */
  readonly tag?: string;
  readonly profile: IstioProfile;
  /** Namespace of istiod. */
  readonly namespace: string;
  readonly revision?: string;
  /**
   * Revision tags of this revision that the istiod chart renders (`values.revisionTags`: the
   * `istio-revision-tag-<tag>` webhook and Service), on the istioctl path.
   */
  readonly revisionTags?: readonly string[];
  /** The merged meshConfig. */
  readonly meshConfig: IstioSpecValuesMeshConfig;
  /** Chart values other than meshConfig, hub, tag and CNI. */
  readonly values: IstioSpecValues;
  readonly pilot?: ComponentKubernetesSettings;
  readonly cni?: IstioCniInstall;
  /** ztunnel, with an ambient profile. */
  readonly ztunnel?: IstioZtunnelInstall;
  readonly egressGateway?: GatewayConfig;
}

/** `global.hub` and `global.tag` as the user chose them, or nothing when both are the installer's. */
export function chosenImageValues(model: IstioInstallModel): { readonly hub?: string; readonly tag?: string } | undefined {
  if (model.hub === undefined && model.tag === undefined) {
    return undefined;
  }
  return { ...(model.hub !== undefined && { hub: model.hub }), ...(model.tag !== undefined && { tag: model.tag }) };
}
