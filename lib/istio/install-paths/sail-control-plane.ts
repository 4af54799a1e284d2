import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Istio,
  IstioSpec,
  IstioSpecProfile,
  IstioSpecValuesPilot,
  IstioSpecValuesPilotResourcesLimits,
  IstioSpecValuesPilotResourcesRequests,
  IstioSpecUpdateStrategy,
  IstioSpecUpdateStrategyType,
  IstioSpecVersion,
} from '../../../imports/sail-istio-sailoperator.io';
import { IstioRevisionTag, IstioRevisionTagSpecTargetRefKind } from '../../../imports/sail-istiorevisiontag-sailoperator.io';
import { IstioCni, IstioCniSpec, IstioCniSpecProfile, IstioCniSpecVersion } from '../../../imports/sail-istiocni-sailoperator.io';
import { ZTunnel, ZTunnelSpec, ZTunnelSpecTargetRefKind, ZTunnelSpecVersion } from '../../../imports/sail-ztunnel-sailoperator.io';
import { ComponentKubernetesSettings, ComputeResources } from '../component-settings';
import type { ControlPlaneRevisions } from '../control-plane-revisions';
import { ConfigMerger } from '../config-merger';
import { IstioProfile } from '../istio-profile';
import { IstioVersion } from '../istio-version';
import { chosenImageValues, IstioInstallModel } from './install-model';
import { SAIL_VERSIONS, sailPatchesOf } from './sail-releases';

/**
 * Name of the one `Istio` of a revision-based control plane: Sail names its revisions
 * `<this>-<spec.version with dashes>` (`default-v1-30-7`).
 */
export const SAIL_REVISION_BASED_ISTIO_NAME = 'default';

/** Sail's `IstioCNI` must be named `default` (a CEL rule of its CRD): one per cluster. */
const SAIL_CNI_NAME = 'default';
/** Sail's `ZTunnel` must be named `default` too (a CEL rule of its CRD). */
const SAIL_ZTUNNEL_NAME = 'default';

/**
 * The newest patch of `istioVersion`'s minor that this library knows (a known Sail release
 * lists it), when `istioVersion` is newer than it: a patch released after the library.
 */
export function newerThanKnownPatch(istioVersion: IstioVersion): IstioVersion | undefined {
  const newest = sailPatchesOf(istioVersion)[0];
  return newest !== undefined && istioVersion.patch !== undefined && istioVersion.patch > newest.patch! ? newest : undefined;
}

/**
 * The Sail operator's spelling of an Istio release (`v1.30.3`). A patch newer than every Sail
 * release this library knows lists becomes the minor's `v1.31-latest` alias: the API server
 * refuses a `spec.version` outside the installed operator's enum, and an operator that ships the
 * patch resolves the alias to it (an older one to its own newest patch of the minor).
 * @throws if no known Sail release lists the release or an alias for its minor
 */
export function sailVersion(istioVersion: IstioVersion): string {
  const version = `v${istioVersion}`;
  if (SAIL_VERSIONS.includes(version)) {
    return version;
  }
  const alias = `v${istioVersion.minorVersion}-latest`;
  if (newerThanKnownPatch(istioVersion) && SAIL_VERSIONS.includes(alias)) {
    return alias;
  }
  const releases = SAIL_VERSIONS.filter((v) => /^v\d+\.\d+\.\d+$/.test(v));
  const patches = sailPatchesOf(istioVersion).map((v) => v.toString());
  const advice = patches.length > 0 ? `pick one of its listed patches (${patches.join(', ')}) or a newer one` : `pick a listed release (${releases[releases.length - 1]} to ${releases[0]}, see SAIL_VERSIONS)`;
  throw new Error(`version ${istioVersion} is not a release the Sail operator knows: ${advice}, or install with InstallPath.ISTIOCTL`);
}

/**
 * The Sail operator's spelling of a profile.
 * @throws if Sail has no such profile
 */
export function sailProfile(profile: IstioProfile): IstioSpecProfile {
  const known = Object.values(IstioSpecProfile) as string[];
  if (!known.includes(profile)) {
    throw new Error(`profile ${profile} does not exist for the Sail operator (it knows ${known.join(', ')}): use IstioProfile.DEFAULT (Sail installs no gateways anyway), or install with InstallPath.ISTIOCTL`);
  }
  return profile as string as IstioSpecProfile;
}

