import * as path from 'path';
import { App, Chart, Duration, Size, YamlOutputType } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Waypoint, WaypointTraffic } from '../ambient/waypoint';
import { DataPlaneMode } from '../core/data-plane-mode';
import { defined } from '../core/defined';
import { MeshNamespace, SidecarInjection } from '../core/mesh-namespace';
import { assertDnsLabel, isDnsLabel } from '../core/names';
import { ClusterPlatform } from '../core/cluster-platform';
import { ImageMirror } from '../core/image-mirror';
import { imageListFile } from '../output/image-list';
import { NamespaceLabelConflict } from '../core/namespace-registry';
import { ExistingGrafana } from '../dashboards/existing-grafana';
import { IGrafanaBackend, IGrafanaLink } from '../dashboards/grafana-backend';
import { DashboardJson } from '../dashboards/dashboard-json';
import { GrafanaCredentials } from '../dashboards/grafana-credentials';
import { GrafanaInstance } from '../dashboards/grafana-instance';
import { GrafanaJsonDashboards } from '../dashboards/grafana-json-dashboards';
import { IstioDashboard, IstioDashboards } from '../dashboards/istio-dashboards';
import { PrometheusDatasource } from '../dashboards/prometheus-datasource';
import { GrafanaSidecarDashboards } from '../dashboards/sidecar-dashboards';
import { SidecarGrafana } from '../dashboards/sidecar-grafana';
import { GatewayApiIngress, GatewayListener } from '../gateway/gateway-api-ingress';
import { GatewayDisruptionBudget, IngressGateway } from '../gateway/ingress-gateway';
import { CniPlatform, IstioCniOptions } from '../istio/cni';
import { ControlPlaneRevisions, ControlPlaneRevisionsError, ControlPlaneRevisionsOptions, newestRelease } from '../istio/control-plane-revisions';
import { IstioControlPlane, IstioControlPlaneProps } from '../istio/control-plane';
import { GatewayOptions } from '../istio/ingress-gateway-config';
import { InstallPath } from '../istio/install-path';
import { sailVersion } from '../istio/install-paths/sail-control-plane';
import { IstioOperatorFile } from '../istio/install-paths/istio-operator-file';
import { IstioVersion } from '../istio/istio-version';
import { IstioVersionSupport } from '../istio/version-support';
import { Kiali } from '../kiali/kiali';
import { EnvoyStatsPodMonitor } from '../metrics/envoy-stats-pod-monitor';
import { ExistingPrometheus } from '../metrics/existing-prometheus';
import { IIstioControlPlaneRef } from '../metrics/istio-control-plane-ref';
import { IstioRecordingRules, PodIdentityLabels } from '../metrics/istio-recording-rules';
import { IstioScrapeConfig } from '../metrics/istio-scrape-config';
import { IstiodServiceMonitor } from '../metrics/istiod-service-monitor';
import { ZtunnelPodMonitor } from '../metrics/ztunnel-pod-monitor';
import { IPrometheusBackend } from '../metrics/prometheus-backend';
import { PrometheusMerge } from '../metrics/prometheus-merge';
import { assertPrometheusLabelName } from '../metrics/prometheus-duration';
import { PrometheusServer } from '../metrics/prometheus-server';
import { PrometheusStorage } from '../metrics/prometheus-storage';
import { addArgoCdSyncWaves } from '../output/argocd-sync-waves';
import { AccessMatrix } from '../authorization/access-matrix';
import { AuthorizationMode } from '../authorization/authorization-mode';
import { LimitedCall } from '../authorization/limited-call';
import { ICaller, WorkloadIdentity, WorkloadServiceAccount } from '../authorization/workload-identity';
import { ExternalNamespace, IEgressTarget } from '../scoping/egress-target';
import { MeshMtls } from '../scoping/mesh-mtls';
import { MeshService } from '../scoping/mesh-service';
import { NamespaceMtls } from '../scoping/namespace-mtls';
import { ScopeReport, renderedServices } from '../scoping/scope-report';
import { SidecarScope } from '../scoping/sidecar-scope';
import { SidecarScoping } from '../scoping/sidecar-scoping';
import { WorkloadNamespace } from '../scoping/workload-namespace';
import { ExternalTracing } from '../tracing/external-tracing';
import { Jaeger, JaegerStorage } from '../tracing/jaeger';
import { JaegerV2, JaegerV2Storage } from '../tracing/jaeger-v2';
import { ServiceTrafficPolicy, ServiceTrafficPolicyProps } from '../traffic/service-traffic-policy';
import { MeshTracing, TracingMode } from '../tracing/mesh-tracing';
import { ITracingBackend } from '../tracing/tracing-backend';
import { MeshValidation } from '../validation/mesh-validation';
import { crdFilesOfCdk8sYaml, readCrdSchemas } from '../validation/user-crds';
import { MeshWarningCode, MeshWarnings, formatMeshWarning } from '../validation/mesh-warnings';
import { ConfigProblem, MeshConfigError } from './config-problem';
import { didYouMean, joinPath } from './key-paths';
import { parseDurationString } from './duration-string';
import { toIstioMeshConfig, toIstioValues } from './istio-values';
import {
  CniPlatformSpec, ContainerResourcesSpec, ControlPlaneSpec, DashboardFileSpec, DataPlaneSpec, DashboardsSpec, DisruptionBudgetSpec, GatewayListenerProtocolSpec,
  GatewayListenerSpec, GatewaySpec, GrafanaCredentialsSpec, IngressGatewaySpec, InjectionSpec, IstioDashboardsSpec, JaegerStorageSpec,
  JaegerV2StorageSpec, MeshSpec, MetricsSpec, PlatformSpec, PrometheusServerSpec, PrometheusStorageSpec, TracingProtocolSpec, ServiceTrafficPolicySpec, TracingSpec, WaypointSpec, WaypointTrafficSpec, WorkloadsSpec, AuthorizationSpec, CallSpec, ServiceAccountSpec,
} from './mesh-spec';

/** Options of {@link buildMesh}. */
export interface BuildMeshOptions {
  /** How problems name the config file. @default 'mesh.yaml' */
  readonly file?: string;
  /**
   * Key paths that have problems already (those of the schema check): the parts of the mesh at
   * or under them are not built, so that one mistake is not reported twice.
   * @default - none
   */
  readonly skipPaths?: readonly string[];
  /**
   * Output folder of the istioctl input file (a separate app, not for `kubectl apply`).
   * @default - `istioctl` inside the app's outdir
   */
  readonly istioctlOutdir?: string;
}

/** A mesh built from a spec, ready to synthesize. */
export interface MeshBuild {
  /** The app the charts were built in. */
  readonly app: App;
  /** The charts, in apply order. */
  readonly charts: readonly Chart[];
  /** The control plane. */
  readonly controlPlane: IstioControlPlane;
  /** The Sidecar scoping of the workloads, when the spec has workloads. */
  readonly scoping?: SidecarScoping;
  /** The app holding the istioctl input file, when one is written. */
  readonly istioctlApp?: App;
  /** Folders of the output that are not for `kubectl apply` (relative to the app's outdir). */
  readonly notForApply: readonly string[];
  /** Reports to write beside the manifests, by path relative to the outdir. */
  readonly extraFiles: Readonly<Record<string, string>>;
  /**
   * Namespaces the output refers to but does not create, sorted: pass them to `assertValid`
   * as `externalNamespaces`.
   */
  readonly externalNamespaces: readonly string[];
  /** What the synth summary should warn about: choices that are valid but may surprise. */
  readonly warnings: readonly string[];
  /**
   * The CRD files (absolute paths) and unchecked kinds of the spec's `validation`: pass them to
   * `assertValid` as `crds` and `uncheckedKinds`.
   */
  readonly validation: { readonly crds: readonly string[]; readonly uncheckedKinds: readonly string[]; readonly kubernetesVersion?: string };
}

/** Charts in the order `kubectl apply -f` and Argo CD's sync waves take them; file names follow. */
const CHART_IDS = { observability: 'observability', istio: 'istio', monitoring: 'monitoring', dashboards: 'dashboards', kiali: 'kiali', workloads: 'workloads' };
/** Sub-folder of the istioctl input file: read by `istioctl install -f`, never by `kubectl apply`. */
const ISTIOCTL_FOLDER = 'istioctl';
const WAYPOINT_TRAFFIC: Record<WaypointTrafficSpec, WaypointTraffic> = {
  [WaypointTrafficSpec.SERVICE]: WaypointTraffic.SERVICE,
  [WaypointTrafficSpec.WORKLOAD]: WaypointTraffic.WORKLOAD,
  [WaypointTrafficSpec.ALL]: WaypointTraffic.ALL,
  [WaypointTrafficSpec.NONE]: WaypointTraffic.NONE,
};
/** controlPlane.profile values that run ztunnel, so that namespaces may be ambient. */
const AMBIENT_PROFILE_SPECS: readonly string[] = ['ambient', 'openshift-ambient'];
/** Where Jaeger (v1 and v2), the rendered Prometheus and Grafana and the ingress gateway live unless told otherwise: their constructs' defaults. */
const DEFAULT_NAMESPACES = { tracing: 'observability', prometheus: 'monitoring', grafana: 'grafana', ingressGateway: 'istio-ingress' };

const CLUSTER_PLATFORMS: Record<PlatformSpec, ClusterPlatform> = {
  [PlatformSpec.KUBERNETES]: ClusterPlatform.KUBERNETES,
  [PlatformSpec.GKE]: ClusterPlatform.GKE,
  [PlatformSpec.K3S]: ClusterPlatform.K3S,
  [PlatformSpec.OPENSHIFT]: ClusterPlatform.OPENSHIFT,
};

/**
 * The platform mesh.yaml is for: `platform`, else what the control plane's profile or CNI preset
 * implies, so that `profile: openshift` alone is enough.
 */
function meshPlatform(spec: MeshSpec): PlatformSpec {
  if (spec.platform !== undefined) {
    return spec.platform;
  }
  const profile = spec.controlPlane?.profile as string | undefined;
  if (profile === 'openshift' || profile === 'openshift-ambient') {
    return PlatformSpec.OPENSHIFT;
  }
  const cniPlatform = spec.controlPlane?.cni?.platform;
  return cniPlatform === undefined || cniPlatform === CniPlatformSpec.DEFAULT ? PlatformSpec.KUBERNETES : cniPlatform as string as PlatformSpec;
}

const CNI_PLATFORMS: Record<CniPlatformSpec, CniPlatform> = {
  [CniPlatformSpec.DEFAULT]: CniPlatform.DEFAULT,
  [CniPlatformSpec.GKE]: CniPlatform.GKE,
  [CniPlatformSpec.K3S]: CniPlatform.K3S,
  [CniPlatformSpec.OPENSHIFT]: CniPlatform.OPENSHIFT,
};

const ISTIO_DASHBOARDS: ReadonlyArray<readonly [keyof IstioDashboardsSpec, IstioDashboard]> = [
  ['mesh', IstioDashboard.MESH],
  ['performance', IstioDashboard.PERFORMANCE],
  ['service', IstioDashboard.SERVICE],
  ['workload', IstioDashboard.WORKLOAD],
  ['controlPlane', IstioDashboard.CONTROL_PLANE],
  ['ztunnel', IstioDashboard.ZTUNNEL],
];

