import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IstioSpecValues, IstioSpecValuesMeshConfig } from '../../imports/sail-istio-sailoperator.io';
import { DEFAULT_TRUST_DOMAIN, ITrustDomainSource } from '../authorization/workload-identity';
import { ExtensionProviderService, IExtensionProviderSource, extensionProviderServices } from '../core/extension-providers';
import { ClusterPlatform } from '../core/cluster-platform';
import { ImageMirror } from '../core/image-mirror';
import { MeshNamespace, SidecarInjection } from '../core/mesh-namespace';
import { assertDnsLabel, assertImageRepository, assertImageTag, assertLabels } from '../core/names';
import { MeshTracing } from '../tracing/mesh-tracing';
import { MeshValidation } from '../validation/mesh-validation';
import { MeshWarningCode, MeshWarnings } from '../validation/mesh-warnings';
import { CniPlatform, IstioCniOptions, istioCniValues } from './cni';
import { ControlPlaneRevisions, ControlPlaneRevisionsOptions, newestRelease } from './control-plane-revisions';
import { assertComponentSettings, ComponentKubernetesSettings } from './component-settings';
import { ConfigMerger, MergeSource } from './config-merger';
import { DnsProxy, DnsProxyOptions } from './dns-proxy';
import { GatewayConfig, GatewayOptions } from './ingress-gateway-config';
import { InstallPath } from './install-path';
import { IstioInClusterOperator } from './install-paths/in-cluster-operator';
import { IstioCniInstall, IstioInstallModel, IstioZtunnelInstall } from './install-paths/install-model';
import { IstioOperatorResource } from './install-paths/istio-operator-resource';
import { newerThanKnownPatch, SAIL_REVISION_BASED_ISTIO_NAME, SailControlPlane, sailProfile, sailVersion } from './install-paths/sail-control-plane';
import { IMPORTED_SAIL_RELEASE, sailReleaseNeeded } from './install-paths/sail-releases';
import { IstioProfile } from './istio-profile';
import { IstioVersion } from './istio-version';
import { meshConfigOneOfs } from './mesh-config-one-ofs';
import { IstioVersionSupport } from './version-support';
import { ZtunnelOptions } from './ztunnel';

/** Settings of Istio's in-cluster operator ({@link InstallPath.IN_CLUSTER_OPERATOR}). */
export interface InClusterOperatorOptions {
  /** Namespace of the operator. @default 'istio-operator' */
  readonly namespace?: string;
}

