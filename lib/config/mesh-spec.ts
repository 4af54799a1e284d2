import { AuthorizationMode } from '../authorization/authorization-mode';
import type { LimitedCallOptions } from '../authorization/limited-call';
import { ExistingGrafanaProps } from '../dashboards/existing-grafana';
import { GrafanaBasicAuthProps, GrafanaBearerTokenProps } from '../dashboards/grafana-credentials';
import { GrafanaInstanceProps } from '../dashboards/grafana-instance';
import { GrafanaComDashboardOptions } from '../dashboards/istio-dashboards';
import { PrometheusDatasourceProps } from '../dashboards/prometheus-datasource';
import { GrafanaSidecarDashboardsProps } from '../dashboards/sidecar-dashboards';
import { SidecarGrafanaProps } from '../dashboards/sidecar-grafana';
import { GatewayApiIngressProps, GatewayExposeOptions } from '../gateway/gateway-api-ingress';
import { IngressGatewayExposeOptions, IngressGatewayProps } from '../gateway/ingress-gateway';
import { IstioCniOptions } from '../istio/cni';
import { IstioControlPlaneProps } from '../istio/control-plane';
import { GatewayOptions } from '../istio/ingress-gateway-config';
import { KialiProps } from '../kiali/kiali';
import { EnvoyStatsPodMonitorProps } from '../metrics/envoy-stats-pod-monitor';
import { ExistingPrometheusProps, ExternalPrometheusProps } from '../metrics/existing-prometheus';
import { IstioRecordingRulesProps } from '../metrics/istio-recording-rules';
import { IstioScrapeConfigOptions } from '../metrics/istio-scrape-config';
import { IstiodServiceMonitorProps } from '../metrics/istiod-service-monitor';
import { ZtunnelPodMonitorProps } from '../metrics/ztunnel-pod-monitor';
import { PrometheusServerProps } from '../metrics/prometheus-server';
import { MeshMtlsProps } from '../scoping/mesh-mtls';
import { MeshServiceProps } from '../scoping/mesh-service';
import { NamespaceMtlsProps } from '../scoping/namespace-mtls';
import { SidecarScopeProps } from '../scoping/sidecar-scope';
import { ExternalTracingProps } from '../tracing/external-tracing';
import {
  JaegerCassandraStorageProps, JaegerElasticsearchStorageProps, JaegerKafkaProps, JaegerMemoryStorageProps, JaegerProps,
} from '../tracing/jaeger';
import { JaegerV2ElasticsearchStorageProps, JaegerV2MemoryStorageProps, JaegerV2Props } from '../tracing/jaeger-v2';
import { ServiceConnectionPool, ServiceOutlierDetection, ServiceRetries } from '../traffic/service-traffic-policy';
import { ZipkinMeshTracingOptions } from '../tracing/mesh-tracing';

// The types of mesh.yaml. Wherever a construct's props are plain data they are reused with
// Pick<>, so their descriptions and defaults are the constructs' own; only what props express
// as objects (versions, durations, storages, backends, references between parts) is spelled here
// as data. `npm run config-schema` derives lib/config/mesh-spec.schema.json and
// docs/mesh-yaml.md from this file.

/**
 * A duration: a whole number with a unit, repeated, such as `15s`, `1m30s`, `2h` or `15d`
 * (units `ms`, `s`, `m`, `h`, `d`).
 * @pattern ^([0-9]+(ms|s|m|h|d))+$
 */
export type DurationString = string;

/**
 * A namespace name: a DNS-1123 label (lower case letters, digits and '-', starting and ending
 * with a letter or digit, at most 63 characters), such as `payments`.
 * @pattern ^[a-z0-9]+(-+[a-z0-9]+)*$
 * @maxLength 63
 */
export type NamespaceName = string;

/**
 * How a namespace's pods get their proxy: `enabled` (`istio-injection=enabled`), `revision`
 * (`istio.io/rev=<controlPlane.revision>`), `disabled` (`istio-injection=disabled`) or `none`
 * (no label).
 */
export enum InjectionSpec {
  ENABLED = 'enabled',
  REVISION = 'revision',
  DISABLED = 'disabled',
  NONE = 'none',
}

/**
 * How a namespace's pods join the mesh: `sidecar` (an injected proxy each) or `ambient`
 * (`istio.io/dataplane-mode=ambient`: no sidecars, the node's ztunnel carries their traffic;
 * needs `controlPlane.profile: ambient` or `openshift-ambient`).
 */
export enum DataPlaneSpec {
  SIDECAR = 'sidecar',
  AMBIENT = 'ambient',
}

/** Where the Kubernetes distribution keeps CNI binaries and configuration (`binDir`/`confDir` override it). */
export enum CniPlatformSpec {
  DEFAULT = 'default',
  GKE = 'gke',
  K3S = 'k3s',
  OPENSHIFT = 'openshift',
}

/** The Kubernetes distribution the output is for (see ClusterPlatform). */
export enum PlatformSpec {
  KUBERNETES = 'kubernetes',
  GKE = 'gke',
  K3S = 'k3s',
  OPENSHIFT = 'openshift',
}

/** Istio CNI node agent. */
export interface CniSpec extends Pick<IstioCniOptions, 'namespace' | 'excludeNamespaces' | 'chained' | 'binDir' | 'confDir'> {
  /** The distribution, which decides where CNI binaries and configuration live. @default 'default' */
  readonly platform?: CniPlatformSpec;
}

/** The egress gateway as install configuration (an IstioOperator gateway component). */
export interface GatewaySpec extends Pick<GatewayOptions, 'enabled' | 'name' | 'namespace' | 'labels' | 'serviceType' | 'k8s'> {
  /**
   * Injection label of the gateway's namespace; the gateway's proxy is injected, so not `disabled`.
   * @default - enabled, or revision when the control plane has a revision
   */
  readonly injection?: InjectionSpec;
  /**
   * Revision tag (or revision name) of `controlPlane.revisions` whose injector configures the
   * gateway: its namespace gets `istio.io/rev=<tag>`, instead of `injection`.
   * @default - per injection (required with controlPlane.revisions unless a tag is named default)
   */
  readonly revisionTag?: string;
}