/**
 * Builds the charts of a mesh spec (mesh.yaml) into `app`: tracing backend, control plane with
 * ingress gateway and mTLS, metrics, dashboards, Kiali and workload scoping, each in its own
 * chart, wired by reference; and the istioctl input file in an app of its own.
 *
 * Every part is built even when another fails, so that all problems are reported at once, each
 * with the key path it comes from.
 *
 * ```ts
 * const app = new App({ outdir: 'dist' });
 * const mesh = buildMesh(app, loadMeshConfig('mesh.yaml'));
 * app.synth();
 * mesh.istioctlApp?.synth();
 * ```
 *
 * @throws MeshConfigError listing every problem the constructs found
 */
export function buildMesh(app: App, spec: MeshSpec, options: BuildMeshOptions = {}): MeshBuild {
  return new MeshBuilder(app, spec, options).build();
}

/** What parts that depend on the control plane need of it, also when it could not be built. */
interface ControlPlaneFacts extends IIstioControlPlaneRef {
  readonly rootNamespace: string;
  readonly revision?: string;
  /** The checked revisions and tags, when controlPlane.revisions was given and the control plane built. */
  readonly revisions?: ControlPlaneRevisions;
  /** The release, when the control plane could be built. */
  readonly istioVersion?: IstioVersion;
}

class MeshBuilder {
  private readonly problems: ConfigProblem[] = [];
  private readonly charts: Chart[] = [];
  private readonly file: string;
  /** Services declared under workloads, by `namespace/service`, for the routes that expose them. */
  private readonly declaredServices = new Map<string, MeshService>();
  /** Namespaces and services (`namespace/service`) whose declaration failed and was reported. */
  private readonly failedDeclarations = new Set<string>();
  private gatewayApiIngress?: GatewayApiIngress;
  /** The injected ingress gateway, the caller of exposed services. */
  private ingressGateway?: IngressGateway;

  constructor(private readonly app: App, private readonly spec: MeshSpec, private readonly options: BuildMeshOptions) {
    this.file = options.file ?? 'mesh.yaml';
  }

  public build(): MeshBuild {
    const spec = this.spec;
    // Before any part is created: every part that renders pods reads it.
    ClusterPlatform.use(this.app, CLUSTER_PLATFORMS[meshPlatform(spec)]);
    const imageMirror = spec.imageMirror && this.attempt('imageMirror', spec.imageMirror,
      () => ImageMirror.at(spec.imageMirror!.registry, { keepSourceRegistry: spec.imageMirror!.keepSourceRegistry }));
    if (imageMirror) {
      ImageMirror.use(this.app, imageMirror);
    }
    const tracingBackend = spec.tracing && !this.skipped('tracing') ? this.buildTracingBackend() : undefined;
    const meshTracing = tracingBackend && this.attempt('tracing', spec.tracing, () => meshTracingOf(tracingBackend, spec.tracing!));

    const istio = this.chart(CHART_IDS.istio);
    const controlPlaneSpec = spec.controlPlane ?? {};
    if (controlPlaneSpec.ingressGateway !== undefined) {
      this.problems.push({
        path: 'controlPlane.ingressGateway',
        message: 'moved: the ingress gateway has one place, the top-level ingressGateway key, which every install path reads '
          + '(the injected gateway Deployment, and the IstioOperator leaves the gateway to it). Write namespace, injection, labels '
          + 'and serviceType there (ingressGateway: { namespace: istio-ingress }); enabled and k8s have no successor: leave out '
          + 'ingressGateway for no gateway, size it with minReplicas, maxReplicas and resources',
      });
    }
    const controlPlane = this.skipped('controlPlane') ? undefined : this.buildControlPlane(istio, controlPlaneSpec, meshTracing);
    const facts: ControlPlaneFacts = controlPlane ?? fallbackFacts(controlPlaneSpec);
    if (controlPlane && spec.metrics?.prometheusMerge !== undefined && !this.skipped('metrics')) {
      const merge = spec.metrics.prometheusMerge ? PrometheusMerge.ENABLED : PrometheusMerge.DISABLED;
      this.attempt('metrics.prometheusMerge', undefined, () => controlPlane.addMeshConfig(merge.meshConfigFragment, 'metrics.prometheusMerge'));
    }
    if (spec.ingressGateway && !this.skipped('ingressGateway')) {
      this.buildIngressGateway(istio, spec.ingressGateway, facts);
    }
    if (spec.mtls && !this.skipped('mtls')) {
      this.attempt('mtls', spec.mtls, () => new MeshMtls(istio, 'mtls', defined({ rootNamespace: facts.rootNamespace, mode: spec.mtls!.mode })));
    }

    const prometheus = spec.metrics && !this.skipped('metrics') ? this.buildMetrics(facts) : undefined;
    const grafana = spec.dashboards && !this.skipped('dashboards') ? this.buildDashboards(prometheus, controlPlane?.istioVersion) : undefined;
    if (spec.kiali && !this.skipped('kiali')) {
      this.buildKiali(facts, prometheus, grafana, tracingBackend);
    }
    const scoping = spec.workloads && !this.skipped('workloads') ? this.buildWorkloads(spec.workloads, facts, controlPlane) : undefined;
    if (spec.ingressGateway?.gatewayApi && !this.skipped('ingressGateway') && !this.skipped('workloads')) {
      this.exposeRoutes('ingressGateway.gatewayApi.routes', spec.ingressGateway.gatewayApi.routes ?? [], (service, route) => this.gatewayApiIngress?.expose(service, defined({
        hostname: route.hostname, pathPrefix: route.pathPrefix, port: route.port, listeners: route.listeners, routeName: route.routeName,
      })));
    } else if (spec.ingressGateway?.routes && !this.skipped('ingressGateway') && !this.skipped('workloads')) {
      this.exposeRoutes('ingressGateway.routes', spec.ingressGateway.routes, (service, route) => this.ingressGateway?.expose(service, defined({
        hostname: route.hostname, pathPrefix: route.pathPrefix, port: route.port, certificateSecretName: route.certificateSecretName, routeName: route.routeName,
      })));
    }
    if (!this.skipped('externalNamespaces')) {
      (spec.externalNamespaces ?? []).forEach((name, index) => {
        this.attempt(`externalNamespaces[${index}]`, undefined, () => assertDnsLabel('external namespace name', name));
      });
    }
    const istioctlApp = controlPlane ? this.buildIstioctlFile(controlPlaneSpec, controlPlane) : undefined;
    const validation = {
      ...this.skipped('validation') ? { crds: [], uncheckedKinds: [] } : this.validationOptions(),
      kubernetesVersion: controlPlane?.kubernetesVersion,
    };

    if (this.problems.length > 0 || !controlPlane) {
      throw new MeshConfigError(this.file, this.problems);
    }
    if (spec.argoCdSyncWaves !== false) {
      addArgoCdSyncWaves(this.charts);
    }
    const externalNamespaces = this.externalNamespaces(prometheus, grafana, scoping);
    MeshValidation.of(this.app).addExternalNamespaces(...externalNamespaces).addCrds(...validation.crds).addUncheckedKinds(...validation.uncheckedKinds);
    return {
      app: this.app,
      charts: [...this.charts],
      controlPlane,
      scoping,
      istioctlApp,
      notForApply: istioctlApp ? [ISTIOCTL_FOLDER] : [],
      extraFiles: {
        ...scoping && Object.fromEntries(Object.entries({ ...ScopeReport.of(scoping, { otherServices: renderedServices(this.app) }).files(), ...AccessMatrix.of(scoping).files() })
          .map(([file, content]) => [`reports/${file}`, content])),
        ...imageListFile(imageMirror),
      },
      externalNamespaces,
      warnings: MeshWarnings.of(this.app).all.map((warning) => formatMeshWarning({ ...warning, fix: MESH_YAML_FIXES[warning.code]?.() ?? warning.fix })),
      validation,
    };
  }

  /** The spec's CRD sources, relative to the config file, each read once here so that a bad one is named by its key. */
  private validationOptions(): { crds: string[]; uncheckedKinds: string[] } {
    const spec = this.spec.validation ?? {};
    const baseDir = path.dirname(path.resolve(this.file));
    const crds: string[] = [];
    const add = (keyPath: string, sources: readonly string[]) => {
      for (const source of sources) {
        if (this.attempt(keyPath, undefined, () => readCrdSchemas([source], baseDir)) && !crds.includes(path.resolve(baseDir, source))) {
          crds.push(path.resolve(baseDir, source));
        }
      }
    };
    (spec.crds ?? []).forEach((source, index) => add(`validation.crds[${index}]`, [source]));
    if (spec.cdk8sImports !== undefined) {
      add('validation.cdk8sImports', this.attempt('validation.cdk8sImports', undefined, () => crdFilesOfCdk8sYaml(spec.cdk8sImports!, baseDir)) ?? []);
    }
    return { crds, uncheckedKinds: [...spec.uncheckedKinds ?? []] };
  }


  private buildTracingBackend(): ITracingBackend | undefined {
    const backend = this.spec.tracing!.backend;
    if (backend.external) {
      return this.attempt('tracing.backend.external', backend.external, () => new ExternalTracing(backend.external!));
    }
    const observability = this.chart(CHART_IDS.observability);
    if (backend.jaegerV2) {
      const jaeger = backend.jaegerV2;
      const at = 'tracing.backend.jaegerV2';
      const storage = jaeger.storage && this.attempt(`${at}.storage`, jaeger.storage, () => jaegerV2Storage(jaeger.storage!));
      return this.attempt(at, jaeger, () => {
        const namespace = new MeshNamespace(observability, 'namespace', { name: jaeger.namespace ?? DEFAULT_NAMESPACES.tracing });
        return new JaegerV2(observability, 'jaeger', defined({
          namespace: namespace.name,
          name: jaeger.name,
          labels: jaeger.labels,
          image: jaeger.image,
          replicas: jaeger.replicas,
          storage,
          resources: jaeger.resources && containerResources(jaeger.resources),
        }));
      });
    }
    const jaeger = backend.jaeger!;
    const at = 'tracing.backend.jaeger';
    const storage = jaeger.storage && this.attempt(`${at}.storage`, jaeger.storage, () => jaegerStorage(jaeger.storage!));
    return this.attempt(at, jaeger, () => {
      const namespace = new MeshNamespace(observability, 'namespace', { name: jaeger.namespace ?? DEFAULT_NAMESPACES.tracing });
      return new Jaeger(observability, 'jaeger', defined({
        namespace: namespace.name,
        name: jaeger.name,
        labels: jaeger.labels,
        strategy: jaeger.strategy,
        storage,
        kafka: jaeger.kafka,
      }));
    });
  }