/** Props of an {@link IstioControlPlane}. */
export interface IstioControlPlaneProps {
  /** Istio release to install; a patch release, since image tags name one. @default IstioVersion.LATEST */
  readonly version?: IstioVersion;
  /**
   * Kubernetes version of the target cluster (`1.33`). When given, an Istio release that does
   * not support it is refused, and the app's validation refuses core objects of API versions
   * that Kubernetes release does not serve.
   * @default - not checked
   */
  readonly kubernetesVersion?: string;
  /** How the control plane is installed. @default InstallPath.SAIL for Istio 1.24 and later, InstallPath.IN_CLUSTER_OPERATOR before */
  readonly installPath?: InstallPath;
  /** Istio installation profile the settings apply on top of. @default IstioProfile.DEFAULT */
  readonly profile?: IstioProfile;
  /**
   * Image registry, e.g. a mirror `example.com/istio` (istioctl's `--hub`). Written into the
   * install only when set: Sail then stops using the image digests it pins for each release.
   * An image mirror (mesh.yaml `imageMirror`, TypeScript {@link ImageMirror}) applies to it, and
   * without it to `docker.io/istio`.
   * @default - the installer's own: Sail's digest-pinned images, istioctl's and the in-cluster
   * operator's `docker.io/istio`
   */
  readonly hub?: string;
  /**
   * Image tag. Written into the install only when set: Sail then stops using the image digests
   * it pins for each release.
   * @default - the installer's own, which is the Istio version (e.g. `1.30.3`)
   */
  readonly tag?: string;
  /** Namespace of istiod. @default 'istio-system' */
  readonly namespace?: string;
  /**
   * Control plane revision, for canary upgrades: workloads then select it with
   * `istio.io/rev=<revision>` (SidecarInjection.revision).
   * @default - the default revision
   */
  readonly revision?: string;
  /**
   * Revisions running side by side for a canary upgrade, and their tags (Sail's `RevisionBased`
   * update strategy and `IstioRevisionTag`s). Replaces `version` (the newest of the releases is
   * the active revision) and `revision` (each revision is named `default-v1-30-7`). On
   * InstallPath.ISTIOCTL each revision is an IstioOperatorFile of its own (`revision` prop)
   * carrying its tags in `values.revisionTags`; on InstallPath.IN_CLUSTER_OPERATOR an
   * IstioOperator and an operator per revision.
   * @default - one revision, updated in place
   */
  readonly revisions?: ControlPlaneRevisionsOptions;
  /** Mesh-wide configuration (MeshConfig). @default - Istio's defaults */
  readonly meshConfig?: IstioSpecValuesMeshConfig;
  /**
   * Further Helm chart values of istiod. Hub, tag, revision and profile have their own props,
   * CNI has `cni`.
   * @default - none
   */
  readonly values?: IstioSpecValues;
  /** Kubernetes settings of istiod. @default - the chart's defaults */
  readonly pilot?: ComponentKubernetesSettings;
  /**
   * Istio CNI node agent, chained after the cluster's CNI. The ambient and OpenShift profiles,
   * and the OpenShift platform, turn it on by themselves; its platform preset follows the app's
   * {@link ClusterPlatform}.
   * @default - off (on, with default options, for the ambient and OpenShift profiles and on OpenShift)
   */
  readonly cni?: IstioCniOptions;
  /**
   * ztunnel, the ambient node proxy. It runs exactly when the profile is an ambient one
   * (`ambient` or `openshift-ambient`, Istio 1.24 and later), which also turns on Istio CNI with
   * ambient redirection; namespaces then join the ambient data plane by their data plane mode,
   * beside sidecar namespaces.
   * @default - with an ambient profile, ztunnel with default options; none otherwise
   */
  readonly ztunnel?: ZtunnelOptions;
  /** Mesh-wide DNS proxying of the sidecars. @default - Istio's default (off) */
  readonly dnsProxy?: DnsProxyOptions;
  /** An egress gateway. @default - none */
  readonly egressGateway?: GatewayOptions;
  /** How the proxies report spans; its meshConfig is merged into the control plane's. @default - no tracing */
  readonly tracing?: MeshTracing;
  /** Settings of the in-cluster operator, for InstallPath.IN_CLUSTER_OPERATOR. @default - its defaults */
  readonly inClusterOperator?: InClusterOperatorOptions;
  /**
   * Where these props were written, for apps that read them from a file of their own (mesh.yaml
   * passes `controlPlane`): a conflict in the mesh configuration then names the field as the file
   * does (`controlPlane.meshConfig.defaultConfig.tracing.datadog`).
   * @default 'props'
   */
  readonly sourceKeyPath?: string;
}

/** The CNI preset of each platform that has one. */
const CNI_PRESETS = new Map<ClusterPlatform, CniPlatform>([
  [ClusterPlatform.GKE, CniPlatform.GKE],
  [ClusterPlatform.K3S, CniPlatform.K3S],
  [ClusterPlatform.OPENSHIFT, CniPlatform.OPENSHIFT],
]);
const CNI_PROFILES = new Set([IstioProfile.AMBIENT, IstioProfile.OPENSHIFT, IstioProfile.OPENSHIFT_AMBIENT]);
const OPENSHIFT_PROFILES = new Set([IstioProfile.OPENSHIFT, IstioProfile.OPENSHIFT_AMBIENT]);
const AMBIENT_PROFILES = new Set([IstioProfile.AMBIENT, IstioProfile.OPENSHIFT_AMBIENT]);
/** Namespaces every cluster has: never emitted. */
const SYSTEM_NAMESPACES = new Set(['kube-system', 'default']);
/** Where istioctl, the in-cluster operator and Istio's charts pull the images from by default. */
const DEFAULT_HUB = 'docker.io/istio';

/**
 * The Istio control plane: one typed model (version, profile, hub and tag, revision, meshConfig,
 * chart values, components, CNI, DNS proxy, egress gateway), rendered for the chosen install path:
 * - {@link InstallPath.SAIL}: Sail operator `Istio` (and `IstioCNI`; with an ambient profile a `ZTunnel`);
 * - {@link InstallPath.IN_CLUSTER_OPERATOR}: an `IstioOperator` and the operator that applies it;
 * - {@link InstallPath.ISTIOCTL}: only the namespaces here; an {@link IstioOperatorFile} in a
 *   chart of its own holds the input of `istioctl install -f`.
 *
 * Other constructs add to the mesh configuration with {@link addMeshConfig}.
 *
 * The ingress gateway is not part of it: on every path it is an {@link IngressGateway} (an
 * injected Deployment), and the IstioOperator switches off the profile's own gateway so that
 * istioctl or the in-cluster operator never installs a second one.
 */
