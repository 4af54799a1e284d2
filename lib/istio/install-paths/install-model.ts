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
  /** The `global.platform` value the platform needs, if any. */
  readonly platform?: string;
}

/**
 * Everything an install path needs, with all defaults applied and every contribution merged: the
 * one model that the IstioOperator (istioctl or in-cluster operator) and the Sail `Istio` are
 * rendered from.
 */
export interface IstioInstallModel {
  readonly istioVersion: IstioVersion;
  readonly hub: string;
  readonly tag: string;
  readonly profile: IstioProfile;
  /** Namespace of istiod. */
  readonly namespace: string;
  readonly revision?: string;
  /** The merged meshConfig. */
  readonly meshConfig: IstioSpecValuesMeshConfig;
  /** Chart values other than meshConfig, hub, tag and CNI. */
  readonly values: IstioSpecValues;
  readonly pilot?: ComponentKubernetesSettings;
  readonly cni?: IstioCniInstall;
  readonly egressGateway?: GatewayConfig;
}