  private buildControlPlane(istio: Chart, spec: ControlPlaneSpec, tracing: MeshTracing | undefined): IstioControlPlane | undefined {
    // The release and the cluster's Kubernetes are checked first, with their own key paths;
    // a release the library does not know cannot be built at all.
    const revisions = spec.revisions && this.revisionsOptions(spec);
    if (spec.revisions && !revisions) {
      return undefined;
    }
    const version = this.attempt('controlPlane.version', undefined, () => {
      const parsed = revisions ? newestRelease(revisions.versions)!
        : spec.version === undefined ? IstioVersion.LATEST : IstioVersion.of(spec.version);
      IstioVersionSupport.assertKnown(parsed);
      if ((spec.installPath ?? (parsed.isAtLeast(1, 24) ? InstallPath.SAIL : InstallPath.IN_CLUSTER_OPERATOR)) === InstallPath.SAIL) {
        sailVersion(parsed);
      }
      return parsed;
    });
    if (!version) {
      return undefined;
    }
    // Every running revision must support the cluster's Kubernetes.
    const kubernetesSupported = spec.kubernetesVersion !== undefined
      && this.attempt('controlPlane.kubernetesVersion', undefined, () => {
        for (const running of revisions?.versions ?? [version]) {
          IstioVersionSupport.assertSupports(running, spec.kubernetesVersion!);
        }
        return true;
      }) === true;
    return this.attempt('controlPlane', spec, () => new IstioControlPlane(istio, 'control-plane', this.controlPlaneProps(spec, {
      version: spec.version === undefined || revisions ? undefined : version,
      kubernetesVersion: kubernetesSupported ? spec.kubernetesVersion : undefined,
      tracing,
      revisions,
    })));
  }

  /**
   * controlPlane.revisions as props, each problem at its own key: releases, tags, and the rules
   * between them (each release once, at most two minors apart, tags on running releases).
   */
  private revisionsOptions(spec: ControlPlaneSpec): ControlPlaneRevisionsOptions | undefined {
    const at = 'controlPlane.revisions';
    const revisionsSpec = spec.revisions!;
    const before = this.problems.length;
    for (const key of ['version', 'revision'] as const) {
      if (spec[key] !== undefined) {
        this.problems.push({
          path: `controlPlane.${key}`,
          message: `is replaced by ${at} (the newest of ${at}.versions is the active revision, and Sail names each revision after its release): leave controlPlane.${key} out`,
        });
      }
    }
    const sail = onSail(spec);
    const release = (keyPath: string, text: string) => this.attempt(keyPath, undefined, () => {
      const parsed = IstioVersion.of(text);
      IstioVersionSupport.assertKnown(parsed);
      if (sail) {
        sailVersion(parsed);
      }
      return parsed;
    });
    const versions = revisionsSpec.versions.map((text, index) => release(`${at}.versions[${index}]`, text));
    const tags = Object.entries(revisionsSpec.tags ?? {}).map(([tag, text]) => [tag, release(joinPath(`${at}.tags`, tag), text)] as const);
    if (this.problems.length > before) {
      return undefined;
    }
    const options: ControlPlaneRevisionsOptions = defined({
      versions: versions as IstioVersion[],
      tags: revisionsSpec.tags && Object.fromEntries(tags) as Record<string, IstioVersion>,
      inactiveRevisionDeletionGracePeriodSeconds: revisionsSpec.inactiveRevisionDeletionGracePeriodSeconds,
    });
    try {
      ControlPlaneRevisions.of(options, 'default', at, sail);
    } catch (error) {
      if (!(error instanceof ControlPlaneRevisionsError)) {
        throw error;
      }
      this.problems.push({ path: error.key.startsWith('tags.') ? joinPath(`${at}.tags`, error.key.slice(5)) : `${at}.${error.key}`, message: error.problem });
      return undefined;
    }
    return options;
  }

  private controlPlaneProps(spec: ControlPlaneSpec, checked: Pick<IstioControlPlaneProps, 'version' | 'kubernetesVersion' | 'tracing' | 'revisions'>): IstioControlPlaneProps {
    const at = 'controlPlane';
    return defined({
      version: checked.version,
      revisions: checked.revisions,
      kubernetesVersion: checked.kubernetesVersion,
      installPath: spec.installPath,
      profile: spec.profile,
      hub: spec.hub,
      tag: spec.tag,
      namespace: spec.namespace,
      revision: spec.revision,
      meshConfig: spec.meshConfig && this.attempt(`${at}.meshConfig`, undefined, () => toIstioMeshConfig(`${at}.meshConfig`, spec.meshConfig!)),
      values: spec.values && this.attempt(`${at}.values`, undefined, () => toIstioValues(`${at}.values`, spec.values!)),
      pilot: spec.pilot,
      cni: spec.cni && defined<IstioCniOptions>({
        platform: spec.cni.platform && CNI_PLATFORMS[spec.cni.platform],
        namespace: spec.cni.namespace,
        excludeNamespaces: spec.cni.excludeNamespaces,
        chained: spec.cni.chained,
        binDir: spec.cni.binDir,
        confDir: spec.cni.confDir,
      }),
      dnsProxy: spec.dnsProxy,
      ztunnel: spec.ztunnel,
      egressGateway: spec.egressGateway && this.gatewayOptions(`${at}.egressGateway`, spec.egressGateway, spec.revision, checked.revisions),
      tracing: checked.tracing,
      inClusterOperator: spec.inClusterOperator,
      sourceKeyPath: at,
    });
  }

  private gatewayOptions(at: string, spec: GatewaySpec, revision: string | undefined, revisionsOptions: ControlPlaneRevisionsOptions | undefined): GatewayOptions {
    const revisionTag = spec.revisionTag;
    if (revisionTag !== undefined) {
      const revisions = revisionsOptions && ControlPlaneRevisions.of(revisionsOptions, 'default', 'controlPlane.revisions', onSail(this.spec.controlPlane ?? {}));
      const selectable = this.revisionSelector(`${at}.revisionTag`, revisionTag, spec.injection, revisions);
      return defined({
        enabled: spec.enabled, name: spec.name, namespace: spec.namespace, labels: spec.labels, serviceType: spec.serviceType, k8s: spec.k8s,
        injection: selectable ? SidecarInjection.revision(revisionTag) : undefined,
      });
    }
    return defined({
      enabled: spec.enabled,
      name: spec.name,
      namespace: spec.namespace,
      labels: spec.labels,
      serviceType: spec.serviceType,
      k8s: spec.k8s,
      injection: spec.injection && this.attempt(`${at}.injection`, undefined, () => sidecarInjection(spec.injection!, revision)),
    });
  }

  /** The ingress gateway in its own namespace, following the control plane's revision; the same on every install path. */
  private buildIngressGateway(istio: Chart, spec: IngressGatewaySpec, controlPlane: ControlPlaneFacts): void {
    if (spec.gatewayApi) {
      this.buildGatewayApiIngress(istio, spec, controlPlane);
      return;
    }
    const revisionTag = this.gatewayRevisionTag(spec, controlPlane);
    if (revisionTag === null) {
      return;
    }
    const injection = revisionTag !== undefined ? SidecarInjection.revision(revisionTag)
      : spec.injection === undefined
        ? controlPlane.revision === undefined ? SidecarInjection.enabled() : SidecarInjection.revision(controlPlane.revision)
        : this.attempt('ingressGateway.injection', undefined, () => {
        if (spec.injection === InjectionSpec.DISABLED) {
          throw new Error(`the gateway namespace ${spec.namespace ?? DEFAULT_NAMESPACES.ingressGateway} must not be labelled istio-injection=disabled, `
            + 'because the gateway\'s proxy is injected (injection template gateway): use enabled, revision or none, or leave injection out');
        }
        return sidecarInjection(spec.injection!, controlPlane.revision);
      });
    if (!injection) {
      return;
    }
    this.ingressGateway = this.attempt('ingressGateway', spec, () => new IngressGateway(istio, 'ingress-gateway', defined({
      namespace: new MeshNamespace(istio, 'ingress-gateway-namespace', { name: spec.namespace ?? DEFAULT_NAMESPACES.ingressGateway, injection }),
      revision: revisionTag ?? controlPlane.revision,
      name: spec.name,
      labels: spec.labels,
      serviceType: spec.serviceType,
      serviceAnnotations: spec.serviceAnnotations,
      externalTrafficPolicy: spec.externalTrafficPolicy,
      loadBalancerSourceRanges: spec.loadBalancerSourceRanges,
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      targetCpuUtilizationPercent: spec.targetCpuUtilizationPercent,
      resources: spec.resources,
      disruptionBudget: spec.disruptionBudget && disruptionBudget(spec.disruptionBudget),
      placement: spec.placement,
    })));
  }

  /**
   * ingressGateway.revisionTag, checked against controlPlane.revisions: required there (the
   * gateway moves between revisions explicitly, unless a tag is named default), refused beside
   * injection. `null` when refused.
   */
  private gatewayRevisionTag(spec: IngressGatewaySpec, controlPlane: ControlPlaneFacts): string | undefined | null {
    const revisions = controlPlane.revisions;
    const tag = spec.revisionTag;
    const at = 'ingressGateway.revisionTag';
    if (tag === undefined) {
      if (revisions && !revisions.selects('default')) {
        this.problems.push({
          path: at,
          message: `is required with controlPlane.revisions, so that the gateway changes revision only when this line does: set it to one of ${revisions.selectors().join(', ')}`,
        });
        return null;
      }
      return undefined;
    }
    return this.revisionSelector(at, tag, spec.injection, revisions) ? tag : null;
  }

  /** Whether a revisionTag may be written: a running tag or revision, never beside injection. */
  private revisionSelector(at: string, tag: string, injection: InjectionSpec | undefined, revisions: ControlPlaneRevisions | undefined): boolean {
    if (injection !== undefined) {
      this.problems.push({ path: at, message: `'${tag}' and injection ${injection} are set together: istio.io/rev and istio-injection are never combined (istio-injection wins); leave injection out` });
      return false;
    }
    if (!revisions) {
      // controlPlane.revisions that could not be built is reported at its own key already.
      if (this.spec.controlPlane?.revisions === undefined) {
        this.problems.push({ path: at, message: `'${tag}' selects a revision tag, but there is no controlPlane.revisions: add controlPlane.revisions with this tag, or use injection` });
      }
      return false;
    }
    if (!revisions.selects(tag)) {
      this.problems.push({
        path: at,
        message: `'${tag}' is not a tag or revision of controlPlane.revisions (${revisions.selectors().join(', ')}): pick one of them, or add the tag under controlPlane.revisions.tags`,
      });
      return false;
    }
    return true;
  }