export class IstioControlPlane extends Construct implements IExtensionProviderSource, ITrustDomainSource {
  public readonly istioVersion: IstioVersion;
  /** Kubernetes version of the target cluster, when declared. */
  public readonly kubernetesVersion?: string;
  public readonly installPath: InstallPath;
  public readonly profile: IstioProfile;
  /** Registry the images come from (the installers' default `docker.io/istio` unless `hub` was given). */
  public readonly hub: string;
  /** Tag of the images (the Istio version unless `tag` was given). */
  public readonly tag: string;
  /** Namespace of istiod. */
  public readonly namespace: string;
  public readonly revision?: string;
  /** The revisions and tags of a canary upgrade, when `revisions` was given. */
  public readonly revisions?: ControlPlaneRevisions;
  /** Istio's root namespace (meshConfig.rootNamespace), where mesh-wide resources live. */
  public readonly rootNamespace: string;
  /** The control plane namespace. */
  public readonly controlPlaneNamespace: MeshNamespace;
  /**
   * Whether the control plane runs the ambient data plane (an ambient profile: ztunnel, and CNI
   * with ambient redirection), so that namespaces may be ambient.
   */
  public readonly ambient: boolean;
  /** ztunnel's namespace, with an ambient profile. */
  public readonly ztunnelNamespace?: string;
  /** The egress gateway's namespace, when an egress gateway is enabled. */
  public readonly egressGatewayNamespace?: MeshNamespace;
  /** The object that installs the control plane (Sail `Istio` or `IstioOperator`); none for ISTIOCTL. */
  public readonly resource?: ApiObject;

  /** The hub and tag the user chose; only these are written into the install. */
  private readonly imageOverrides: { readonly hub?: string; readonly tag?: string };
  private readonly meshConfig = new ConfigMerger<IstioSpecValuesMeshConfig>('meshConfig', meshConfigOneOfs());
  private readonly values: IstioSpecValues;
  private readonly pilot?: ComponentKubernetesSettings;
  private readonly cni?: IstioCniInstall;
  private readonly ztunnel?: IstioZtunnelInstall;
  private readonly egressGateway?: GatewayConfig;