/**
 * A canary upgrade: revisions of several Istio releases running side by side (Sail's
 * `RevisionBased` update strategy), with revision tags that namespaces and the gateway select.
 */
export interface ControlPlaneRevisionsSpec {
  /**
   * The Istio releases running at the same time, each a revision named `default-v1-30-7` (Sail's
   * name: the Istio's name and version). The newest is the active revision; an older one must have
   * been the newest in an earlier apply and runs while a tag or namespace uses it. At most two
   * minors apart.
   * @minItems 1
   */
  readonly versions: IstioRelease[];
  /**
   * Revision tags, tag to the release of the revision it points at (`prod-stable: 1.30.7`).
   * Moving a tag is changing its release here.
   * @default - none
   */
  readonly tags?: Record<string, IstioRelease>;
  /**
   * Seconds the Sail operator waits, once nothing uses an older revision, before deleting it.
   * @minimum 0
   * @default - Sail's default, 30
   */
  readonly inactiveRevisionDeletionGracePeriodSeconds?: number;
}

/**
 * An Istio patch release such as `1.31.3`.
 * @pattern ^[0-9]+\.[0-9]+\.[0-9]+$
 */
export type IstioRelease = string;

/** The Istio control plane. */
export interface ControlPlaneSpec extends Pick<IstioControlPlaneProps,
'kubernetesVersion' | 'installPath' | 'profile' | 'hub' | 'tag' | 'namespace' | 'revision' | 'pilot' | 'dnsProxy' | 'inClusterOperator' | 'ztunnel'> {
  /**
   * Istio release to install, a patch release such as `1.30.3` or `1.31.3`. A patch newer than
   * the library knows is allowed with a warning; on Sail it is written as the minor's `v1.31-latest`
   * alias. Releases only Sail operator 1.31.2 lists (1.31) warn that it must be installed.
   * @pattern ^[0-9]+\.[0-9]+\.[0-9]+$
   * @default - the newest release the library is tested with (IstioVersion.LATEST)
   */
  readonly version?: string;
  /**
   * Revisions of a canary upgrade and their tags, instead of `version` and `revision`: on Sail one
   * revision-based `Istio` and an `IstioRevisionTag` per tag; on istioctl one IstioOperator file
   * per revision (`istioctl/istio-operator-default-v1-30-7`), each with its tags in
   * `values.revisionTags`; on the in-cluster operator path an IstioOperator and an operator per
   * revision.
   * @default - one revision, updated in place
   */
  readonly revisions?: ControlPlaneRevisionsSpec;
  /**
   * Mesh-wide configuration (Istio's MeshConfig) in Istio's own spelling, e.g.
   * `{ accessLogFile: /dev/stdout, outboundTrafficPolicy: { mode: REGISTRY_ONLY } }`. Checked
   * against the Sail operator's `Istio` CRD schema (`spec.values.meshConfig`).
   * @default - Istio's defaults
   */
  readonly meshConfig?: Record<string, unknown>;
  /**
   * Further Helm chart values of istiod, in Istio's own spelling. Checked against the Sail
   * operator's `Istio` CRD schema (`spec.values`). Hub, tag, revision and profile have their own
   * keys, CNI has `cni`.
   * @default - none
   */
  readonly values?: Record<string, unknown>;
  /**
   * Istio CNI node agent, chained after the cluster's CNI. The ambient and OpenShift profiles turn
   * it on by themselves.
   * @default - off (on for the ambient and OpenShift profiles)
   */
  readonly cni?: CniSpec;
  /**
   * Refused, whatever its value: the ingress gateway is configured in one place, the top-level
   * `ingressGateway` key, which every install path reads (its `namespace`, `injection`, `labels`
   * and `serviceType` moved there).
   * @default - not set
   */
  readonly ingressGateway?: unknown;
  /** An egress gateway. @default - none */
  readonly egressGateway?: GatewaySpec;
  /**
   * Write the control plane as the input of `istioctl install -f` into `istioctl/` of the output
   * (outside the Kustomization). Needed for installPath `istioctl`; with the other paths the
   * output installs the control plane already, so `true` there writes a second install of it
   * for a cluster that takes the istioctl path instead, not to be used together.
   * @default - true for installPath istioctl, false otherwise
   */
  readonly istioctlFile?: boolean;
}

/**
 * Disruption budget of the ingress gateway: exactly one of the two.
 * @minProperties 1
 * @maxProperties 1
 */
export interface DisruptionBudgetSpec {
  /** At least this many gateway pods stay up during a drain; below minReplicas. */
  readonly minAvailable?: number;
  /** At most this many gateway pods are down at once during a drain. */
  readonly maxUnavailable?: number;
}

/** The protocol of a Gateway API listener. */
export enum GatewayListenerProtocolSpec {
  HTTP = 'HTTP',
  /** TLS terminated at the gateway with the certificate of `certificateSecretName`. */
  HTTPS = 'HTTPS',
}

/** A listener of a Gateway API gateway. */
export interface GatewayListenerSpec {
  /** HTTP, or HTTPS with a certificate. */
  readonly protocol: GatewayListenerProtocolSpec;
  /** Listener name, what routes name in `listeners`. @default - http or https, by protocol */
  readonly name?: string;
  /** Port the gateway listens on. @default - 80 for HTTP, 443 for HTTPS */
  readonly port?: number;
  /** Only requests for this host (or wildcard `*.example.com`) are taken. @default - any host */
  readonly hostname?: string;
  /**
   * The `kubernetes.io/tls` Secret with certificate and key (cert-manager's, or `kubectl create
   * secret tls`); required for HTTPS, refused for HTTP. The output does not contain it.
   * @default - none
   */
  readonly certificateSecretName?: string;
  /** Namespace of the Secret; another one than the gateway's gets a ReferenceGrant. @default - the gateway's namespace */
  readonly certificateNamespace?: NamespaceName;
}