  /**
   * The ingress gateway as a Gateway API Gateway that istiod deploys; the keys of the injected
   * kind are refused, so that each gateway is of one kind.
   */
  private buildGatewayApiIngress(istio: Chart, spec: IngressGatewaySpec, controlPlane: ControlPlaneFacts): void {
    const gatewayApi = spec.gatewayApi!;
    const at = 'ingressGateway.gatewayApi';
    const revisionTag = this.gatewayRevisionTag({ ...spec, injection: undefined }, controlPlane);
    if (revisionTag === null) {
      return;
    }
    if (spec.injection !== undefined) {
      this.problems.push({
        path: 'ingressGateway.injection',
        message: `is for the injected gateway only, and ${at} makes this a Gateway API gateway, whose pods istiod creates without injection `
          + '(the namespace label would be ignored): leave injection out, or remove gatewayApi for the injected gateway',
      });
    }
    if (spec.routes !== undefined) {
      this.problems.push({
        path: 'ingressGateway.routes',
        message: `are the injected gateway's (an Istio Gateway and VirtualServices), and ${at} makes this a Gateway API gateway: `
          + `put its routes in ${at}.routes, or remove gatewayApi for the injected gateway`,
      });
    }
    if (spec.labels !== undefined) {
      this.problems.push({
        path: 'ingressGateway.labels',
        message: `is for the injected gateway only, and ${at} makes this a Gateway API gateway, whose pods istiod labels gateway.networking.k8s.io/gateway-name `
          + `itself: put extra pod labels in ${at}.infrastructureLabels, or remove gatewayApi for the injected gateway`,
      });
    }
    const listeners = (gatewayApi.listeners ?? [{ protocol: GatewayListenerProtocolSpec.HTTP }]).map((listener, index) => {
      const listenerAt = `${at}.listeners[${index}]`;
      if (listener.protocol === GatewayListenerProtocolSpec.HTTPS && listener.certificateSecretName === undefined) {
        this.problems.push({
          path: `${listenerAt}.certificateSecretName`,
          message: 'is required for protocol HTTPS: name the kubernetes.io/tls Secret with the certificate and key (cert-manager\'s, or kubectl create secret tls)',
        });
        return undefined;
      }
      return this.attempt(listenerAt, listener, () => gatewayListener(listener));
    });
    if (listeners.some((listener) => listener === undefined)) {
      return;
    }
    try {
      this.gatewayApiIngress = new GatewayApiIngress(istio, 'ingress-gateway', defined({
        namespace: new MeshNamespace(istio, 'ingress-gateway-namespace', { name: spec.namespace ?? DEFAULT_NAMESPACES.ingressGateway }),
        revision: revisionTag ?? controlPlane.revision,
        name: spec.name,
        listeners: listeners as GatewayListener[],
        serviceType: spec.serviceType,
        serviceAnnotations: spec.serviceAnnotations,
        externalTrafficPolicy: spec.externalTrafficPolicy,
        loadBalancerSourceRanges: spec.loadBalancerSourceRanges,
        infrastructureLabels: gatewayApi.infrastructureLabels,
        infrastructureAnnotations: gatewayApi.infrastructureAnnotations,
        redirectHttpToHttps: gatewayApi.redirectHttpToHttps,
        minReplicas: spec.minReplicas,
        maxReplicas: spec.maxReplicas,
        targetCpuUtilizationPercent: spec.targetCpuUtilizationPercent,
        resources: spec.resources,
        disruptionBudget: spec.disruptionBudget && disruptionBudget(spec.disruptionBudget),
        placement: spec.placement,
      }));
    } catch (error) {
      // A key of gatewayApi the message names is the problem there; otherwise one of the shared keys.
      const message = error instanceof Error ? error.message : String(error);
      const inGatewayApi = attribute(at, gatewayApi, message);
      this.problems.push(inGatewayApi.path !== at ? inGatewayApi : attribute('ingressGateway', spec, message));
    }
  }

  /**
   * The gateway's routes (`at`: their mesh.yaml key), each to a service declared under workloads:
   * an HTTPRoute each for the Gateway API gateway, a VirtualService per hostname for the injected one.
   */
  private exposeRoutes<R extends { readonly service: string; readonly port?: number }>(at: string, routes: readonly R[], expose: (service: MeshService, route: R) => void): void {
    routes.forEach((route, index) => {
      this.attempt(`${at}[${index}]`, route, () => {
        const service = this.routedService(route.service, route.port);
        if (service) {
          expose(service, route);
        }
      });
    });
  }

  /**
   * The declared service a route names (`<namespace>/<service>`); undefined when its declaration
   * failed and was reported already.
   * @throws if no such service is declared, or it does not declare the route's port
   */
  private routedService(name: string, port: number | undefined): MeshService | undefined {
    const service = this.declaredServices.get(name);
    if (service) {
      if (port !== undefined && !service.ports.includes(port)) {
        throw new Error(`port ${port} is not a port of service ${name} (its ports: ${service.ports.join(', ')}): use one of them, or declare it under workloads.namespaces.${service.namespaceName}.services.${service.name}.ports`);
      }
      return service;
    }
    if (this.failedDeclarations.has(name) || this.failedDeclarations.has(name.split('/')[0])) {
      return undefined;
    }
    const suggestion = didYouMean(name, [...this.declaredServices.keys()]);
    throw new Error(`service '${name}' is not a service declared under workloads.namespaces (<namespace>/<service>)`
      + (suggestion ? `; did you mean '${suggestion}'?` : ': declare it under workloads.namespaces.<namespace>.services with its ports'));
  }

  private prometheusStorage(at: string, spec: PrometheusStorageSpec): PrometheusStorage | undefined {
    if (spec.persistentVolume) {
      const volume = spec.persistentVolume;
      return this.attempt(`${at}.persistentVolume`, volume, () => PrometheusStorage.persistentVolume(defined({
        size: volume.sizeGibibytes === undefined ? undefined : wholeGibibytes('sizeGibibytes', volume.sizeGibibytes),
        storageClassName: volume.storageClassName,
      })));
    }
    const emptyDir = spec.emptyDir!;
    return this.attempt(`${at}.emptyDir`, emptyDir, () => PrometheusStorage.emptyDir(defined({
      sizeLimit: emptyDir.sizeLimitGibibytes === undefined ? undefined : wholeGibibytes('sizeLimitGibibytes', emptyDir.sizeLimitGibibytes),
    })));
  }

  private buildMetrics(controlPlane: ControlPlaneFacts): IPrometheusBackend | undefined {
    const metrics = this.spec.metrics!;
    const rendersObjects = metrics.prometheus.server !== undefined || metrics.scrapeConfig !== undefined
      || metrics.envoyStatsMonitor !== undefined || metrics.istiodMonitor !== undefined || metrics.recordingRules !== undefined
      || metrics.ztunnelMonitor !== undefined;
    const monitoring = rendersObjects ? this.chart(CHART_IDS.monitoring) : undefined;
    const source = metrics.prometheus;
    let prometheus: IPrometheusBackend | undefined;
    let server: PrometheusServer | undefined;
    if (source.inCluster) {
      prometheus = this.attempt('metrics.prometheus.inCluster', source.inCluster, () => ExistingPrometheus.inCluster(source.inCluster));
    } else if (source.external) {
      const external = source.external;
      prometheus = this.attempt('metrics.prometheus.external', external, () => ExistingPrometheus.fromUrl(external.url, defined({ monitorSelectorLabels: external.monitorSelectorLabels })));
    } else {
      const props = source.server!;
      const at = 'metrics.prometheus.server';
      const storage = props.storage && this.prometheusStorage(`${at}.storage`, props.storage);
      server = this.attempt(at, props, () => {
        assertRetentionSizeFits(props);
        const namespace = new MeshNamespace(monitoring!, 'namespace', { name: props.namespace ?? DEFAULT_NAMESPACES.prometheus });
        return new PrometheusServer(monitoring!, 'prometheus', defined({
          namespace: namespace.name,
          name: props.name,
          monitorSelectorLabels: props.monitorSelectorLabels,
          replicas: props.replicas,
          version: props.version,
          scrapeInterval: optionalDuration('scrapeInterval', props.scrapeInterval),
          evaluationInterval: optionalDuration('evaluationInterval', props.evaluationInterval),
          retention: optionalDuration('retention', props.retention),
          storage,
          retentionSize: props.retentionSizeGibibytes === undefined ? undefined : wholeGibibytes('retentionSizeGibibytes', props.retentionSizeGibibytes),
          resources: props.resources && containerResources(props.resources),
        }));
      });
      prometheus = server;
    }
    if (!prometheus) {
      return undefined;
    }
    const backend = prometheus;
    this.checkOneScrapePerTarget(metrics);
    if (metrics.scrapeConfig) {
      const spec = metrics.scrapeConfig;
      this.attempt('metrics.scrapeConfig', spec, () => {
        const options = defined({
          controlPlane,
          namespaces: spec.namespaces,
          secretName: spec.secretName,
          scrapeInterval: optionalDuration('scrapeInterval', spec.scrapeInterval),
        });
        return server ? server.addIstioScrapeConfig(options) : new IstioScrapeConfig(monitoring!, 'istio-scrape-config', { ...options, prometheus: backend });
      });
    }
    if (metrics.envoyStatsMonitor) {
      const spec = metrics.envoyStatsMonitor;
      this.attempt('metrics.envoyStatsMonitor', spec, () => new EnvoyStatsPodMonitor(monitoring!, 'envoy-stats', defined({
        prometheus: backend,
        namespaces: spec.namespaces,
        name: spec.name,
        namespace: spec.namespace,
        scrapeInterval: optionalDuration('scrapeInterval', spec.scrapeInterval),
      })));
    }
    if (metrics.istiodMonitor) {
      const spec = metrics.istiodMonitor;
      this.attempt('metrics.istiodMonitor', spec, () => new IstiodServiceMonitor(monitoring!, 'istiod', defined({
        prometheus: backend,
        controlPlane,
        name: spec.name,
        namespace: spec.namespace,
        scrapeInterval: optionalDuration('scrapeInterval', spec.scrapeInterval),
      })));
    }
    if (metrics.ztunnelMonitor) {
      const spec = metrics.ztunnelMonitor;
      if (controlPlane.ztunnelNamespace === undefined) {
        this.problems.push({
          path: 'metrics.ztunnelMonitor',
          message: 'scrapes ztunnel, which runs only with an ambient controlPlane.profile (ambient, openshift-ambient): set the profile, or remove ztunnelMonitor',
        });
      } else if (metrics.scrapeConfig) {
        this.problems.push({
          path: 'metrics.ztunnelMonitor',
          message: 'scrapes ztunnel, which the ztunnel job of metrics.scrapeConfig scrapes already: the same targets under two job labels double every sum; keep one form',
        });
      } else {
        this.attempt('metrics.ztunnelMonitor', spec, () => new ZtunnelPodMonitor(monitoring!, 'ztunnel', defined({
          prometheus: backend,
          controlPlane,
          name: spec.name,
          namespace: spec.namespace,
          scrapeInterval: optionalDuration('scrapeInterval', spec.scrapeInterval),
        })));
      }
    }
    if (metrics.recordingRules) {
      const spec = metrics.recordingRules;
      this.attempt('metrics.recordingRules', spec, () => new IstioRecordingRules(monitoring!, 'istio-recording-rules', defined({
        prometheus: backend,
        name: spec.name,
        namespace: spec.namespace,
        evaluationInterval: optionalDuration('evaluationInterval', spec.evaluationInterval),
        podIdentityLabels: spec.podIdentityLabels && this.podIdentityLabels(spec.podIdentityLabels),
      })));
    }
    return prometheus;
  }

  /**
   * The scrape Secret's jobs and the monitors are two forms of the same scrape: both at once
   * scrape istiod (and the proxies of the namespaces both cover) under two `job` labels, so every
   * sum over them, in the recording rules and the dashboards, counts each request twice.
   */
  private checkOneScrapePerTarget(metrics: MetricsSpec): void {
    const scrapeConfig = metrics.scrapeConfig;
    if (!scrapeConfig) {
      return;
    }
    const fix = 'keep one form: the monitors for a prometheus-operator Prometheus that selects them (an inCluster one, such as '
      + "kube-prometheus-stack's), scrapeConfig for a Prometheus that loads the Secret (a rendered server wires it in)";
    if (metrics.istiodMonitor) {
      this.problems.push({
        path: 'metrics.istiodMonitor',
        message: 'scrapes istiod, which the istiod job of metrics.scrapeConfig scrapes already: the same targets under two job labels '
          + `double every sum in the recording rules and dashboards; ${fix}`,
      });
    }
    const monitor = metrics.envoyStatsMonitor;
    if (monitor) {
      const both = scrapeConfig.namespaces === undefined ? monitor.namespaces
        : monitor.namespaces === undefined ? scrapeConfig.namespaces
          : monitor.namespaces.filter((namespace) => scrapeConfig.namespaces!.includes(namespace));
      if (both === undefined || both.length > 0) {
        const where = both === undefined ? 'every namespace' : `namespaces ${both.join(', ')}`;
        this.problems.push({
          path: 'metrics.envoyStatsMonitor',
          message: `scrapes the Envoy proxies of ${where}, which the envoy-stats job of metrics.scrapeConfig scrapes already: the same `
            + `targets under two job labels double every sum in the recording rules and dashboards; ${fix} (or give the two disjoint namespaces)`,
        });
      }
    }
  }