  constructor(scope: Construct, id: string, props: IstioControlPlaneProps = {}) {
    super(scope, id);
    if (props.revisions) {
      if (props.version !== undefined || props.revision !== undefined) {
        throw new Error('revisions replaces version and revision (the newest of revisions.versions is the active revision, and Sail names each revision): leave version and revision out');
      }
      const newest = newestRelease(props.revisions.versions);
      const sail = (props.installPath ?? (newest === undefined || newest.isAtLeast(1, 24) ? InstallPath.SAIL : InstallPath.IN_CLUSTER_OPERATOR)) === InstallPath.SAIL;
      this.revisions = ControlPlaneRevisions.of(props.revisions, SAIL_REVISION_BASED_ISTIO_NAME, 'revisions', sail);
    }
    this.istioVersion = this.revisions?.active.version ?? props.version ?? IstioVersion.LATEST;
    if (this.istioVersion.patch === undefined) {
      throw new Error(`version must name a patch release such as ${IstioVersion.LATEST} (image tags and Sail versions do), got ${this.istioVersion}`);
    }
    // Every running revision is checked: each must be known, supported on the cluster, and is
    // warned of when past end of life.
    const runningVersions = this.revisions?.revisions.map((revision) => revision.version) ?? [this.istioVersion];
    for (const version of runningVersions) {
      IstioVersionSupport.assertKnown(version);
      if (IstioVersionSupport.isEndOfLife(version)) {
        MeshWarnings.of(this).add(this, {
          code: MeshWarningCode.ISTIO_END_OF_LIFE,
          message: `Istio ${version.minorVersion} is past end of life: no more patch releases, security fixes included`,
          fix: `move to a supported release (${IstioVersionSupport.supportedMinors().join(', ')}), such as version: IstioVersion.of('${IstioVersion.LATEST}'), one minor at a time`,
        });
      }
      if (props.kubernetesVersion !== undefined) {
        IstioVersionSupport.assertSupports(version, props.kubernetesVersion);
      }
    }
    if (props.kubernetesVersion !== undefined) {
      // The app's output is for this cluster: its core objects are checked against what it serves.
      MeshValidation.of(this).useKubernetesVersion(props.kubernetesVersion);
    }
    this.kubernetesVersion = props.kubernetesVersion;
    this.installPath = props.installPath ?? (this.istioVersion.isAtLeast(1, 24) ? InstallPath.SAIL : InstallPath.IN_CLUSTER_OPERATOR);
    this.profile = props.profile ?? IstioProfile.DEFAULT;
    this.ambient = AMBIENT_PROFILES.has(this.profile);
    this.warnOfNewerPatch();
    if (props.hub !== undefined) {
      assertImageRepository('hub', props.hub);
    }
    // With an app-wide ImageMirror the hub is always written: Sail's pinned digests and the
    // installers' default name docker.io/istio, which the mirror replaces.
    const mirror = ImageMirror.of(this);
    const chosenHub = mirror ? mirror.repository(props.hub ?? DEFAULT_HUB) : props.hub;
    this.hub = chosenHub ?? DEFAULT_HUB;
    this.tag = props.tag ?? this.istioVersion.toString();
    assertImageTag('tag', this.tag);
    this.imageOverrides = { hub: chosenHub, tag: props.tag };
    this.namespace = props.namespace ?? 'istio-system';
    assertDnsLabel('namespace', this.namespace);
    if (SYSTEM_NAMESPACES.has(this.namespace)) {
      throw new Error(`namespace must be a namespace of its own such as istio-system, got '${this.namespace}': istiod's namespace holds its secrets and root certificate`);
    }
    if (props.revision !== undefined) {
      assertDnsLabel('revision', props.revision);
    }
    this.revision = props.revision;
    const sourceKeyPath = props.sourceKeyPath ?? 'props';
    this.assertValuesLeaveOwnPropsAlone(props.values);
    this.assertInstallPathFits();

    const { meshConfig: valuesMeshConfig, ...values } = props.values ?? {};
    const istiodValues = new ConfigMerger<IstioSpecValues>('values');
    istiodValues.add(values, { name: `${sourceKeyPath}.values`, keyPath: `${sourceKeyPath}.values` });
    if (props.dnsProxy) {
      const env = DnsProxy.istiodEnv(props.dnsProxy, this.istioVersion);
      istiodValues.add(env && { pilot: { env } }, `the DNS proxy settings (${sourceKeyPath === 'props' ? '' : `${sourceKeyPath}.`}dnsProxy.autoAllocateAddresses)`);
    }
    this.values = istiodValues.value;
    this.rootNamespace = props.meshConfig?.rootNamespace ?? valuesMeshConfig?.rootNamespace ?? this.namespace;
    assertDnsLabel('meshConfig.rootNamespace', this.rootNamespace);
    assertComponentSettings('pilot', props.pilot);
    this.pilot = props.pilot;

    this.controlPlaneNamespace = this.emitNamespace('Namespace', this.namespace, SidecarInjection.none())!;
    this.cni = this.cniInstall(props);
    if (this.cni) {
      this.emitNamespace('CniNamespace', this.cni.namespace, SidecarInjection.none());
      this.emitCniNodeCriticalQuota(this.cni);
    }
    this.ztunnel = this.ztunnelInstall(props);
    if (this.ztunnel) {
      this.ztunnelNamespace = this.ztunnel.namespace;
      this.emitNamespace('ZtunnelNamespace', this.ztunnel.namespace, SidecarInjection.none());
      this.emitZtunnelNodeCriticalQuota(this.ztunnel);
    }
    if (mirror) {
      // What the installers pull under the hub: istiod, the proxy of sidecars and gateways, and
      // the CNI agent, ztunnel and the in-cluster operator where they run.
      const components = ['pilot', 'proxyv2',
        ...this.cni ? ['install-cni'] : [],
        ...AMBIENT_PROFILES.has(this.profile) ? ['ztunnel'] : [],
        ...this.installPath === InstallPath.IN_CLUSTER_OPERATOR ? ['operator'] : []];
      components.forEach((component) => mirror.image(`${props.hub ?? DEFAULT_HUB}/${component}:${this.tag}`));
    }
    if (props.egressGateway) {
      this.egressGateway = this.egressGatewayConfig(props.egressGateway);
      if (this.egressGateway.enabled) {
        this.egressGatewayNamespace = this.emitNamespace('EgressGatewayNamespace', this.egressGateway.namespace, this.egressGateway.injection);
      }
    }

    const userSource = (keyPath: string): MergeSource => ({ name: `${sourceKeyPath}.${keyPath}`, keyPath: `${sourceKeyPath}.${keyPath}` });
    this.meshConfig.add(valuesMeshConfig, userSource('values.meshConfig'));
    this.meshConfig.add(props.meshConfig, userSource('meshConfig'));
    if (props.dnsProxy) {
      this.meshConfig.add(DnsProxy.meshConfig(props.dnsProxy, this.istioVersion), `the DNS proxy settings (${sourceKeyPath === 'props' ? '' : `${sourceKeyPath}.`}dnsProxy)`);
    }
    if (props.tracing) {
      const tracing = props.tracing.bind(this, { istioVersion: this.istioVersion, rootNamespace: this.rootNamespace });
      this.addMeshConfig(tracing.meshConfig, tracing.description ?? 'tracing');
    }

    const model = () => this.installModel();
    if (this.installPath === InstallPath.SAIL) {
      this.resource = new SailControlPlane(this, 'Sail', { model, withCni: this.cni !== undefined, withZtunnel: this.ztunnel !== undefined, revisions: this.revisions }).resource;
    } else if (this.installPath === InstallPath.IN_CLUSTER_OPERATOR && this.revisions) {
      // As `istioctl operator init --revision` for each: an operator per revision (its image of
      // that release, reconciling the IstioOperators of its revision only), one CRD for all, and
      // an IstioOperator per revision.
      const resources = this.revisions.revisions.map((revision, index) => {
        new IstioInClusterOperator(this, `Operator-${revision.name}`, {
          hub: this.hub,
          tag: this.imageOverrides.tag ?? revision.version.toString(),
          revision: revision.name,
          watchedNamespace: this.namespace,
          namespace: props.inClusterOperator?.namespace,
          installCrd: index === 0,
        });
        return new IstioOperatorResource(this, `IstioOperator-${revision.name}`, { model: () => this.installModel(revision.name), namespace: this.namespace }).resource;
      });
      // Oldest first: the last is the active revision's.
      this.resource = resources[resources.length - 1];
    } else if (this.installPath === InstallPath.IN_CLUSTER_OPERATOR) {
      new IstioInClusterOperator(this, 'Operator', {
        hub: this.hub,
        tag: this.tag,
        revision: this.revision,
        watchedNamespace: this.namespace,
        namespace: props.inClusterOperator?.namespace,
      });
      this.resource = new IstioOperatorResource(this, 'IstioOperator', { model, namespace: this.namespace }).resource;
    }
  }