/** A service of `workloads` exposed through the Gateway API gateway: an HTTPRoute in the service's namespace. */
export interface GatewayRouteSpec extends Pick<GatewayExposeOptions, 'hostname' | 'pathPrefix' | 'port' | 'listeners' | 'routeName'> {
  /**
   * The service, as declared under `workloads.namespaces`: `<namespace>/<service>`.
   * @pattern ^[a-z0-9][-a-z0-9]{0,62}/[a-z0-9][-a-z0-9]{0,62}$
   */
  readonly service: string;
}

/**
 * A service of `workloads` exposed through the injected gateway: the hostname's VirtualService in
 * the service's namespace, bound to the gateway's Istio Gateway.
 */
export interface IngressGatewayRouteSpec extends Pick<IngressGatewayExposeOptions, 'hostname' | 'pathPrefix' | 'port' | 'certificateSecretName' | 'routeName'> {
  /**
   * The service, as declared under `workloads.namespaces`: `<namespace>/<service>`.
   * @pattern ^[a-z0-9][-a-z0-9]{0,62}/[a-z0-9][-a-z0-9]{0,62}$
   */
  readonly service: string;
}

/**
 * What makes the ingress gateway a Gateway API gateway: a `Gateway` of class `istio`, which istiod
 * deploys itself, with its listeners and routes. The Gateway API CRDs must be installed first
 * (Istio does not install them).
 */
export interface GatewayApiSpec extends Pick<GatewayApiIngressProps, 'infrastructureLabels' | 'infrastructureAnnotations' | 'redirectHttpToHttps'> {
  /** The listeners. @default [{ protocol: HTTP }] */
  readonly listeners?: GatewayListenerSpec[];
  /** Services exposed through the gateway. @default - none */
  readonly routes?: GatewayRouteSpec[];
}

/**
 * The ingress gateway, the same on every install path, of one of two kinds: by default an
 * injected Deployment (Istio's gateway injection) with its Service, autoscaler and disruption
 * budget; with `gatewayApi` a Gateway API `Gateway` that istiod deploys, sized by the same keys.
 * Either way in its own namespace, following the control plane's revision. istioctl and the
 * in-cluster operator install no gateway of their own.
 */
export interface IngressGatewaySpec extends Pick<IngressGatewayProps,
'labels' | 'serviceType' | 'serviceAnnotations' | 'externalTrafficPolicy' | 'loadBalancerSourceRanges'
| 'minReplicas' | 'maxReplicas' | 'targetCpuUtilizationPercent' | 'resources' | 'placement'> {
  /**
   * Name of the gateway: of the injected Deployment, Service and ServiceAccount; or of the
   * Gateway, whose Deployment and Service istiod names `<name>-istio`.
   * @default - istio-ingressgateway (injected), ingress (gatewayApi)
   */
  readonly name?: string;
  /** Namespace of the gateway, apart from the control plane so that its RBAC, quotas and network policy are separate. @default 'istio-ingress' */
  readonly namespace?: NamespaceName;
  /**
   * Injection label of the gateway's namespace; the gateway's proxy is injected, so not `disabled`.
   * Injected gateway only.
   * @default - enabled, or revision when the control plane has a revision
   */
  readonly injection?: InjectionSpec;
  /**
   * Revision tag (or revision name) of `controlPlane.revisions` the gateway runs with: its
   * namespace and pods get `istio.io/rev=<tag>` (the Gateway, for gatewayApi). Required with
   * revisions, so that the gateway moves between revisions only when this line changes.
   * @default - the control plane's revision (none with controlPlane.revisions)
   */
  readonly revisionTag?: string;
  /** Pods a voluntary disruption may take down. @default { minAvailable: 1 } */
  readonly disruptionBudget?: DisruptionBudgetSpec;
  /**
   * Services exposed through the injected gateway (an Istio Gateway and a VirtualService per
   * hostname); a Gateway API gateway has its routes in `gatewayApi.routes`.
   * @default - none
   */
  readonly routes?: IngressGatewayRouteSpec[];
  /** Makes this a Gateway API gateway instead of the injected Deployment. @default - the injected gateway */
  readonly gatewayApi?: GatewayApiSpec;
}

/** The mesh-wide PeerAuthentication, in the control plane's root namespace. */
export interface MtlsSpec extends Pick<MeshMtlsProps, 'mode'> {}

/**
 * Span storage of a Jaeger v2: exactly one of the keys.
 * @minProperties 1
 * @maxProperties 1
 */
export interface JaegerV2StorageSpec {
  /** In the pod's memory: lost on restart, one replica only. */
  readonly memory?: JaegerV2MemoryStorageProps;
  /** An Elasticsearch cluster run elsewhere. */
  readonly elasticsearch?: JaegerV2ElasticsearchStorageProps;
}

/** CPU and memory of a container. */
export interface ContainerResourcesSpec {
  /** CPU request in millicores. @default - the construct's */
  readonly cpuRequestMillicores?: number;
  /** CPU limit in millicores. @default - the construct's */
  readonly cpuLimitMillicores?: number;
  /** Memory request in mebibytes. @default - the construct's */
  readonly memoryRequestMebibytes?: number;
  /** Memory limit in mebibytes. @default - the construct's */
  readonly memoryLimitMebibytes?: number;
}

/** Jaeger v2 rendered as a Deployment (what Istio's addon runs). */
export interface JaegerV2Spec extends Pick<JaegerV2Props, 'name' | 'namespace' | 'labels' | 'image' | 'replicas'> {
  /** Span storage. @default { memory: {} } */
  readonly storage?: JaegerV2StorageSpec;
  /** Container requests and limits. @default - requests 100m CPU and 256 MiB, limits 1 CPU and 1 GiB */
  readonly resources?: ContainerResourcesSpec;
}