  private podIdentityLabels(labels: readonly string[]): PodIdentityLabels {
    const checked = labels.map((label, index) => this.attempt(`metrics.recordingRules.podIdentityLabels[${index}]`, undefined, () => {
      assertPrometheusLabelName('label', label);
      return true;
    }));
    if (checked.includes(undefined)) {
      throw new AlreadyReported();
    }
    return PodIdentityLabels.custom(...labels);
  }

  private buildDashboards(prometheus: IPrometheusBackend | undefined, istioVersion: IstioVersion | undefined): IGrafanaLink | undefined {
    const spec = this.spec.dashboards!;
    if (!prometheus) {
      if (!this.spec.metrics) {
        this.problems.push({ path: 'dashboards', message: 'needs metrics.prometheus: the dashboards query the mesh\'s Prometheus; add a metrics part' });
      }
      return undefined;
    }
    const dashboards = this.chart(CHART_IDS.dashboards);
    const files = (spec.files ?? []).map((entry, index) => ({
      path: `dashboards.files[${index}]`,
      entry,
      json: () => DashboardJson.fromFile(path.resolve(path.dirname(this.file), entry.file)),
    }));
    if (spec.grafana.sidecar) {
      return this.buildSidecarDashboards(dashboards, spec, files);
    }
    let grafana: IGrafanaBackend | undefined;
    if (spec.grafana.existing) {
      const props = spec.grafana.existing;
      const at = 'dashboards.grafana.existing';
      const apiCredentials = props.apiCredentials && this.grafanaCredentials(`${at}.apiCredentials`, props.apiCredentials);
      grafana = this.attempt(at, props, () => ExistingGrafana.inCluster(defined({ ...props, apiCredentials })));
    } else {
      const props = spec.grafana.instance!;
      const at = 'dashboards.grafana.instance';
      const apiCredentials = props.apiCredentials && this.grafanaCredentials(`${at}.apiCredentials`, props.apiCredentials);
      grafana = this.attempt(at, props, () => {
        const namespace = new MeshNamespace(dashboards, 'namespace', { name: props.namespace ?? DEFAULT_NAMESPACES.grafana });
        return new GrafanaInstance(dashboards, 'grafana', defined({ ...props, apiCredentials, namespace: namespace.name }));
      });
    }
    if (!grafana) {
      return undefined;
    }
    const backend = grafana;
    const datasourceSpec = spec.datasource ?? {};
    const datasource = this.attempt('dashboards.datasource', datasourceSpec, () => new PrometheusDatasource(dashboards, 'prometheus-datasource', defined({
      grafana: backend,
      prometheus,
      datasourceName: datasourceSpec.datasourceName,
      name: datasourceSpec.name,
      isDefault: datasourceSpec.isDefault,
      scrapeInterval: optionalDuration('scrapeInterval', datasourceSpec.scrapeInterval),
    })));
    if (datasource) {
      const ambient = AMBIENT_PROFILE_SPECS.includes(this.spec.controlPlane?.profile as string);
      const istioDashboards = spec.istioDashboards === undefined ? (ambient ? [...IstioDashboard.all(), IstioDashboard.ZTUNNEL] : undefined) : this.attempt('dashboards.istioDashboards', spec.istioDashboards, () => ISTIO_DASHBOARDS
        .filter(([key]) => spec.istioDashboards![key] !== undefined)
        .map(([key, dashboard]) => {
          const revision = spec.istioDashboards![key]!.revision;
          return revision === undefined ? dashboard : dashboard.withRevision(revision);
        }));
      const added = this.attempt('dashboards', spec, () => new IstioDashboards(dashboards, 'istio-dashboards', defined({
        datasource,
        dashboards: istioDashboards,
        istioVersion,
        folder: spec.folder,
        resyncPeriod: optionalDuration('resyncPeriod', spec.resyncPeriod),
      })));
      (spec.extraDashboards ?? []).forEach((extra, index) => {
        if (added) {
          this.attempt(`dashboards.extraDashboards[${index}]`, extra, () => added.addDashboard(extra));
        }
      });
      if (files.length > 0) {
        const fromFiles = this.attempt('dashboards', spec, () => new GrafanaJsonDashboards(dashboards, 'json-dashboards', defined({ datasource, folder: spec.folder })));
        files.forEach(({ path: keyPath, entry, json }) => {
          this.attempt(keyPath, entry, () => fromFiles?.addDashboard({ name: entry.name, json: json() }));
        });
      }
    }
    return grafana;
  }

  /**
   * Dashboards as ConfigMaps for a Grafana's sidecar: only from files, nothing for grafana-operator.
   * Returns that Grafana, for Kiali to link to.
   */
  private buildSidecarDashboards(chart: Chart, spec: DashboardsSpec, files: readonly { path: string; entry: DashboardFileSpec; json: () => DashboardJson }[]): IGrafanaLink | undefined {
    const operatorOnly: ReadonlyArray<readonly [keyof DashboardsSpec, string]> = [
      ['istioDashboards', 'the sidecar imports nothing from grafana.com: download the dashboards (or take Istio\'s from its samples/addons/grafana.yaml) and list the JSON files under dashboards.files'],
      ['extraDashboards', 'the sidecar imports nothing from grafana.com: list the downloaded JSON files under dashboards.files'],
      ['datasource', 'the sidecar\'s Grafana provisions its own data sources: set dashboards.grafana.sidecar.datasourceUid to the uid of its Prometheus'],
      ['resyncPeriod', 'the sidecar applies ConfigMap changes as they happen: leave it out'],
    ];
    for (const [key, reason] of operatorOnly) {
      if (spec[key] !== undefined) {
        this.problems.push({ path: `dashboards.${key}`, message: `is for grafana-operator, not dashboards.grafana.sidecar: ${reason}` });
      }
    }
    if (files.length === 0) {
      this.problems.push({ path: 'dashboards.files', message: 'dashboards.grafana.sidecar needs dashboard JSON files: list them as dashboards.files: [{ name: istio-mesh, file: dashboards/istio-mesh.json }]' });
    }
    const at = 'dashboards.grafana.sidecar';
    const { serviceName, port, externalUrl, apiCredentials: credentialsSpec, ...sidecarProps } = spec.grafana.sidecar!;
    const sidecar = this.attempt(at, sidecarProps, () => new GrafanaSidecarDashboards(chart, 'sidecar-dashboards', defined({ ...sidecarProps, folder: spec.folder })));
    files.forEach(({ path: keyPath, entry, json }) => {
      this.attempt(keyPath, entry, () => sidecar?.addDashboard({ name: entry.name, json: json() }));
    });
    const apiCredentials = credentialsSpec && this.grafanaCredentials(`${at}.apiCredentials`, credentialsSpec);
    return this.attempt(at, { serviceName, port, externalUrl }, () => SidecarGrafana.inCluster(defined({
      namespace: sidecarProps.namespace, serviceName, port, externalUrl, apiCredentials,
    })));
  }

  private grafanaCredentials(at: string, spec: GrafanaCredentialsSpec): GrafanaCredentials | undefined {
    // The schema admits exactly one key; its problems are problems of that key's fields.
    const [key, props] = Object.entries(spec)[0] as [keyof GrafanaCredentialsSpec, object];
    return this.attempt(`${at}.${key}`, props, () => grafanaCredentials(spec));
  }

  /**
   * The Grafana Kiali links to, when it has what Kiali needs; otherwise each missing key is a
   * problem of the Grafana's own keys, where mesh.yaml sets them.
   */
  private grafanaForKiali(grafana: IGrafanaLink, grafanaExternalUrl: string | undefined): IGrafanaLink | undefined {
    const kinds = this.spec.dashboards?.grafana;
    const at = kinds?.existing ? 'dashboards.grafana.existing' : kinds?.sidecar ? 'dashboards.grafana.sidecar' : 'dashboards.grafana.instance';
    const missing: ConfigProblem[] = [];
    if (grafana.externalUrl === undefined && grafanaExternalUrl === undefined) {
      missing.push({
        path: `${at}.externalUrl`,
        message: 'is needed by Kiali, which links dashboards at the URL users open Grafana at (Kiali 2 answers \'grafana URL is not set\' with only the in-cluster URL): '
          + `set it (e.g. https://grafana.example.com), or kiali.grafanaExternalUrl, or kiali.grafanaLinks: false`,
      });
    }
    if (grafana.apiCredentials === undefined) {
      missing.push({
        path: `${at}.apiCredentials`,
        message: 'is needed by Kiali, which searches Grafana\'s dashboards through its API, refused without credentials unless anonymous access is on: '
          + 'set bearerToken: { secretName: <Secret in Kiali\'s namespace>, key: token } (a Grafana service account token with the Viewer role), '
          + `basicAuth: { secretName }${at.endsWith('instance') ? '' : ', anonymous: {} for a Grafana open to anonymous viewers'}, or kiali.grafanaLinks: false`,
      });
    }
    // A key that is wrong (reported already) is not reported as missing too.
    const reported = (keyPath: string) => this.skipped(keyPath) || this.problems.some((problem) => problem.path === keyPath || problem.path.startsWith(`${keyPath}.`));
    this.problems.push(...missing.filter((problem) => !reported(problem.path)));
    return missing.length === 0 ? grafana : undefined;
  }

  private buildKiali(controlPlane: ControlPlaneFacts, prometheus: IPrometheusBackend | undefined, grafana: IGrafanaLink | undefined, tracing: ITracingBackend | undefined): void {
    if (!prometheus) {
      if (!this.spec.metrics) {
        this.problems.push({ path: 'kiali', message: 'needs metrics.prometheus: Kiali reads the mesh\'s metrics from it; add a metrics part' });
      }
      return;
    }
    const { grafanaLinks, ...spec } = this.spec.kiali!;
    const linkedGrafana = grafanaLinks === false ? undefined : grafana && this.grafanaForKiali(grafana, spec.grafanaExternalUrl);
    const chart = this.chart(CHART_IDS.kiali);
    this.attempt('kiali', spec, () => new Kiali(chart, 'kiali', defined({
      ...spec,
      prometheus,
      grafana: linkedGrafana,
      tracing,
      istioNamespace: controlPlane.namespace,
      istioVersion: controlPlane.istioVersion,
    })));
  }