  /**
   * Merges a fragment into the mesh configuration, for constructs that need mesh-wide settings
   * (Prometheus: `enablePrometheusMerge`; tracing: `extensionProviders`). Objects merge, lists
   * concatenate; setting a value that another party set differently is an error.
   * Of the fields of one of Istio's one-of groups (the tracer in `defaultConfig.tracing`, the kind
   * of an `extensionProviders` entry, the source of a `caCertificates` entry, ...) at most one may
   * be set across all contributions, as the API server requires.
   * @param source who contributes, named in conflict messages; with a `keyPath`, conflicts name
   * the fragment's fields by their full key path
   * @throws on a conflicting value, two fields of a one-of group, or a different root namespace
   */
  public addMeshConfig(fragment: IstioSpecValuesMeshConfig, source: string | MergeSource = 'addMeshConfig'): void {
    if (fragment.rootNamespace !== undefined && fragment.rootNamespace !== this.rootNamespace) {
      const name = typeof source === 'string' ? source : source.name;
      throw new Error(`meshConfig.rootNamespace is ${this.rootNamespace}, ${name} sets it to ${fragment.rootNamespace}: the root namespace is fixed when the control plane is created (set it with props.meshConfig)`);
    }
    this.meshConfig.add(fragment, source);
  }

  /**
   * The merged install model every install path renders from. Read at synthesis (as the install
   * paths do) to see every contribution.
   * @param revision with `revisions`, the revision whose model it is (its release, its name and
   * the tags on it), for the istioctl file of each revision; the newest by default
   */
  public installModel(revision?: string): IstioInstallModel {
    const chosen = this.revisions && (revision === undefined ? this.revisions.active : this.revisions.revision(revision));
    return {
      istioVersion: chosen?.version ?? this.istioVersion,
      hub: this.imageOverrides.hub,
      tag: this.imageOverrides.tag,
      profile: this.profile,
      namespace: this.namespace,
      // On Sail the Istio carries no revision: Sail names the revisions itself.
      revision: chosen && this.installPath !== InstallPath.SAIL ? chosen.name : this.revision,
      revisionTags: chosen && this.installPath !== InstallPath.SAIL ? this.revisions!.tagsOf(chosen) : undefined,
      meshConfig: this.meshConfig.value,
      values: this.values,
      pilot: this.pilot,
      cni: this.cni,
      ztunnel: this.ztunnel,
      // The egress gateway is one Deployment whatever the revisions: the newest revision's install
      // owns it (two installs would overwrite each other), its namespace label picks the injector.
      egressGateway: chosen && chosen !== this.revisions!.active ? undefined : this.egressGateway,
    };
  }