/**
 * Span storage of a Jaeger operator instance: exactly one of the keys.
 * @minProperties 1
 * @maxProperties 1
 */
export interface JaegerStorageSpec {
  /** In memory of the all-in-one pod (allinone strategy only). */
  readonly memory?: JaegerMemoryStorageProps;
  /** An Elasticsearch cluster run elsewhere. */
  readonly elasticsearch?: JaegerElasticsearchStorageProps;
  /** A Cassandra cluster run elsewhere. */
  readonly cassandra?: JaegerCassandraStorageProps;
}

/** Jaeger v1 as a `jaegertracing.io/v1` Jaeger for the Jaeger operator (end of life 2025-12-31). */
export interface JaegerSpec extends Pick<JaegerProps, 'name' | 'namespace' | 'labels' | 'strategy'> {
  /** Span storage; production and streaming need a persistent one. @default { memory: {} } */
  readonly storage?: JaegerStorageSpec;
  /** Kafka, required by the streaming strategy and only allowed there. @default - none */
  readonly kafka?: JaegerKafkaProps;
}

/**
 * Where spans go: exactly one of the keys.
 * @minProperties 1
 * @maxProperties 1
 */
export interface TracingBackendSpec {
  /** Jaeger v2, rendered in its own namespace. */
  readonly jaegerV2?: JaegerV2Spec;
  /** Jaeger v1 through the Jaeger operator. */
  readonly jaeger?: JaegerSpec;
  /** A backend outside the app, by URLs. */
  readonly external?: ExternalTracingProps;
}

/** The protocol the proxies send spans in. */
export enum TracingProtocolSpec {
  /** Zipkin JSON over HTTP to the backend's port 9411; every backend here receives it. */
  ZIPKIN = 'zipkin',
  /**
   * OTLP over gRPC to the backend's port 4317 through Istio's `opentelemetry` extension provider,
   * Istio's documented path today; Jaeger v2 only (Istio 1.22 or newer, Telemetry API).
   */
  OTLP = 'otlp',
}

/** Mesh tracing: the backend and how proxies report to it. */
export interface TracingSpec extends Pick<ZipkinMeshTracingOptions, 'samplingPercent' | 'mode'> {
  /** The tracing backend. */
  readonly backend: TracingBackendSpec;
  /** The protocol of the spans. @default 'zipkin' */
  readonly protocol?: TracingProtocolSpec;
  /**
   * Name of the `meshConfig.extensionProviders` entry the mesh-wide `Telemetry` selects; a
   * DNS-1123 label.
   * @default - zipkin, or otel for protocol otlp
   */
  readonly providerName?: string;
}

/** A Prometheus outside the cluster. */
export interface ExternalPrometheusSpec extends ExternalPrometheusProps {
  /** URL of its HTTP API, e.g. `https://prometheus.example.com`. */
  readonly url: string;
}