  private buildWorkloads(spec: WorkloadsSpec, controlPlane: ControlPlaneFacts, extensionProviders: IstioControlPlane | undefined): SidecarScoping | undefined {
    const chart = this.chart(CHART_IDS.workloads);
    const ambientProfile = AMBIENT_PROFILE_SPECS.includes(this.spec.controlPlane?.profile as string);
    const dataPlaneOf = (at: string, dataPlane: DataPlaneSpec | undefined): DataPlaneMode | undefined => {
      if (dataPlane === DataPlaneSpec.AMBIENT && !ambientProfile) {
        this.problems.push({
          path: at,
          message: `is ambient, which needs ztunnel, and controlPlane.profile is ${this.spec.controlPlane?.profile ?? 'default'}: `
            + 'set controlPlane.profile: ambient (openshift-ambient on OpenShift; sidecar namespaces keep working beside ambient ones), or use dataPlane: sidecar',
        });
        return undefined;
      }
      return dataPlane === undefined ? undefined : dataPlane === DataPlaneSpec.AMBIENT ? DataPlaneMode.AMBIENT : DataPlaneMode.SIDECAR;
    };
    const defaultDataPlane = spec.dataPlane === undefined
      ? ambientProfile ? DataPlaneMode.AMBIENT : DataPlaneMode.SIDECAR
      : dataPlaneOf('workloads.dataPlane', spec.dataPlane) ?? DataPlaneMode.SIDECAR;
    const scoping = this.attempt('workloads', spec, () => new SidecarScoping(chart, 'scoping', defined({
      dataPlane: defaultDataPlane,
      rootNamespace: controlPlane.rootNamespace,
      controlPlaneNamespace: controlPlane.namespace,
      revision: controlPlane.revision,
      extensionProviders,
      meshDefaultSidecar: spec.meshDefaultSidecar,
      authorization: authorizationMode(spec.authorization),
      trustDomain: extensionProviders,
    })));
    if (!scoping) {
      return undefined;
    }
    const externals = new Map<string, ExternalNamespace>();
    (spec.externalNamespaces ?? []).forEach((name, index) => {
      const external = this.attempt(`workloads.externalNamespaces[${index}]`, undefined, () => ExternalNamespace.named(name));
      if (external) {
        externals.set(name, external);
      }
    });
    // Names whose declaration failed: calls to them are not reported again.
    const failed = this.failedDeclarations;
    const namespaces = new Map<string, WorkloadNamespace>();
    const services = this.declaredServices;
    for (const [name, serviceSpec] of Object.entries(spec.rootServices ?? {})) {
      const at = joinPath('workloads.rootServices', name);
      const service = this.attempt(at, serviceSpec, () => scoping.addRootService(name, { ports: serviceSpec.ports }));
      if (service) {
        services.set(`${controlPlane.rootNamespace}/${name}`, service);
      }
    }
    for (const [name, namespaceSpec] of Object.entries(spec.namespaces ?? {})) {
      const at = joinPath('workloads.namespaces', name);
      const dataPlane = (namespaceSpec.dataPlane === undefined ? undefined : dataPlaneOf(joinPath(at, 'dataPlane'), namespaceSpec.dataPlane))
        ?? scoping.dataPlane;
      if (dataPlane.ambient && (namespaceSpec.injection === InjectionSpec.ENABLED || namespaceSpec.injection === InjectionSpec.REVISION
        || namespaceSpec.revisionTag !== undefined)) {
        const key = namespaceSpec.revisionTag !== undefined ? 'revisionTag' : 'injection';
        this.problems.push({
          path: joinPath(at, key),
          message: `is ${key === 'revisionTag' ? namespaceSpec.revisionTag : namespaceSpec.injection}, but the namespace is ambient: an injected pod keeps its sidecar and ztunnel does not capture it, `
            + `so its pods would be in neither data plane: leave ${key} out for ambient, or set dataPlane: sidecar`,
        });
        failed.add(name);
        continue;
      }
      if (dataPlane.ambient && namespaceSpec.sidecars !== undefined) {
        this.problems.push({
          path: joinPath(at, 'sidecars'),
          message: 'are Sidecar resources, but the namespace is ambient and its pods have no sidecar to read them: remove sidecars, or set dataPlane: sidecar',
        });
      }
      const revisionTag = namespaceSpec.revisionTag;
      if (revisionTag !== undefined && !this.revisionSelector(joinPath(at, 'revisionTag'), revisionTag, namespaceSpec.injection, controlPlane.revisions)) {
        failed.add(name);
        continue;
      }
      const revisions = controlPlane.revisions;
      // Ambient namespaces are injected by no revision: they need no tag.
      if (revisions && !dataPlane.ambient && revisionTag === undefined && (namespaceSpec.injection ?? InjectionSpec.ENABLED) !== InjectionSpec.NONE
        && namespaceSpec.injection !== InjectionSpec.DISABLED && !revisions.selects('default')) {
        this.problems.push({
          path: joinPath(at, 'revisionTag'),
          message: `is required with controlPlane.revisions (no tag is named default, which injection enabled selects): set it to one of ${revisions.selectors().join(', ')}`,
        });
        failed.add(name);
        continue;
      }
      const namespace = this.attempt(at, namespaceSpec, () => scoping.addNamespace(name, defined({
        name,
        dataPlane: namespaceSpec.dataPlane === undefined ? undefined : dataPlane,
        labels: namespaceSpec.labels,
        injection: revisionTag !== undefined ? SidecarInjection.revision(revisionTag)
          : namespaceSpec.injection && sidecarInjection(namespaceSpec.injection, controlPlane.revision),
        authorizationMode: authorizationMode(namespaceSpec.authorization),
      })));
      if (!namespace) {
        failed.add(name);
        continue;
      }
      namespaces.set(name, namespace);
      if (namespaceSpec.mtls) {
        const mtls = namespaceSpec.mtls;
        this.attempt(joinPath(at, 'mtls'), mtls, () => new NamespaceMtls(namespace, 'Mtls', defined({ namespace, mode: mtls.mode })));
      }
      for (const [sidecarName, sidecarSpec] of Object.entries(namespace.ambient ? {} : namespaceSpec.sidecars ?? {})) {
        const sidecar = this.attempt(joinPath(joinPath(at, 'sidecars'), sidecarName), sidecarSpec, () => new SidecarScope(namespace, `Sidecar-${sidecarName}`, {
          namespace: name, name: sidecarName, egressHosts: sidecarSpec.egressHosts, workloadSelector: sidecarSpec.workloadSelector,
        }));
        if (sidecar) {
          scoping.reachExtensionProviders(sidecar);
        }
      }
      for (const [serviceName, serviceSpec] of Object.entries(namespaceSpec.services ?? {})) {
        const serviceAt = joinPath(joinPath(at, 'services'), serviceName);
        const service = this.attempt(serviceAt, serviceSpec, () => namespace.addService(serviceName, defined({
          ports: serviceSpec.ports,
          targetPorts: serviceSpec.targetPorts,
          selector: serviceSpec.selector,
          serviceAccount: serviceSpec.serviceAccount && this.attempt(joinPath(serviceAt, 'serviceAccount'), serviceSpec.serviceAccount, () => workloadServiceAccount(serviceSpec.serviceAccount!)),
        })));
        if (service) {
          services.set(`${name}/${serviceName}`, service);
          if (serviceSpec.exposed) {
            this.attempt(joinPath(serviceAt, 'exposed'), undefined, () => service.acceptCallsFrom(this.exposingGateway()));
          }
          (serviceSpec.callers ?? []).forEach((caller, index) => {
            this.attempt(`${serviceAt}.callers[${index}]`, undefined, () => service.acceptCallsFrom(externalCaller(caller, externals, Object.keys(spec.namespaces ?? {}))));
          });
          if (serviceSpec.trafficPolicy) {
            const policyAt = joinPath(serviceAt, 'trafficPolicy');
            this.attempt(policyAt, serviceSpec.trafficPolicy, () => new ServiceTrafficPolicy(namespace, `TrafficPolicy-${serviceName}`, trafficPolicy(service, serviceSpec.trafficPolicy!)));
          }
        } else {
          failed.add(`${name}/${serviceName}`);
        }
      }
      if (namespaceSpec.waypoint) {
        this.buildWaypoint(joinPath(at, 'waypoint'), namespace, namespaceSpec.waypoint);
      }
    }

    const resolve = (callerNamespace: string, target: string): IEgressTarget | undefined => {
      const [first, second] = target.split('/');
      if (second !== undefined && second !== '*') {
        const service = services.get(target);
        if (service || failed.has(target) || failed.has(first)) {
          return service;
        }
        const suggestion = didYouMean(target, [...services.keys()]);
        throw new Error(`'${target}' is not a service the app declares (namespace/service)${suggestion ? `; did you mean '${suggestion}'?` : ''}`);
      }
      if (second === undefined && services.has(`${callerNamespace}/${first}`)) {
        if (namespaces.has(first) || externals.has(first)) {
          throw new Error(`'${target}' is both a service of ${callerNamespace} and a namespace: write '${callerNamespace}/${first}' for the service or '${first}/*' for the namespace`);
        }
        return services.get(`${callerNamespace}/${first}`);
      }
      const found = namespaces.get(first) ?? externals.get(first);
      if (found || failed.has(first) || failed.has(`${callerNamespace}/${first}`)) {
        return found;
      }
      const candidates = [...namespaces.keys(), ...externals.keys(), ...[...services.keys()].filter((key) => key.startsWith(`${callerNamespace}/`)).map((key) => key.split('/')[1])];
      const suggestion = didYouMean(first, candidates);
      throw new Error(`'${target}' is neither a service of ${callerNamespace}, a namespace of the app, nor one of workloads.externalNamespaces${suggestion ? `; did you mean '${suggestion}'?` : ''}`);
    };
    // A caller that could not be declared still has its calls resolved, so that a wrong target
    // is reported in the same run.
    const declareCalls = (at: string, caller: WorkloadNamespace | MeshService | undefined, callerNamespace: string, calls: readonly (string | CallSpec)[]) => {
      calls.forEach((call, index) => {
        const callAt = `${at}.calls[${index}]`;
        if (typeof call === 'string') {
          this.attempt(callAt, undefined, () => {
            const target = resolve(callerNamespace, call);
            if (target && caller) {
              caller.calls(target);
            }
          });
          return;
        }
        const target = this.attempt(`${callAt}.to`, undefined, () => {
          const found = resolve(callerNamespace, call.to);
          if (found instanceof ExternalNamespace) {
            throw new Error(`'${call.to}' is a namespace outside the app, whose workloads this app does not authorize: methods and paths need a service or namespace of the app (or write the call as a plain string)`);
          }
          return found as MeshService | WorkloadNamespace | undefined;
        });
        const limited = target && this.attempt(callAt, call, () => {
          assertLayer7Reachable(target, call, (name) => namespaces.get(name));
          return LimitedCall.to(target, defined({ ports: call.ports, methods: call.methods, paths: call.paths }));
        });
        if (limited && caller) {
          this.attempt(callAt, undefined, () => caller.calls(limited));
        }
      });
    };
    for (const [name, namespaceSpec] of Object.entries(spec.namespaces ?? {})) {
      const namespace = namespaces.get(name);
      if (!namespace) {
        continue;
      }
      const at = joinPath('workloads.namespaces', name);
      for (const [serviceName, serviceSpec] of Object.entries(namespaceSpec.services ?? {})) {
        declareCalls(joinPath(joinPath(at, 'services'), serviceName), services.get(`${name}/${serviceName}`), name, serviceSpec.calls ?? []);
      }
      declareCalls(at, namespace, name, namespaceSpec.calls ?? []);
    }
    return scoping;
  }