  /**
   * The service of every `meshConfig.extensionProviders` entry (tracing, external authorization,
   * access log services, ...), from the merged mesh configuration: a `SidecarScoping` lets every
   * Sidecar it derives reach them. Read at synthesis to see every contribution.
   */
  public extensionProviderServices(): ExtensionProviderService[] {
    return extensionProviderServices(this.meshConfig.value);
  }

  /**
   * The trust domain of the workloads' certificates, which AuthorizationPolicy principals start
   * with: the merged `meshConfig.trustDomain`, else Istio's `cluster.local`. Read at synthesis.
   */
  public get trustDomain(): string {
    return this.meshConfig.value.trustDomain ?? DEFAULT_TRUST_DOMAIN;
  }

  /**
   * A patch released after this library is allowed, with what it takes on the install path; so is
   * a release that only a Sail operator newer than the imported CRDs lists.
   */
  private warnOfNewerPatch(): void {
    const newest = newerThanKnownPatch(this.istioVersion);
    const sail = this.installPath === InstallPath.SAIL;
    const sailRelease = sail && !newest ? sailReleaseNeeded(sailVersion(this.istioVersion)) : undefined;
    if (sailRelease) {
      MeshWarnings.of(this).add(this, {
        code: MeshWarningCode.SAIL_OPERATOR_RELEASE_NEEDED,
        message: `the Sail Istio gets version v${this.istioVersion}, which the CRDs of Sail operator ${sailRelease} list but those of ${IMPORTED_SAIL_RELEASE} (the ones this library imports) do not: an older operator's API server refuses it`,
        fix: `install Sail operator ${sailRelease} or later (its CRDs first) before applying, or pick a release that Sail ${IMPORTED_SAIL_RELEASE} lists`,
      });
    }
    if (!newest) {
      return;
    }
    MeshWarnings.of(this).add(this, {
      code: MeshWarningCode.ISTIO_PATCH_NEWER_THAN_KNOWN,
      message: `Istio ${this.istioVersion} is newer than the newest patch this library knows, ${newest}`
        + (sail ? `: the Sail Istio gets version v${this.istioVersion.minorVersion}-latest (its CRD lists no v${this.istioVersion}), which the Sail operator resolves to the newest ${this.istioVersion.minorVersion} patch it ships` : ''),
      fix: sail
        ? `install a Sail operator release that ships v${this.istioVersion} (its CRD lists it) before applying, or pin version: IstioVersion.of('${newest}')`
        : `check the ${this.istioVersion} release notes, or pin version: IstioVersion.of('${newest}')`,
    });
  }

  private assertValuesLeaveOwnPropsAlone(values: IstioSpecValues | undefined): void {
    const owned: Array<[unknown, string, string]> = [
      [values?.global?.hub, 'values.global.hub', 'hub'],
      [values?.global?.tag, 'values.global.tag', 'tag'],
      [values?.revision, 'values.revision', 'revision'],
      [values?.profile, 'values.profile', 'profile'],
    ];
    for (const [value, field, prop] of owned) {
      if (value !== undefined) {
        throw new Error(`${field} is set to '${value}': set it with the ${prop} prop instead, so that every install path gets it`);
      }
    }
    // Every install path writes istiod's namespace here from the namespace prop; a different
    // value is what the Sail Istio CRD refuses ("spec.values.global.istioNamespace must match
    // spec.namespace") and would point the charts' references to istiod at another namespace.
    const istioNamespace = values?.global?.istioNamespace;
    if (istioNamespace !== undefined && istioNamespace !== this.namespace) {
      throw new Error(`values.global.istioNamespace is '${istioNamespace}' but istiod's namespace is '${this.namespace}': they must be the same `
        + '(the Sail Istio CRD rule "spec.values.global.istioNamespace must match spec.namespace"): leave values.global.istioNamespace out, '
        + 'every install path derives it from the namespace');
    }
  }