/** A PersistentVolumeClaim per Prometheus pod. */
export interface PrometheusPersistentVolumeSpec {
  /**
   * Size of each claim in gibibytes; a whole number.
   * @default 50 (15 days of about 250,000 active series at a 15s scrape interval)
   */
  readonly sizeGibibytes?: number;
  /** StorageClass of the claims. @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
}

/** An emptyDir: the samples go with the pod. */
export interface PrometheusEmptyDirSpec {
  /** Most the volume may hold, in gibibytes; a whole number. @default - no limit: the node's disk */
  readonly sizeLimitGibibytes?: number;
}

/**
 * Where Prometheus keeps its samples: exactly one of the keys.
 * @minProperties 1
 * @maxProperties 1
 */
export interface PrometheusStorageSpec {
  /** A PersistentVolumeClaim per pod, kept across restarts. */
  readonly persistentVolume?: PrometheusPersistentVolumeSpec;
  /** An emptyDir, for a throwaway cluster (the synth summary warns). */
  readonly emptyDir?: PrometheusEmptyDirSpec;
}

/** A Prometheus run by prometheus-operator and rendered by the app. */
export interface PrometheusServerSpec extends Pick<PrometheusServerProps, 'name' | 'namespace' | 'monitorSelectorLabels' | 'replicas' | 'version'> {
  /** Default interval between scrapes. @default '15s' */
  readonly scrapeInterval?: DurationString;
  /** Default interval between rule evaluations. @default '30s' */
  readonly evaluationInterval?: DurationString;
  /** How long samples are kept at most (retentionSizeGibibytes deletes older ones first when the volume fills). @default '15d' */
  readonly retention?: DurationString;
  /** Where the samples are kept. @default { persistentVolume: {} } */
  readonly storage?: PrometheusStorageSpec;
  /**
   * Most the samples may take on the volume, in gibibytes (Prometheus deletes the oldest blocks
   * above it); at most 85% of the volume.
   * @default - 80% of the volume; none for an emptyDir without sizeLimitGibibytes
   */
  readonly retentionSizeGibibytes?: number;
  /** Container requests and limits. @default - requests 500m CPU and 2048 MiB, limits 2000m CPU and 4096 MiB */
  readonly resources?: ContainerResourcesSpec;
}

/**
 * The Prometheus of the mesh: exactly one of the keys.
 * @minProperties 1
 * @maxProperties 1
 */
export interface PrometheusSpec {
  /** A Prometheus already running in the cluster, by its Service. */
  readonly inCluster?: ExistingPrometheusProps;
  /** A Prometheus outside the cluster, by URL. */
  readonly external?: ExternalPrometheusSpec;
  /** A Prometheus rendered by the app, in a namespace of its own. */
  readonly server?: PrometheusServerSpec;
}

/** Istio's scrape jobs as an additional-scrape-configs Secret. */
export interface ScrapeConfigSpec extends Pick<IstioScrapeConfigOptions, 'namespaces' | 'secretName'> {
  /** How often each target is scraped. @default '15s' */
  readonly scrapeInterval?: DurationString;
}

/** The PodMonitor for the Envoy proxies. */
export interface EnvoyStatsMonitorSpec extends Pick<EnvoyStatsPodMonitorProps, 'namespaces' | 'name' | 'namespace'> {
  /** How often each proxy is scraped. @default '15s' */
  readonly scrapeInterval?: DurationString;
}

/** The PodMonitor for ztunnel. */
export interface ZtunnelMonitorSpec extends Pick<ZtunnelPodMonitorProps, 'name' | 'namespace'> {
  /** How often each ztunnel is scraped. @default '15s' */
  readonly scrapeInterval?: DurationString;
}

/** The ServiceMonitor for istiod. */
export interface IstiodMonitorSpec extends Pick<IstiodServiceMonitorProps, 'name' | 'namespace'> {
  /** How often istiod is scraped. @default '15s' */
  readonly scrapeInterval?: DurationString;
}

/** Istio's workload-level recording rules. */
export interface RecordingRulesSpec extends Pick<IstioRecordingRulesProps, 'name' | 'namespace'> {
  /** How often the rules are evaluated. @default '5s' */
  readonly evaluationInterval?: DurationString;
  /**
   * Per-pod labels the rules sum away, as the scrape jobs name them: `[namespace, pod]`
   * (prometheus-operator's), or `[kubernetes_namespace, kubernetes_pod_name]` (the guide's).
   * @default ["namespace", "pod"]
   */
  readonly podIdentityLabels?: string[];
}

/** Metrics: the Prometheus, and what the mesh adds to it. A part that is left out is not rendered. */
export interface MetricsSpec {
  /** The Prometheus that scrapes the mesh. */
  readonly prometheus: PrometheusSpec;
  /**
   * Istio's metrics merging (`meshConfig.enablePrometheusMerge`).
   * @default - Istio's default (on), not written
   */
  readonly prometheusMerge?: boolean;
  /** Istio's scrape jobs as a Secret (wired into a rendered server's additionalScrapeConfigs). @default - none */
  readonly scrapeConfig?: ScrapeConfigSpec;
  /** A PodMonitor for the Envoy proxies. @default - none */
  readonly envoyStatsMonitor?: EnvoyStatsMonitorSpec;
  /** A ServiceMonitor for istiod. @default - none */
  readonly istiodMonitor?: IstiodMonitorSpec;
  /**
   * A PodMonitor for ztunnel (its layer 4 metrics on 15020), with an ambient controlPlane.profile;
   * `envoyStatsMonitor` covers the waypoints. `scrapeConfig` has a ztunnel job by itself.
   * @default - none
   */
  readonly ztunnelMonitor?: ZtunnelMonitorSpec;
  /** Istio's workload-level recording rules. @default - none */
  readonly recordingRules?: RecordingRulesSpec;
}

/**
 * The Grafana of the mesh: exactly one of the keys.
 * @minProperties 1
 * @maxProperties 1
 */
export interface GrafanaSpec {
  /** A grafana-operator Grafana already running in the cluster. */
  readonly existing?: ExistingGrafanaSpec;
  /**
   * A grafana-operator Grafana rendered by the app, in a namespace of its own. The app renders
   * that namespace (as every namespace of mesh.yaml's parts), so `createNamespace` is not a key.
   */
  readonly instance?: GrafanaInstanceSpec;
  /**
   * A Grafana that provisions dashboards from labelled ConfigMaps through its sidecar, such as
   * kube-prometheus-stack's: each of `dashboards.files` becomes a ConfigMap in its namespace. It
   * imports nothing from grafana.com and gets no data source from this file (kube-prometheus-stack
   * provisions its Prometheus as uid `prometheus`).
   */
  readonly sidecar?: GrafanaSidecarSpec;
}

/**
 * A Grafana that provisions dashboards through its sidecar, and what Kiali needs to link to it:
 * its Service in `namespace`, the URL users open and API credentials.
 */
export interface GrafanaSidecarSpec extends Omit<GrafanaSidecarDashboardsProps, 'dashboards' | 'folder'>, Pick<SidecarGrafanaProps, 'serviceName' | 'port' | 'externalUrl'> {
  /**
   * How Kiali authenticates to this Grafana's API; Kiali links to Grafana only with it (and
   * `externalUrl`). @default - none
   */
  readonly apiCredentials?: GrafanaCredentialsSpec;
}

/**
 * How Kiali authenticates to Grafana's API: exactly one of the keys. Secrets live in Kiali's
 * namespace and are created outside this file.
 * @minProperties 1
 * @maxProperties 1
 */
export interface GrafanaCredentialsSpec {
  /** A bearer token (a Grafana service account token with the Viewer role). */
  readonly bearerToken?: GrafanaBearerTokenProps;
  /** A Grafana user's name and password. */
  readonly basicAuth?: GrafanaBasicAuthProps;
  /** No credentials: an existing Grafana whose anonymous viewers may read dashboards. */
  readonly anonymous?: GrafanaAnonymousSpec;
}

/** No settings: `anonymous: {}`. */
export interface GrafanaAnonymousSpec {}

/** A grafana-operator Grafana already running in the cluster. */
export interface ExistingGrafanaSpec extends Omit<ExistingGrafanaProps, 'apiCredentials'> {
  /**
   * How Kiali authenticates to this Grafana's API; Kiali links to Grafana only with it (and
   * `externalUrl`). @default - none
   */
  readonly apiCredentials?: GrafanaCredentialsSpec;
}

/** A grafana-operator Grafana rendered by the app. */
export interface GrafanaInstanceSpec extends Omit<GrafanaInstanceProps, 'createNamespace' | 'apiCredentials'> {
  /**
   * How Kiali authenticates to this Grafana's API (anonymous access is off here); Kiali links to
   * Grafana only with it (and `externalUrl`). @default - none
   */
  readonly apiCredentials?: GrafanaCredentialsSpec;
}

/** A dashboard's JSON model from a file. */
export interface DashboardFileSpec {
  /** Name of the object (DNS-1123 label). */
  readonly name: string;
  /**
   * The JSON file, relative to the folder of this config file: an export from Grafana, a
   * grafana.com download, or one of Istio's own dashboards (from its samples/addons/grafana.yaml).
   */
  readonly file: string;
}

/** The Prometheus data source in Grafana. */
export interface DatasourceSpec extends Pick<PrometheusDatasourceProps, 'datasourceName' | 'name' | 'isDefault'> {
  /** The Prometheus scrape interval, Grafana's smallest query step. @default '15s' */
  readonly scrapeInterval?: DurationString;
}

/** One of Istio's dashboards. */
export interface IstioDashboardSpec {
  /**
   * grafana.com revision to pin.
   * @default - the revision published with controlPlane.version's release where the library knows it (1.29, 1.28, 1.26, 1.20); otherwise grafana.com's newest, with a synth warning
   */
  readonly revision?: number;
}

/** Istio's five grafana.com dashboards; list the ones to import. */
export interface IstioDashboardsSpec {
  /** Istio Mesh Dashboard (7639). */
  readonly mesh?: IstioDashboardSpec;
  /** Istio Performance Dashboard (11829). */
  readonly performance?: IstioDashboardSpec;
  /** Istio Service Dashboard (7636). */
  readonly service?: IstioDashboardSpec;
  /** Istio Workload Dashboard (7630). */
  readonly workload?: IstioDashboardSpec;
  /** Istio Control Plane Dashboard (7645). */
  readonly controlPlane?: IstioDashboardSpec;
  /** Istio Ztunnel Dashboard (21306), for the ambient data plane. */
  readonly ztunnel?: IstioDashboardSpec;
}

/** Dashboards: Grafana, its Prometheus data source and Istio's dashboards. Needs `metrics`. */
export interface DashboardsSpec {
  /** The Grafana that gets the data source and dashboards. */
  readonly grafana: GrafanaSpec;
  /** The Prometheus data source. @default {} */
  readonly datasource?: DatasourceSpec;
  /** Istio's dashboards to import. @default - all five, and the ztunnel dashboard with an ambient controlPlane.profile */
  readonly istioDashboards?: IstioDashboardsSpec;
  /** More grafana.com dashboards whose Prometheus input is `DS_PROMETHEUS`. @default - none */
  readonly extraDashboards?: GrafanaComDashboardOptions[];
  /**
   * Dashboards from JSON files, in the output itself (air-gapped clusters): ConfigMaps for
   * `grafana.sidecar`, inline `GrafanaDashboard`s for grafana-operator.
   * @default - none
   */
  readonly files?: DashboardFileSpec[];
  /** Grafana folder of the dashboards. @default 'Istio' */
  readonly folder?: string;
  /** How often the operator re-applies the dashboards (no days: grafana-operator takes Go durations). @default - the operator's (10m) */
  readonly resyncPeriod?: DurationString;
}

/** Kiali, wired to the mesh's Prometheus, Grafana and tracing backend. Needs `metrics`. */
export interface KialiSpec extends Pick<KialiProps,
'namespace' | 'name' | 'deployment' | 'authStrategy' | 'openId' | 'signingKeySecretName' | 'viewOnlyMode' | 'image' | 'replicas'
| 'resources' | 'webRoot' | 'grafanaExternalUrl' | 'tracingExternalUrl' | 'labels'> {
  /**
   * Link Kiali to the Grafana of `dashboards`, which then needs `externalUrl` and `apiCredentials`.
   * Set false for Kiali without Grafana links.
   * @default true
   */
  readonly grafanaLinks?: boolean;
}

/**
 * A call limited to some ports, HTTP methods and paths: the callee's AuthorizationPolicy allows
 * the caller only these (`to.operation.ports/methods/paths`), enforced by the callee's sidecar.
 */
export interface CallSpec extends Pick<LimitedCallOptions, 'ports' | 'methods' | 'paths'> {
  /** What is called, as in the string form: `<service>`, `<namespace>/<service>` or an app namespace `<namespace>`. */
  readonly to: string;
}

/** The service account a service's workloads run as. */
export interface ServiceAccountSpec {
  /** Its name. @default - the service's name */
  readonly name?: string;
  /**
   * The workload's own manifests create it (bookinfo's `bookinfo-<service>`); otherwise it is
   * rendered once authorization is on.
   * @default false
   */
  readonly existing?: boolean;
}

/** A Service the app runs in the mesh (its manifests come with the workload). */
export interface ServiceSpec extends Pick<MeshServiceProps, 'ports' | 'targetPorts' | 'selector'> {
  /**
   * What the service calls, which widens its namespace's Sidecar: `<service>` of its own
   * namespace, `<namespace>/<service>`, or `<namespace>` (all of it, a namespace of the app or
   * one of `externalNamespaces`). With authorization on, the callee allows this service's
   * principal; `{ to, methods, paths }` allows only those HTTP methods and paths.
   * @default - nothing outside its namespace
   */
  readonly calls?: (string | CallSpec)[];
  /** The service account its workloads run as, which its callees' policies name. @default - rendered, named after the service */
  readonly serviceAccount?: ServiceAccountSpec;
  /**
   * Callers outside the app that its AuthorizationPolicy allows: `<namespace>` (any workload of
   * it) or `<namespace>/<service account>`, each namespace one of `externalNamespaces`. Callers in
   * the app declare their own `calls` instead.
   * @default - none
   */
  readonly callers?: string[];
  /**
   * The ingress gateway routes to it, so its AuthorizationPolicy allows the gateway's principal.
   * A route of `ingressGateway.routes` or `ingressGateway.gatewayApi.routes` implies it; say it for
   * routes made outside the app.
   * @default false
   */
  readonly exposed?: boolean;
  /**
   * How the mesh calls the service: a DestinationRule (connect timeout, connection limits,
   * outlier detection) and, for a request timeout or retries, a mesh VirtualService.
   * @default - Istio's defaults
   */
  readonly trafficPolicy?: ServiceTrafficPolicySpec;
}

/** Retries of calls to a service. */
export interface ServiceRetriesSpec extends Pick<ServiceRetries, 'attempts' | 'retryOn'> {
  /** Time each try may take. @default - the request timeout, if any */
  readonly perTryTimeout?: DurationString;
}

/** Ejection of a service's failing endpoints from load balancing. */
export interface ServiceOutlierDetectionSpec extends Pick<ServiceOutlierDetection, 'consecutive5xxErrors' | 'maxEjectionPercent'> {
  /** How often endpoints are checked. @default 10s */
  readonly interval?: DurationString;
  /** How long an endpoint stays out the first time; longer each time after. @default 30s */
  readonly baseEjectionTime?: DurationString;
}

/** Limits of the connections callers keep to a service (a circuit breaker). */
export interface ServiceConnectionPoolSpec extends Pick<ServiceConnectionPool, 'maxConnections' | 'maxPendingRequests' | 'maxRequests' | 'maxRequestsPerConnection'> {
  /** A connection without requests for this long is closed. @default 1h, Envoy's */
  readonly idleTimeout?: DurationString;
}

/**
 * How the mesh calls a service (see ServiceTrafficPolicy); at least one key.
 * @minProperties 1
 */
export interface ServiceTrafficPolicySpec {
  /** Time to open a TCP connection to the service. @default 10s, Istio's */
  readonly connectTimeout?: DurationString;
  /** Time a whole request may take, retries included, before the caller gets 504. @default - none, as Istio */
  readonly requestTimeout?: DurationString;
  /** How callers retry. @default - Istio's: 2 attempts on connection failures and refused streams */
  readonly retries?: ServiceRetriesSpec;
  /** Ejection of failing endpoints. @default - none */
  readonly outlierDetection?: ServiceOutlierDetectionSpec;
  /** Connection limits. @default - Envoy's, effectively none */
  readonly connectionPool?: ServiceConnectionPoolSpec;
}

/** A service in the root namespace, which every namespace sees. */
export interface RootServiceSpec extends Pick<MeshServiceProps, 'ports'> {}

/** A namespace of the app's workloads, with its own Sidecar derived from its calls. */
export interface WorkloadNamespaceSpec {
  /**
   * How the namespace's pods join the mesh. `ambient` namespaces get no injection label and no
   * Sidecar (they have no sidecars), so `injection` (but `disabled`/`none`) and `sidecars` are
   * refused beside it.
   * @default - workloads.dataPlane
   */
  readonly dataPlane?: DataPlaneSpec;
  /** Sidecar injection of the namespace. @default - enabled, or revision when the control plane has a revision; none for ambient namespaces */
  readonly injection?: InjectionSpec;
  /**
   * Revision tag (or revision name) of `controlPlane.revisions` that injects the namespace's
   * pods: `istio.io/rev=<tag>`, instead of `injection`. Required with revisions (unless a tag
   * is named `default`, which `injection: enabled` selects).
   * @default - per injection
   */
  readonly revisionTag?: string;
  /**
   * A waypoint (layer 7 proxy) for this ambient namespace: HTTP routing, L7 authorization, HTTP
   * metrics and spans. Refused on sidecar namespaces.
   * @default - none: ztunnel alone, layer 4
   */
  readonly waypoint?: WaypointSpec;
  /** Extra labels of the Namespace. @default - none */
  readonly labels?: Record<string, string>;
  /** The Services it runs, by name. @default - none */
  readonly services?: Record<string, ServiceSpec>;
  /**
   * What the namespace's workloads call, as for a service's `calls`; with authorization on, the
   * callees allow the whole namespace (`namespaces`).
   * @default - nothing outside it
   */
  readonly calls?: (string | CallSpec)[];
  /** Authorization of this namespace, also when `workloads.authorization` is off. @default - `workloads.authorization` */
  readonly authorization?: AuthorizationSpec;
  /** A namespace-wide PeerAuthentication that overrides the mesh-wide mTLS mode here. @default - the mesh-wide mode */
  readonly mtls?: NamespaceMtlsSpec;
  /**
   * Hand-written Sidecars for some of the namespace's workloads, by object name, each with a
   * `workloadSelector`; they take precedence over the namespace's derived Sidecar for the pods
   * they select.
   * @default - none
   */
  readonly sidecars?: Record<string, WorkloadSidecarSpec>;
}

/** Which traffic a waypoint takes (`istio.io/waypoint-for`). */
export enum WaypointTrafficSpec {
  SERVICE = 'service',
  WORKLOAD = 'workload',
  ALL = 'all',
  NONE = 'none',
}

/** An ambient namespace's waypoint: a Gateway of class istio-waypoint that istiod deploys. */
export interface WaypointSpec {
  /** Name of the Gateway, and of the Deployment and Service istiod creates for it. @default 'waypoint' */
  readonly name?: string;
  /** Which traffic it takes: traffic to the services, to the pods, both, or none. @default 'service' */
  readonly trafficFor?: WaypointTrafficSpec;
  /**
   * Enroll only these services of the namespace (each Service must then carry
   * `istio.io/use-waypoint=<name>`, a synth warning says so); without it the whole namespace is
   * labelled `istio.io/use-waypoint=<name>`.
   * @default - the whole namespace
   */
  readonly services?: string[];
}

/** A Sidecar for the workloads with the given labels. */
export interface WorkloadSidecarSpec extends Pick<SidecarScopeProps, 'egressHosts'> {
  /** Pod labels of the workloads this Sidecar applies to. */
  readonly workloadSelector: Record<string, string>;
}

/** The mutual TLS mode of one namespace. */
export interface NamespaceMtlsSpec extends Pick<NamespaceMtlsProps, 'mode'> {}

/**
 * Least-privilege authorization from the declared calls: an `allow-nothing` AuthorizationPolicy
 * per namespace and an ALLOW policy per called service naming exactly its callers.
 */
export interface AuthorizationSpec {
  /** ENFORCE, or DRY_RUN to observe what enforcement would refuse first. @default ENFORCE */
  readonly mode?: AuthorizationMode;
}

/** Workloads: Sidecar scoping of the app's namespaces. */
export interface WorkloadsSpec {
  /** Authorization policies derived from `calls` for every namespace. @default - none */
  readonly authorization?: AuthorizationSpec;
  /**
   * How the namespaces join the mesh unless one says otherwise (`workloads.namespaces.<name>.dataPlane`):
   * `sidecar` or `ambient`. A mesh may mix both.
   * @default - ambient when controlPlane.profile is ambient or openshift-ambient, else sidecar
   */
  readonly dataPlane?: DataPlaneSpec;
  /** The app's namespaces, by name. @default - none */
  readonly namespaces?: Record<string, WorkloadNamespaceSpec>;
  /** Services in the root namespace, by name. @default - none */
  readonly rootServices?: Record<string, RootServiceSpec>;
  /** Namespaces outside the app that `calls` may name. @default - none */
  readonly externalNamespaces?: NamespaceName[];
  /**
   * Write the mesh-wide default Sidecar in the root namespace, which scopes every injected
   * namespace without a Sidecar of its own to itself and the root namespace, also namespaces this
   * file does not define. Right for a new mesh; on an existing mesh whose other namespaces call
   * each other it cuts their traffic: set it to false there. The synth summary warns while it is on.
   * @default true
   */
  readonly meshDefaultSidecar?: boolean;
}

/**
 * A kind left out of the schema checks: `group/Kind` (`cert-manager.io/Certificate`), `group/*`
 * for a whole API group, `core/Kind` for the core group.
 * @pattern ^([a-z0-9]([a-z0-9.-]*[a-z0-9])?|core)/([A-Z][A-Za-z0-9]*|\*)$
 */
export type UncheckedKind = string;

/** What the output checks know besides the CRDs this library ships. */
export interface ValidationSpec {
  /**
   * CRD files, or folders of them, relative to this file: custom resources of these kinds are
   * checked against them (the CRDs of other operators, or the versions your cluster runs, which
   * win over the ones this library ships).
   * @default - none
   */
  readonly crds?: string[];
  /**
   * A cdk8s.yaml, relative to this file, whose `imports` name local CRD files: they are added to
   * `crds`, so the CRDs a cdk8s project already imports need no second list.
   * @default - none
   */
  readonly cdk8sImports?: string;
  /**
   * Kinds that are not checked against a schema, for kinds whose CRD is not at hand; the mesh
   * checks (namespaces, references) still see them.
   * @default - none
   */
  readonly uncheckedKinds?: UncheckedKind[];
}

/**
 * The one registry every image of the output is pulled from (see ImageMirror), for clusters that
 * reach no public registry.
 */
export interface ImageMirrorSpec {
  /**
   * The mirror: a registry host with an optional port and path, such as
   * `registry.example.com:5000/mirror`. Every image moves there under its source path:
   * `quay.io/kiali/kiali:v2.29.0` is pulled as `<registry>/kiali/kiali:v2.29.0`, Istio's hub
   * `docker.io/istio` becomes `<registry>/istio`.
   */
  readonly registry: string;
  /**
   * Keep the source registry as the first path segment under the mirror
   * (`<registry>/quay.io/kiali/kiali:v2.29.0`), for mirrors that copy several registries side by side.
   * @default false
   */
  readonly keepSourceRegistry?: boolean;
}

/**
 * mesh.yaml: a whole Istio mesh and its observability stack. Each top-level part is rendered only
 * when present, except the control plane.
 */
export interface MeshSpec {
  /**
   * The Kubernetes distribution: decides the CNI preset (`controlPlane.cni.platform`) and, on
   * OpenShift, leaves pods' user and group ids to the platform.
   * @default - from `controlPlane.profile` (openshift) or `controlPlane.cni.platform`, else kubernetes
   */
  readonly platform?: PlatformSpec;
  /**
   * One registry for every image the output names (Istio, Jaeger, Kiali, Prometheus, Grafana),
   * defaults and chosen images alike; an image already under it is kept.
   * @default - none: each image from its own registry
   */
  readonly imageMirror?: ImageMirrorSpec;
  /** The Istio control plane. @default {} */
  readonly controlPlane?: ControlPlaneSpec;
  /** The ingress gateway, on every install path. @default - none */
  readonly ingressGateway?: IngressGatewaySpec;
  /** Mesh-wide mutual TLS. @default - none */
  readonly mtls?: MtlsSpec;
  /** Tracing. @default - none */
  readonly tracing?: TracingSpec;
  /** Metrics. @default - none */
  readonly metrics?: MetricsSpec;
  /** Grafana dashboards. @default - none */
  readonly dashboards?: DashboardsSpec;
  /** Kiali. @default - none */
  readonly kiali?: KialiSpec;
  /** Workloads and their Sidecar scoping. @default - none */
  readonly workloads?: WorkloadsSpec;
  /**
   * Annotate every object with the Argo CD sync wave of its apply phase (10 namespaces, 20 operators, 30 control plane, 33 the Sail IstioCNI, 36 the Sail ZTunnel, 40 the rest).
   * @default true
   */
  readonly argoCdSyncWaves?: boolean;
  /**
   * Namespaces that objects of the output refer to but that exist already, for the output checks.
   * The namespaces of an in-cluster Prometheus or an existing Grafana and `workloads.externalNamespaces`
   * are added by themselves.
   * @default - none
   */
  readonly externalNamespaces?: NamespaceName[];
  /** What the output checks know besides the CRDs this library ships. @default - the shipped CRDs only */
  readonly validation?: ValidationSpec;
}