/** Props of a {@link SailControlPlane}. */
export interface SailControlPlaneProps {
  /** Produces the install model at synthesis, after every meshConfig contribution was made. */
  readonly model: () => IstioInstallModel;
  /** Whether Istio CNI is on, known at construction: decides whether an `IstioCNI` exists. */
  readonly withCni: boolean;
  /** Whether ztunnel runs (an ambient profile), known at construction: decides whether a `ZTunnel` exists. @default false */
  readonly withZtunnel?: boolean;
  /**
   * Revisions of a canary upgrade: the `Istio` then updates `RevisionBased`, at the newest
   * release, and each tag is an `IstioRevisionTag`.
   * @default - one revision, updated in place
   */
  readonly revisions?: ControlPlaneRevisions;
}

/**
 * The control plane as Sail operator resources: a cluster-scoped `Istio` named after the revision
 * (Sail names the IstioRevision after it with the default InPlace strategy, and `default` is
 * the revision that `istio-injection=enabled` selects), when CNI is on the `IstioCNI`, and with
 * an ambient profile the `ZTunnel`, which takes the control plane's global values and meshConfig
 * from the `Istio` it targets. Sail updates ambient components in place, and they must follow in
 * the order control plane, CNI, ztunnel: each kind has an apply phase of its own, in that order.
 */
export class SailControlPlane extends Construct {
  /** The `Istio` resource. */
  public readonly resource: ApiObject;
  /** The `IstioCNI` resource, when CNI is on. */
  public readonly cniResource?: ApiObject;
  /** The `ZTunnel` resource, with an ambient profile. */
  public readonly ztunnelResource?: ApiObject;
  /** The `IstioRevisionTag` of each tag, by tag name. */
  public readonly tagResources: ReadonlyMap<string, ApiObject>;

  constructor(scope: Construct, id: string, props: SailControlPlaneProps) {
    super(scope, id);
    const first = props.model();
    const revisions = props.revisions;
    this.resource = new Istio(this, 'Resource', {
      metadata: { name: revisions ? SAIL_REVISION_BASED_ISTIO_NAME : first.revision ?? 'default' },
      // Lazy: meshConfig contributions may still arrive after this construct is built.
      spec: Lazy.any({ produce: () => ({ ...sailIstioSpec(props.model()), updateStrategy: revisions && sailUpdateStrategy(revisions) }) }) as unknown as IstioSpec,
    });
    // A tag names the concrete IstioRevision, not the Istio (which would follow the active
    // revision): a tag moves only when its line in the config changes. Sail counts a revision a
    // tag points at as in use, so it keeps the older revision while its tag stays.
    this.tagResources = new Map([...revisions?.tags ?? []].map(([tag, revision]) => [tag, new IstioRevisionTag(this, `Tag-${tag}`, {
      metadata: { name: tag },
      spec: { targetRef: { kind: IstioRevisionTagSpecTargetRefKind.ISTIO_REVISION, name: revision.name } },
    })]));
    if (props.withCni) {
      this.cniResource = new IstioCni(this, 'Cni', {
        metadata: { name: SAIL_CNI_NAME },
        spec: Lazy.any({ produce: () => sailIstioCniSpec(props.model()) }) as unknown as IstioCniSpec,
      });
    }
    if (props.withZtunnel) {
      const istioName = this.resource.name;
      this.ztunnelResource = new ZTunnel(this, 'Ztunnel', {
        metadata: { name: SAIL_ZTUNNEL_NAME },
        spec: Lazy.any({ produce: () => sailZtunnelSpec(props.model(), istioName) }) as unknown as ZTunnelSpec,
      });
    }
  }
}

function sailUpdateStrategy(revisions: ControlPlaneRevisions): IstioSpecUpdateStrategy {
  return {
    type: IstioSpecUpdateStrategyType.REVISION_BASED,
    inactiveRevisionDeletionGracePeriodSeconds: revisions.inactiveRevisionDeletionGracePeriodSeconds,
  };
}