  private assertInstallPathFits(): void {
    if (this.ambient && !this.istioVersion.isAtLeast(1, 24)) {
      const path = this.installPath === InstallPath.IN_CLUSTER_OPERATOR ? ' (the in-cluster operator, which ends with 1.23, has no GA ambient mode)' : '';
      throw new Error(`profile ${this.profile} needs Istio 1.24 or later, where the ambient data plane is generally available, got version ${this.istioVersion}${path}: `
        + `use version ${IstioVersion.LATEST} on the Sail or istioctl install path, or a sidecar profile such as default`);
    }
    if (this.installPath === InstallPath.IN_CLUSTER_OPERATOR && this.istioVersion.isAtLeast(1, 24)) {
      throw new Error(`installPath IN_CLUSTER_OPERATOR needs Istio 1.23 or earlier (Istio 1.24 removed the in-cluster operator), got version ${this.istioVersion}: use InstallPath.SAIL (the Sail operator), or InstallPath.ISTIOCTL with an IstioOperatorFile for istioctl install -f`);
    }
    if (this.installPath === InstallPath.SAIL) {
      sailVersion(this.istioVersion);
      sailProfile(this.profile);
    }
  }

  private cniInstall(props: IstioControlPlaneProps): IstioCniInstall | undefined {
    const clusterPlatform = ClusterPlatform.of(this);
    const openshift = OPENSHIFT_PROFILES.has(this.profile);
    if (openshift && clusterPlatform !== ClusterPlatform.OPENSHIFT) {
      throw new Error(`profile ${this.profile} is for OpenShift, but the app's platform is ${clusterPlatform.name}: call ClusterPlatform.use(app, ClusterPlatform.OPENSHIFT) before creating the app's parts (mesh.yaml: platform: openshift), so that no part asks for the fixed user ids OpenShift refuses`);
    }
    if (clusterPlatform === ClusterPlatform.OPENSHIFT && this.installPath !== InstallPath.SAIL && !openshift) {
      throw new Error(`profile ${this.profile} on OpenShift: with ${this.installPath} use IstioProfile.OPENSHIFT (CNI through Multus, and global.platform=openshift so that the injector leaves user ids to OpenShift); Sail sets the platform itself`);
    }
    const platformPreset = CNI_PRESETS.get(clusterPlatform);
    const onByPlatform = clusterPlatform === ClusterPlatform.OPENSHIFT;
    if (!props.cni && !CNI_PROFILES.has(this.profile) && !onByPlatform) {
      return undefined;
    }
    const chosen = props.cni?.platform;
    if (chosen !== undefined && platformPreset !== undefined && chosen !== platformPreset && [...CNI_PRESETS.values(), CniPlatform.DEFAULT].includes(chosen)) {
      throw new Error(`cni.platform is ${chosen.name}, but the app's platform is ${clusterPlatform.name} (ClusterPlatform): leave cni.platform out, or give CniPlatform.custom({ binDir, confDir }) for directories of your own`);
    }
    const options: IstioCniOptions = { ...props.cni, platform: chosen ?? platformPreset };
    const platform = options.platform ?? CniPlatform.DEFAULT;
    const namespace = options.namespace ?? this.defaultCniNamespace(platform);
    assertDnsLabel('cni.namespace', namespace);
    return {
      namespace,
      values: istioCniValues(options, this.istioVersion),
      platform: platform.globalPlatform(this.istioVersion),
      nodeCriticalQuota: platform.needsNodeCriticalQuota && namespace !== 'kube-system',
    };
  }

  private ztunnelInstall(props: IstioControlPlaneProps): IstioZtunnelInstall | undefined {
    if (!this.ambient) {
      if (props.ztunnel) {
        throw new Error(`ztunnel runs only with an ambient profile, got profile ${this.profile}: set the profile to ambient (openshift-ambient on OpenShift), or leave ztunnel out`);
      }
      return undefined;
    }
    const platform = ClusterPlatform.of(this);
    const namespace = props.ztunnel?.namespace
      ?? (this.installPath === InstallPath.SAIL ? 'ztunnel' : platform === ClusterPlatform.OPENSHIFT ? 'kube-system' : this.namespace);
    assertDnsLabel('ztunnel.namespace', namespace);
    const trusted = props.values?.pilot?.trustedZtunnelNamespace;
    if (trusted !== undefined && trusted !== namespace) {
      throw new Error(`values.pilot.trustedZtunnelNamespace is '${trusted}' but ztunnel runs in '${namespace}': istiod would refuse the certificate requests of that ztunnel; leave values.pilot.trustedZtunnelNamespace out (it is written from ztunnel.namespace) or set ztunnel.namespace to '${trusted}'`);
    }
    return { namespace, nodeCriticalQuota: platform === ClusterPlatform.GKE && namespace !== 'kube-system' };
  }