  /** The gateway that calls exposed services. */
  private exposingGateway(): ICaller {
    const gateway = this.gatewayApiIngress ?? this.ingressGateway;
    if (!gateway) {
      throw new Error('there is no ingress gateway to expose the service through: add ingressGateway, or leave exposed out');
    }
    return gateway;
  }

  private buildWaypoint(at: string, namespace: WorkloadNamespace, spec: WaypointSpec): void {
    const suggestion = (name: string | undefined) => (name === undefined ? '' : `; did you mean '${name}'?`);
    if (!namespace.ambient) {
      this.problems.push({
        path: at,
        message: `is for ambient namespaces, and ${namespace.name} is a sidecar namespace, whose sidecars do layer 7 themselves: `
          + 'set its dataPlane: ambient (with controlPlane.profile: ambient), or remove the waypoint',
      });
      return;
    }
    const services: MeshService[] = [];
    (spec.services ?? []).forEach((serviceName, index) => {
      const service = namespace.services.find((declared) => declared.name === serviceName);
      if (service) {
        services.push(service);
      } else if (!this.failedDeclarations.has(`${namespace.name}/${serviceName}`)) {
        this.problems.push({
          path: `${at}.services[${index}]`,
          message: `names service '${serviceName}', which workloads.namespaces.${namespace.name}.services does not declare`
            + `${suggestion(didYouMean(serviceName, namespace.services.map((declared) => declared.name)))}: declare it there, or fix the name`,
        });
      }
    });
    const waypoint = this.attempt(at, spec, () => new Waypoint(namespace, 'Waypoint', defined({
      namespace,
      name: spec.name,
      trafficFor: spec.trafficFor && WAYPOINT_TRAFFIC[spec.trafficFor],
      enrollNamespace: spec.services === undefined ? undefined : false,
    })));
    for (const service of services) {
      this.attempt(at, undefined, () => waypoint?.useFor(service));
    }
  }

  private buildIstioctlFile(spec: ControlPlaneSpec, controlPlane: IstioControlPlane): App | undefined {
    // Only the istioctl path installs from the file by default: beside a Sail `Istio` or an
    // in-cluster operator's IstioOperator it is a second install of the same control plane.
    const isIstioctlPath = controlPlane.installPath === InstallPath.ISTIOCTL;
    if (!(spec.istioctlFile ?? isIstioctlPath)) {
      if (isIstioctlPath) {
        this.problems.push({ path: 'controlPlane.istioctlFile', message: 'must not be false with installPath istioctl: the istioctl input file is how that path installs the control plane' });
      }
      return undefined;
    }
    const istioctlApp = new App({
      outdir: this.options.istioctlOutdir ?? path.join(this.app.outdir, ISTIOCTL_FOLDER),
      yamlOutputType: YamlOutputType.FILE_PER_CHART,
      recordConstructMetadata: false,
    });
    // istioctl's input, never applied: its IstioOperator names the control plane namespace that
    // istioctl creates, so the checks of applied output do not fit it (MeshSynthesis checks it).
    MeshValidation.disable(istioctlApp);
    if (controlPlane.revisions) {
      // One file per revision, each run with the istioctl of its release.
      for (const revision of controlPlane.revisions.revisions) {
        new IstioOperatorFile(new Chart(istioctlApp, `istio-operator-${revision.name}`, { namespace: controlPlane.namespace }), 'install', { controlPlane, revision: revision.name });
      }
      return istioctlApp;
    }
    new IstioOperatorFile(new Chart(istioctlApp, 'istio-operator', { namespace: controlPlane.namespace }), 'install', { controlPlane });
    return istioctlApp;
  }

  private externalNamespaces(prometheus: IPrometheusBackend | undefined, grafana: IGrafanaLink | undefined, scoping: SidecarScoping | undefined): string[] {
    const names = new Set(this.spec.externalNamespaces ?? []);
    if (prometheus instanceof ExistingPrometheus && prometheus.namespace !== undefined) {
      names.add(prometheus.namespace);
    }
    if (grafana instanceof ExistingGrafana || grafana instanceof SidecarGrafana) {
      names.add(grafana.namespace);
    }
    // Declared for the workloads' calls, and so also what their hand-written Sidecars may name.
    (this.spec.workloads?.externalNamespaces ?? []).forEach((name) => names.add(name));
    scoping?.externalNamespaces.forEach((name) => names.add(name));
    return [...names].sort();
  }

  /** A new chart, applied after the charts made so far. */
  private chart(id: string): Chart {
    const chart = new Chart(this.app, id);
    const previous = this.charts[this.charts.length - 1];
    if (previous) {
      chart.addDependency(previous);
    }
    this.charts.push(chart);
    return chart;
  }

  /**
   * The mesh.yaml key of the part whose MeshNamespace has construct path `constructPath`, so that
   * a label conflict between two parts names them as the user wrote them.
   */
  private namespaceKeyPath(constructPath: string): string | undefined {
    const jaeger = this.spec.tracing?.backend?.jaegerV2 ? 'tracing.backend.jaegerV2' : 'tracing.backend.jaeger';
    const controlPlane = `${CHART_IDS.istio}/control-plane`;
    const keys: Record<string, string> = {
      [`${CHART_IDS.observability}/namespace`]: `${jaeger}.namespace`,
      [`${controlPlane}/Namespace`]: 'controlPlane.namespace',
      [`${controlPlane}/CniNamespace`]: 'controlPlane.cni.namespace',
      [`${controlPlane}/ZtunnelNamespace`]: 'controlPlane.ztunnel.namespace',
      [`${CHART_IDS.istio}/ingress-gateway-namespace`]: 'ingressGateway',
      [`${controlPlane}/EgressGatewayNamespace`]: 'controlPlane.egressGateway',
      [`${controlPlane}/Operator/Namespace`]: 'controlPlane.inClusterOperator.namespace',
      [`${CHART_IDS.monitoring}/namespace`]: 'metrics.prometheus.server.namespace',
      [`${CHART_IDS.dashboards}/namespace`]: 'dashboards.grafana.instance.namespace',
    };
    const workloadNamespace = new RegExp(`^${CHART_IDS.workloads}/scoping/([^/]+)$`).exec(constructPath);
    return keys[constructPath] ?? (workloadNamespace ? joinPath('workloads.namespaces', workloadNamespace[1]) : undefined);
  }

  /** Whether the schema check found problems at or under `keyPath`. */
  private skipped(keyPath: string): boolean {
    return (this.options.skipPaths ?? []).some((problemPath) => problemPath === keyPath
      || problemPath.startsWith(`${keyPath}.`) || problemPath.startsWith(`${keyPath}[`));
  }

  /**
   * Runs one step, turning what a construct throws into a problem at `keyPath`, refined to the
   * key of `section` the message names first (`samplingPercent must be ...` is a problem of
   * `tracing.samplingPercent`).
   */
  private attempt<T>(keyPath: string, section: object | undefined, step: () => T): T | undefined {
    try {
      return step();
    } catch (error) {
      if (MeshConfigError.isMeshConfigError(error)) {
        this.problems.push(...error.problems);
      } else if (NamespaceLabelConflict.isNamespaceLabelConflict(error)) {
        const keyOf = (constructPath: string) => this.namespaceKeyPath(constructPath) ?? constructPath;
        this.problems.push({ path: this.namespaceKeyPath(error.second.path) ?? keyPath, message: error.describe(keyOf) });
      } else if (!(error instanceof AlreadyReported)) {
        this.problems.push(attribute(keyPath, section, error instanceof Error ? error.message : String(error)));
      }
      return undefined;
    }
  }
}

/**
 * Whether controlPlane installs with Sail, whose spelling of a version names the revisions: the
 * default path follows the newest of revisions.versions (or version).
 */
function onSail(spec: ControlPlaneSpec): boolean {
  const releases = (spec.revisions?.versions ?? (spec.version === undefined ? [] : [spec.version])).flatMap((text) => {
    try {
      return [IstioVersion.of(text)];
    } catch {
      return [];
    }
  });
  const newest = newestRelease(releases) ?? IstioVersion.LATEST;
  return (spec.installPath ?? (newest.isAtLeast(1, 24) ? InstallPath.SAIL : InstallPath.IN_CLUSTER_OPERATOR)) === InstallPath.SAIL;
}

/** Stops a step whose problems were reported already, one by one. */
class AlreadyReported extends Error {}

/**
 * @throws if a call with methods or paths goes to an ambient service (or namespace) that no
 * waypoint serves: ztunnel enforces layer 4 only and would refuse every such call
 */
function assertLayer7Reachable(target: MeshService | WorkloadNamespace, call: CallSpec, namespaceOf: (name: string) => WorkloadNamespace | undefined): void {
  const namespace = target instanceof WorkloadNamespace ? target : namespaceOf(target.namespaceName);
  if ((call.methods === undefined && call.paths === undefined) || !namespace) {
    return;
  }
  const services = target instanceof WorkloadNamespace ? target.services : [target];
  const unserved = services.filter((service) => !namespace.layer7WaypointFor(service));
  if (namespace.ambient && (unserved.length > 0 || services.length === 0)) {
    throw new Error(`${call.methods !== undefined ? 'methods' : 'paths'} need a waypoint: namespace ${namespace.name} is ambient, where ztunnel enforces layer 4 only `
      + `and would refuse every such call${unserved.length > 0 ? ` to ${unserved.map((service) => service.name).join(', ')}` : ''}; `
      + `give it workloads.namespaces.${namespace.name}.waypoint, or drop methods and paths`);
  }
}

/** A service's trafficPolicy of mesh.yaml as ServiceTrafficPolicy props: its durations parsed. */
function trafficPolicy(service: MeshService, spec: ServiceTrafficPolicySpec): ServiceTrafficPolicyProps {
  const duration = (field: string, text: string | undefined) => text === undefined ? undefined : parseDurationString(field, text);
  return defined({
    service,
    connectTimeout: duration('connectTimeout', spec.connectTimeout),
    requestTimeout: duration('requestTimeout', spec.requestTimeout),
    retries: spec.retries && defined({ ...spec.retries, perTryTimeout: duration('retries.perTryTimeout', spec.retries.perTryTimeout) }),
    outlierDetection: spec.outlierDetection && defined({
      ...spec.outlierDetection,
      interval: duration('outlierDetection.interval', spec.outlierDetection.interval),
      baseEjectionTime: duration('outlierDetection.baseEjectionTime', spec.outlierDetection.baseEjectionTime),
    }),
    connectionPool: spec.connectionPool && defined({ ...spec.connectionPool, idleTimeout: duration('connectionPool.idleTimeout', spec.connectionPool.idleTimeout) }),
  });
}