function sailIstioSpec(model: IstioInstallModel): IstioSpec {
  // Sail's Istio values carry no `cni` (that is IstioCNI's) and no `gateways` (Sail installs no
  // gateways), so only the typed Helm values of istiod are merged here.
  const values = new ConfigMerger<Record<string, any>>('values');
  values.add(model.values, 'props.values');
  // Sail uses the image digests it pins for the release only while neither global.hub nor
  // global.tag is set, so they are written only when the user chose them.
  const images = chosenImageValues(model);
  if (images) {
    values.add({ global: images }, 'hub and tag');
  }
  // Sail refuses an Istio whose values name another namespace than spec.namespace; written from
  // the same model field, the two cannot drift apart.
  values.add({ global: { istioNamespace: model.namespace } }, 'namespace');
  if (Object.keys(model.meshConfig).length > 0) {
    values.add({ meshConfig: model.meshConfig }, 'meshConfig');
  }
  values.add({ pilot: sailPilotValues(model.pilot) }, 'pilot');
  if (model.ztunnel) {
    // istiod signs workload certificates only for the ztunnel of the namespace it trusts, which
    // is its own unless told (the openshift profiles say kube-system): written always, so the
    // Istio and the ZTunnel cannot disagree.
    values.add({ pilot: { trustedZtunnelNamespace: model.ztunnel.namespace } }, 'ztunnel.namespace');
  }
  if (model.cni) {
    // istiod renders pods without the istio-init container only when told that CNI is there.
    values.add({ pilot: { cni: { enabled: true, provider: model.cni.values.provider } } }, 'cni');
    if (model.cni.platform) {
      values.add({ global: { platform: model.cni.platform } }, 'cni');
    }
  }
  return {
    namespace: model.namespace,
    version: sailVersion(model.istioVersion) as IstioSpecVersion,
    profile: sailProfile(model.profile),
    values: Object.keys(values.value).length > 0 ? values.value : undefined,
  };
}

function sailIstioCniSpec(model: IstioInstallModel): IstioCniSpec {
  const cni = model.cni!;
  const images = chosenImageValues(model);
  return {
    namespace: cni.namespace,
    version: sailVersion(model.istioVersion) as IstioCniSpecVersion,
    profile: sailProfile(model.profile) as string as IstioCniSpecProfile,
    values: {
      cni: Object.keys(cni.values).length > 0 ? cni.values : undefined,
      global: cni.platform || images ? { ...images, platform: cni.platform } : undefined,
    },
  };
}

function sailZtunnelSpec(model: IstioInstallModel, istioName: string): ZTunnelSpec {
  const images = chosenImageValues(model);
  return {
    namespace: model.ztunnel!.namespace,
    version: sailVersion(model.istioVersion) as ZTunnelSpecVersion,
    // The ZTunnel copies global values (platform, istiod's namespace, hub and tag), meshConfig and
    // revision from the active revision of the Istio it targets.
    targetRef: { kind: ZTunnelSpecTargetRefKind.ISTIO, name: istioName },
    // A chosen hub or tag is written here too, as on the IstioCNI: the images of every object
    // that runs pods are named in that object, whatever the operator copies.
    values: images && { global: images },
  };
}

function sailPilotValues(settings: ComponentKubernetesSettings | undefined): IstioSpecValuesPilot | undefined {
  if (!settings) {
    return undefined;
  }
  const quantities = <T>(resources: ComputeResources | undefined, wrap: (q: string) => T) => {
    const entries = Object.entries(resources ?? {}).filter(([, q]) => q !== undefined);
    return entries.length > 0 ? Object.fromEntries(entries.map(([k, q]) => [k, wrap(q as string)])) : undefined;
  };
  const resources = settings.resources && {
    requests: quantities(settings.resources.requests, IstioSpecValuesPilotResourcesRequests.fromString),
    limits: quantities(settings.resources.limits, IstioSpecValuesPilotResourcesLimits.fromString),
  };
  return {
    resources,
    // The istiod chart's HPA overrides replicaCount, so a fixed count turns autoscaling off.
    replicaCount: settings.replicaCount,
    autoscaleEnabled: settings.autoscaling ? true : settings.replicaCount !== undefined ? false : undefined,
    autoscaleMin: settings.autoscaling?.minReplicas,
    autoscaleMax: settings.autoscaling?.maxReplicas,
    nodeSelector: settings.nodeSelector,
    podAnnotations: settings.podAnnotations,
    serviceAnnotations: settings.serviceAnnotations,
  };
}