  /**
   * Sail's own default for `IstioCNI` (`istio-cni`), a namespace for the node agent alone; the
   * IstioOperator's charts default to istiod's namespace, and on OpenShift to `kube-system`.
   */
  private defaultCniNamespace(platform: CniPlatform): string {
    if (this.installPath === InstallPath.SAIL) {
      return 'istio-cni';
    }
    return platform === CniPlatform.OPENSHIFT ? 'kube-system' : this.namespace;
  }

  /**
   * The ResourceQuota GKE needs before it admits the node agent's `system-node-critical` pods, for
   * the one install that cannot get it from Istio's chart: Sail with a release before 1.26 (Sail's
   * CRD spells the chart's `resourceQuotas` value `resource_quotas`, which the chart does not
   * read, and only the GKE profile of 1.26 and later turns it on). The same scope and limit as
   * the chart's own quota.
   */
  private emitCniNodeCriticalQuota(cni: IstioCniInstall): void {
    if (!cni.nodeCriticalQuota || this.installPath !== InstallPath.SAIL || this.istioVersion.isAtLeast(1, 26)) {
      return;
    }
    this.emitNodeCriticalQuota('CniResourceQuota', 'istio-cni-node-critical-pods', cni.namespace);
  }

  /**
   * The same ResourceQuota for ztunnel's `system-node-critical` pods on GKE, on every install
   * path before Istio 1.26: the ztunnel charts of 1.24 and 1.25 have no quota of their own, those
   * of 1.26 and later render it under `global.platform=gke`.
   */
  private emitZtunnelNodeCriticalQuota(ztunnel: IstioZtunnelInstall): void {
    if (ztunnel.nodeCriticalQuota && !this.istioVersion.isAtLeast(1, 26)) {
      this.emitNodeCriticalQuota('ZtunnelResourceQuota', 'ztunnel-node-critical-pods', ztunnel.namespace);
    }
  }

  private emitNodeCriticalQuota(id: string, name: string, namespace: string): void {
    new k8s.KubeResourceQuota(this, id, {
      metadata: { name, namespace },
      spec: {
        hard: { pods: k8s.Quantity.fromString('5000') },
        scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['system-node-critical'] }] },
      },
    });
  }

  private egressGatewayConfig(options: GatewayOptions): GatewayConfig {
    const field = 'egressGateway';
    const namespace = options.namespace ?? 'istio-egress';
    assertDnsLabel(`${field}.namespace`, namespace);
    const name = options.name ?? 'istio-egressgateway';
    assertDnsLabel(`${field}.name`, name);
    if (options.injection === undefined && this.revisions && !this.revisions.selects('default')) {
      throw new Error(`${field}.injection is required with revisions (no tag is named default, which istio-injection=enabled selects): give SidecarInjection.revision() with one of ${this.revisions.selectors().join(', ')}`);
    }
    const injection = options.injection ?? (this.revision ? SidecarInjection.revision(this.revision) : SidecarInjection.enabled());
    if (injection.description === 'disabled') {
      throw new Error(`${field}.injection: the gateway namespace ${namespace} must not be labelled istio-injection=disabled, because the gateway's proxy is injected (injection template gateway): use SidecarInjection.enabled() or SidecarInjection.revision(), or leave injection unset`);
    }
    assertComponentSettings(`${field}.k8s`, options.k8s);
    assertLabels(`${field}.labels`, options.labels);
    return {
      enabled: options.enabled ?? true,
      name,
      namespace,
      injection,
      labels: options.labels ?? { istio: 'egressgateway' },
      serviceType: options.serviceType,
      k8s: options.k8s,
    };
  }

  /**
   * The namespace of a component, never the cluster's own ones. Components that share one each
   * ask for it: the app renders it once, with the labels of all of them.
   */
  private emitNamespace(id: string, name: string, injection: SidecarInjection): MeshNamespace | undefined {
    if (SYSTEM_NAMESPACES.has(name)) {
      return undefined;
    }
    return new MeshNamespace(this, id, { name, injection });
  }
}