function attribute(keyPath: string, section: object | undefined, message: string): ConfigProblem {
  let best: { key: string; index: number } | undefined;
  for (const key of Object.keys(section ?? {})) {
    const match = new RegExp(`(^|[^A-Za-z0-9_])${escapeRegExp(key)}($|[^A-Za-z0-9_])`).exec(message);
    if (match && (best === undefined || match.index < best.index)) {
      best = { key, index: match.index };
    }
  }
  if (!best) {
    return { path: keyPath, message };
  }
  // A message that starts with the field (`samplingPercent must be ...`, `ingressGateway.injection:
  // the gateway ...`) reads `tracing.samplingPercent: must be ...`.
  const leading = new RegExp(`^${escapeRegExp(best.key)}((?:\\.[A-Za-z0-9_]+|\\[\\d+\\])*)(:?) `).exec(message);
  if (leading) {
    const rest = message.slice(leading[0].length);
    if (leading[2] === ':' || /^(must|is|needs|has) /.test(rest)) {
      return { path: `${joinPath(keyPath, best.key)}${leading[1]}`, message: rest };
    }
    return { path: `${joinPath(keyPath, best.key)}${leading[1]}`, message };
  }
  return { path: joinPath(keyPath, best.key), message };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The control plane's namespaces as its spec gives them, for the parts that depend on a control
 * plane that could not be built; a name that is itself the problem is replaced by the default, so
 * that it is reported once, at its own key.
 */
function fallbackFacts(spec: ControlPlaneSpec): ControlPlaneFacts {
  const valid = (name: unknown): name is string => typeof name === 'string' && isDnsLabel(name);
  const namespace = valid(spec.namespace) ? spec.namespace : 'istio-system';
  const rootNamespace = spec.meshConfig?.rootNamespace;
  const ztunnelNamespace = AMBIENT_PROFILE_SPECS.includes(spec.profile as string) ? (valid(spec.ztunnel?.namespace) ? spec.ztunnel!.namespace : 'ztunnel') : undefined;
  return { namespace, rootNamespace: valid(rootNamespace) ? rootNamespace : namespace, revision: valid(spec.revision) ? spec.revision : undefined, ztunnelNamespace };
}

/**
 * The fixes of warnings whose construct words (props, classes) differ from mesh.yaml keys; the
 * others' fixes read the same in both.
 */
const MESH_YAML_FIXES: Partial<Record<MeshWarningCode, () => string>> = {
  [MeshWarningCode.ISTIO_END_OF_LIFE]: () => `set controlPlane.version to a supported release (${IstioVersionSupport.supportedMinors().join(', ')}), such as ${IstioVersion.LATEST}, one minor at a time`,
  [MeshWarningCode.ISTIO_PATCH_NEWER_THAN_KNOWN]: () => 'on installPath sail, install a Sail operator release whose CRD lists the patch before applying; or set controlPlane.version to the newest patch this library knows',
  [MeshWarningCode.JAEGER_V1_END_OF_LIFE]: () => 'move to tracing.backend.jaegerV2, which receives the same Zipkin spans on 9411',
  [MeshWarningCode.PROMETHEUS_RETENTION_WITHOUT_STORAGE]: () => 'set metrics.prometheus.server.storage.persistentVolume (sizeGibibytes, storageClassName) instead of emptyDir, or keep metrics.prometheus.server.retention as short as losing it is acceptable',
  [MeshWarningCode.KIALI_AD_HOC_IMAGE]: () => 'run the Kiali operator with ALLOW_AD_HOC_KIALI_IMAGE=true (Helm chart value allowAdHocKialiImage=true), which kiali.image and imageMirror need with kiali.deployment operator-cr',
  [MeshWarningCode.ISTIO_DASHBOARDS_UNPINNED]: () => 'set dashboards.istioDashboards.<mesh|performance|service|workload|controlPlane>.revision to the revision whose description on grafana.com names the Istio release (one number for the five: Istio uploads them together)',
  [MeshWarningCode.MESH_DEFAULT_SIDECAR]: () => 'on an existing mesh whose other namespaces call each other, set workloads.meshDefaultSidecar: false (or declare those namespaces under workloads.namespaces with their calls)',
};


/** The one place mesh.yaml's tracing protocol is chosen. */
function meshTracingOf(backend: ITracingBackend, spec: TracingSpec): MeshTracing {
  const options = defined({ samplingPercent: spec.samplingPercent, providerName: spec.providerName });
  if (spec.protocol !== TracingProtocolSpec.OTLP) {
    return MeshTracing.zipkin(backend, defined({ ...options, mode: spec.mode }));
  }
  if (spec.mode === TracingMode.MESH_CONFIG) {
    throw new Error('mode MESH_CONFIG has no OTLP form (the legacy meshConfig tracer speaks Zipkin only): leave mode out with protocol otlp, or use protocol zipkin');
  }
  if (backend.otlpGrpcEndpoint === undefined) {
    throw new Error('protocol otlp needs a backend that receives OTLP (tracing.backend.jaegerV2, on 4317); Jaeger v1 and external backends are reached over Zipkin here: use protocol zipkin');
  }
  return MeshTracing.openTelemetry(backend, options);
}

function disruptionBudget(spec: DisruptionBudgetSpec): GatewayDisruptionBudget {
  return spec.minAvailable !== undefined ? GatewayDisruptionBudget.minAvailable(spec.minAvailable) : GatewayDisruptionBudget.maxUnavailable(spec.maxUnavailable!);
}

function gatewayListener(spec: GatewayListenerSpec): GatewayListener {
  const common = defined({ name: spec.name, port: spec.port, hostname: spec.hostname });
  if (spec.protocol === GatewayListenerProtocolSpec.HTTPS) {
    // The caller reports an HTTPS listener without certificateSecretName at that key.
    return GatewayListener.https(defined({ ...common, certificateSecretName: spec.certificateSecretName!, certificateNamespace: spec.certificateNamespace }));
  }
  if (spec.certificateSecretName !== undefined || spec.certificateNamespace !== undefined) {
    const key = spec.certificateSecretName !== undefined ? 'certificateSecretName' : 'certificateNamespace';
    throw new Error(`${key} is for protocol HTTPS only: an HTTP listener serves no certificate; use protocol HTTPS or leave ${key} out`);
  }
  return GatewayListener.http(common);
}

function sidecarInjection(injection: InjectionSpec, revision: string | undefined): SidecarInjection {
  switch (injection) {
    case InjectionSpec.ENABLED:
      return SidecarInjection.enabled();
    case InjectionSpec.DISABLED:
      return SidecarInjection.disabled();
    case InjectionSpec.NONE:
      return SidecarInjection.none();
    case InjectionSpec.REVISION:
      if (revision === undefined) {
        throw new Error('injection revision needs controlPlane.revision: set the revision the namespace is injected by, or use injection enabled');
      }
      return SidecarInjection.revision(revision);
  }
}

function optionalDuration(field: string, text: string | undefined): Duration | undefined {
  return text === undefined ? undefined : parseDurationString(field, text);
}

function grafanaCredentials(spec: GrafanaCredentialsSpec): GrafanaCredentials {
  if (spec.bearerToken) {
    return GrafanaCredentials.bearerToken(spec.bearerToken);
  }
  return spec.basicAuth ? GrafanaCredentials.basicAuth(spec.basicAuth) : GrafanaCredentials.anonymous();
}

function jaegerV2Storage(spec: JaegerV2StorageSpec): JaegerV2Storage {
  return spec.elasticsearch ? JaegerV2Storage.elasticsearch(spec.elasticsearch) : JaegerV2Storage.memory(spec.memory);
}

/**
 * Refuses a retentionSizeGibibytes that leaves the volume no headroom, in mesh.yaml's units
 * (PrometheusServer refuses the same in mebibytes).
 */
function assertRetentionSizeFits(spec: PrometheusServerSpec): void {
  const retentionSize = spec.retentionSizeGibibytes;
  const volume = spec.storage?.emptyDir
    ? { key: 'storage.emptyDir.sizeLimitGibibytes', size: spec.storage.emptyDir.sizeLimitGibibytes }
    : { key: 'storage.persistentVolume.sizeGibibytes', size: spec.storage?.persistentVolume?.sizeGibibytes ?? 50 };
  if (retentionSize === undefined || volume.size === undefined || retentionSize <= volume.size * 0.85) {
    return;
  }
  throw new Error(`retentionSizeGibibytes ${retentionSize} does not fit the ${volume.size} GiB volume (${volume.key}): Prometheus needs the rest for its head, WAL and compaction; `
    + `keep it at most 85% of the volume (${Math.floor(volume.size * 0.85)}), or set ${volume.key} to at least ${Math.ceil(retentionSize / 0.85)}`);
}

/** A mesh.yaml size in gibibytes, which the keys take as whole numbers. */
function wholeGibibytes(key: string, value: number): Size {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${key} must be a whole number of gibibytes, at least 1, got ${value}`);
  }
  return Size.gibibytes(value);
}

function jaegerStorage(spec: JaegerStorageSpec): JaegerStorage {
  if (spec.elasticsearch) {
    return JaegerStorage.elasticsearch(spec.elasticsearch);
  }
  return spec.cassandra ? JaegerStorage.cassandra(spec.cassandra) : JaegerStorage.memory(spec.memory);
}

function containerResources(spec: ContainerResourcesSpec) {
  const cpu = defined({
    request: spec.cpuRequestMillicores === undefined ? undefined : Cpu.millis(spec.cpuRequestMillicores),
    limit: spec.cpuLimitMillicores === undefined ? undefined : Cpu.millis(spec.cpuLimitMillicores),
  });
  const memory = defined({
    request: spec.memoryRequestMebibytes === undefined ? undefined : Size.mebibytes(spec.memoryRequestMebibytes),
    limit: spec.memoryLimitMebibytes === undefined ? undefined : Size.mebibytes(spec.memoryLimitMebibytes),
  });
  return defined({ cpu: Object.keys(cpu).length > 0 ? cpu : undefined, memory: Object.keys(memory).length > 0 ? memory : undefined });
}

/** The mode of an `authorization` key: on (ENFORCE unless said) when the key is there. */
function authorizationMode(spec: AuthorizationSpec | undefined): AuthorizationMode | undefined {
  return spec === undefined ? undefined : spec.mode ?? AuthorizationMode.ENFORCE;
}

function workloadServiceAccount(spec: ServiceAccountSpec): WorkloadServiceAccount {
  if (spec.existing) {
    if (spec.name === undefined) {
      throw new Error('is true, so the ServiceAccount comes with the workload\'s manifests and needs its name: serviceAccount: { name: <its name>, existing: true }');
    }
    return WorkloadServiceAccount.existing(spec.name);
  }
  return WorkloadServiceAccount.rendered(spec.name);
}

/** A caller outside the app: `<external namespace>` or `<external namespace>/<service account>`. */
function externalCaller(caller: string, externals: ReadonlyMap<string, ExternalNamespace>, appNamespaces: readonly string[]): ICaller {
  const [namespace, serviceAccount, ...rest] = caller.split('/');
  if (appNamespaces.includes(namespace)) {
    throw new Error(`'${caller}' is in ${namespace}, a namespace of the app: declare the call under workloads.namespaces.${namespace} (its calls or a service's), which also widens its Sidecar`);
  }
  const external = externals.get(namespace);
  if (!external || rest.length > 0) {
    const suggestion = didYouMean(namespace, [...externals.keys()]);
    throw new Error(`'${caller}' must be <namespace> or <namespace>/<service account> of a namespace in workloads.externalNamespaces${suggestion ? `; did you mean '${suggestion}'?` : ''}`);
  }
  return serviceAccount === undefined ? external : WorkloadIdentity.of(namespace, serviceAccount);
}
