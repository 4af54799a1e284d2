import { ApiObject, Duration, JsonPatch, Size, SizeRoundingBehavior } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Prometheus, PrometheusSpec, PrometheusSpecResourcesLimits, PrometheusSpecResourcesRequests } from '../../imports/prometheus-prometheus-monitoring.coreos.com';
import { chosenNamespace } from '../core/chosen-namespace';
import { resolveContainerResources } from '../core/container-resources';
import { ImageMirror } from '../core/image-mirror';
import { MeshNamespace } from '../core/mesh-namespace';
import { assertDnsLabel, assertLabels } from '../core/names';
import { ServiceEndpoint } from '../core/service-endpoint';
import { ClusterPlatform } from '../core/cluster-platform';
import { MeshWarningCode, MeshWarnings } from '../validation/mesh-warnings';
import { IstioScrapeConfig, IstioScrapeConfigOptions } from './istio-scrape-config';
import { IPrometheusBackend } from './prometheus-backend';
import { prometheusDuration } from './prometheus-duration';
import { PrometheusStorage } from './prometheus-storage';

/**
 * Share of the volume the default retention size takes: the Prometheus storage documentation
 * advises at most 80-85% of the disk, as the size retention deletes whole blocks only after the
 * head, WAL and compaction have already written theirs.
 */
const DEFAULT_RETENTION_SHARE = 0.8;
/** The most a retention size may take of its volume, the documentation's upper bound. */
const MAX_RETENTION_SHARE = 0.85;

/** Props of a {@link PrometheusServer}. */
export interface PrometheusServerProps {
  /** Name of the `Prometheus` object; the operator runs it as StatefulSet `prometheus-<name>`. @default 'prometheus' */
  readonly name?: string;
  /** Namespace of the Prometheus and its ServiceAccount. @default 'monitoring' */
  readonly namespace?: string;
  /**
   * Render the Namespace object of `namespace` (through a {@link MeshNamespace}: one object per
   * name in the app, however many parts ask for it). Set false when the namespace exists
   * already (another repository or the platform creates it); the app's {@link MeshValidation}
   * then treats it as external.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Labels that ServiceMonitors, PodMonitors and PrometheusRules need for this Prometheus to load
   * them. Only objects in the Prometheus' own namespace are considered.
   * @default { prometheus: <name> }
   */
  readonly monitorSelectorLabels?: Record<string, string>;
  /** Default interval between scrapes. @default Duration.seconds(15) */
  readonly scrapeInterval?: Duration;
  /** Default interval between rule evaluations. @default Duration.seconds(30) */
  readonly evaluationInterval?: Duration;
  /**
   * How long samples are kept at most; the retention size deletes older blocks first when the
   * volume fills before that.
   * @default Duration.days(15)
   */
  readonly retention?: Duration;
  /**
   * Where the samples are kept (`spec.storage`), per pod.
   * @default PrometheusStorage.persistentVolume(): 50 GiB of the cluster's default StorageClass
   */
  readonly storage?: PrometheusStorage;
  /**
   * Most the samples may take on the volume (`spec.retentionSize`): above it Prometheus deletes
   * the oldest blocks, whatever the time `retention` says, so a volume that is too small for the
   * traffic loses old samples instead of filling up and stopping Prometheus. At most 85% of the
   * volume (the head, WAL and compaction need the rest).
   * @default - 80% of the volume; none for an emptyDir without sizeLimit
   */
  readonly retentionSize?: Size;
  /**
   * Container requests and limits of Prometheus (`spec.resources`); a part left out keeps its
   * default. Prometheus holds the last two hours of every active series in memory, a few KiB
   * each: the defaults hold the 250,000 series the default volume is sized for, with room for
   * queries.
   * @default - requests 500m CPU and 2 GiB, limits 2 CPU and 4 GiB
   */
  readonly resources?: ContainerResources;
  /** Number of Prometheus pods, each scraping every target. @default 1 */
  readonly replicas?: number;
  /**
   * Prometheus release the operator runs, such as 'v3.10.0'.
   * @default - the operator's default; with an image mirror (mesh.yaml `imageMirror`, TypeScript
   * {@link ImageMirror}), which names the image, 'v3.13.1' (the operator v0.93.0's default)
   */
  readonly version?: string;
}

/**
 * A Prometheus run by prometheus-operator: the `Prometheus` object (id 'Resource') with a
 * ServiceAccount and the cluster-wide read access to pods, services and endpoints that
 * Kubernetes service discovery needs, and nothing more. It selects monitors and rules by label in
 * its own namespace only, runs as non-root with the runtime's seccomp profile, and keeps its
 * proxy-less pods out of the mesh.
 */
export class PrometheusServer extends Construct implements IPrometheusBackend {
  /** The Prometheus release prometheus-operator v0.93.0 (the one this library is tested with) runs by default. */
  public static readonly DEFAULT_VERSION = 'v3.13.1';

  public readonly name: string;
  public readonly namespace: string;
  /**
   * The operator's `prometheus-operated` Service, port 9090 (`web`), which it creates for every
   * `Prometheus` object in the namespace.
   */
  public readonly queryEndpoint: ServiceEndpoint;
  public readonly monitorSelectorLabels: Readonly<Record<string, string>>;
  /** The generated `Prometheus` object. */
  public readonly resource: ApiObject;
  /** The namespace it renders, unless told it exists (`createNamespace: false`). */
  public readonly meshNamespace?: MeshNamespace;
  private istioScrapeConfig?: IstioScrapeConfig;

  constructor(scope: Construct, id: string, props: PrometheusServerProps = {}) {
    super(scope, id);
    this.name = props.name ?? 'prometheus';
    this.namespace = props.namespace ?? 'monitoring';
    assertDnsLabel('name', this.name);
    assertDnsLabel('namespace', this.namespace);
    this.meshNamespace = chosenNamespace(this, this.namespace, props.createNamespace);
    const replicas = props.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1) {
      throw new Error(`replicas must be a whole number of at least 1, got ${replicas}`);
    }
    assertLabels('monitorSelectorLabels', props.monitorSelectorLabels);
    this.monitorSelectorLabels = props.monitorSelectorLabels ?? { prometheus: this.name };
    this.queryEndpoint = new ServiceEndpoint({ serviceName: 'prometheus-operated', namespace: this.namespace, port: 9090 });

    const serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.name, namespace: this.namespace },
    });
    // ClusterRoles are cluster-wide: the namespace in the name keeps two Prometheus apart.
    const roleName = `${this.namespace}-${this.name}`;
    const role = new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: roleName },
      rules: [
        // What kubernetes_sd roles `endpoints` and `pod` watch, in every namespace with proxies.
        { apiGroups: [''], resources: ['endpoints', 'pods', 'services'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: roleName },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.name },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount.name, namespace: this.namespace }],
    });

    const retention = props.retention ?? Duration.days(15);
    const storage = props.storage ?? PrometheusStorage.persistentVolume();
    const retentionSize = this.retentionSizeOf(storage, props.retentionSize);
    const resources = resolveContainerResources('resources', props.resources, {
      cpuRequest: Cpu.millis(500), cpuLimit: Cpu.units(2), memoryRequest: Size.gibibytes(2), memoryLimit: Size.gibibytes(4),
    });
    if (!storage.persistent) {
      MeshWarnings.of(this).add(this, {
        code: MeshWarningCode.PROMETHEUS_RETENTION_WITHOUT_STORAGE,
        message: `Prometheus ${this.namespace}/${this.name} keeps ${retention.toHumanString()} of samples (retention) in an emptyDir: a restarted or rescheduled pod starts empty, and the volume counts against the node's disk`,
        fix: 'give it a persistent volume (storage: PrometheusStorage.persistentVolume({ size, storageClassName })), or keep retention as short as losing it is acceptable',
      });
    }
    const selector = { matchLabels: { ...this.monitorSelectorLabels } };
    this.resource = new Prometheus(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        version: props.version,
        ...mirroredImages(ImageMirror.of(this), props.version),
        replicas,
        serviceAccountName: serviceAccount.name,
        scrapeInterval: prometheusDuration('scrapeInterval', props.scrapeInterval ?? Duration.seconds(15)),
        evaluationInterval: prometheusDuration('evaluationInterval', props.evaluationInterval ?? Duration.seconds(30)),
        retention: prometheusDuration('retention', retention),
        // Prometheus reads MB as 2^20 bytes (its units are powers of two).
        ...(retentionSize !== undefined && { retentionSize: `${retentionSize.toMebibytes()}MB` }),
        storage: storage.storageSpec,
        resources: {
          requests: { cpu: PrometheusSpecResourcesRequests.fromString(resources.requests.cpu), memory: PrometheusSpecResourcesRequests.fromString(resources.requests.memory) },
          limits: { cpu: PrometheusSpecResourcesLimits.fromString(resources.limits.cpu), memory: PrometheusSpecResourcesLimits.fromString(resources.limits.memory) },
        },
        // Namespace selectors left unset: the operator then reads monitors and rules from this
        // namespace only, so no other namespace can add scrape jobs or rules to this Prometheus.
        serviceMonitorSelector: selector,
        podMonitorSelector: selector,
        ruleSelector: selector,
        // Istio's guide: a sidecar must not intercept Prometheus' direct connections to pods.
        podMetadata: { labels: { 'sidecar.istio.io/inject': 'false' } },
        securityContext: {
          runAsNonRoot: true,
          // Set even where the platform assigns the ids: without a securityContext the operator
          // would fill in its own fixed 1000/2000.
          ...ClusterPlatform.of(this).fixedIds({ runAsUser: 1000, runAsGroup: 2000, fsGroup: 2000 }),
          seccompProfile: { type: 'RuntimeDefault' },
        },
      },
    });
  }

  /** The retention size asked for, or 80% of a bounded volume; refused when it leaves the volume no headroom. */
  private retentionSizeOf(storage: PrometheusStorage, retentionSize: Size | undefined): Size | undefined {
    const capacityMebibytes = storage.capacity?.toMebibytes({ rounding: SizeRoundingBehavior.FLOOR });
    if (retentionSize === undefined) {
      return capacityMebibytes === undefined ? undefined : Size.mebibytes(Math.floor(capacityMebibytes * DEFAULT_RETENTION_SHARE));
    }
    const mebibytes = retentionSize.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
    if (!Number.isInteger(mebibytes) || mebibytes < 1) {
      throw new Error(`retentionSize must be a whole number of mebibytes, at least 1, got ${mebibytes} MiB`);
    }
    if (capacityMebibytes !== undefined && mebibytes > Math.floor(capacityMebibytes * MAX_RETENTION_SHARE)) {
      throw new Error(`retentionSize ${mebibytes} MiB does not fit a volume of ${capacityMebibytes} MiB: Prometheus needs the rest for its head, WAL and compaction; `
        + `keep retentionSize at most 85% of the volume (${Math.floor(capacityMebibytes * MAX_RETENTION_SHARE)} MiB), or make the volume at least ${Math.ceil(mebibytes / MAX_RETENTION_SHARE)} MiB`);
    }
    return retentionSize;
  }

  /**
   * Adds the Secret with Istio's scrape jobs ({@link IstioScrapeConfig}) to this Prometheus'
   * namespace and points `spec.additionalScrapeConfigs` at it.
   * @throws if called twice: a Prometheus reads one additional-scrape-configs key
   */
  public addIstioScrapeConfig(options: IstioScrapeConfigOptions = {}): IstioScrapeConfig {
    if (this.istioScrapeConfig) {
      throw new Error(`Prometheus ${this.namespace}/${this.name} already has Istio's scrape config (spec.additionalScrapeConfigs holds one Secret key)`);
    }
    this.istioScrapeConfig = new IstioScrapeConfig(this, 'IstioScrapeConfig', { ...options, prometheus: this });
    this.resource.addJsonPatch(JsonPatch.add('/spec/additionalScrapeConfigs', { ...this.istioScrapeConfig.secretKeyReference }));
    return this.istioScrapeConfig;
  }
}

/** The config reloader release of prometheus-operator v0.93.0, which runs its own release's. */
const CONFIG_RELOADER_IMAGE = 'quay.io/prometheus-operator/prometheus-config-reloader:v0.93.0';

/**
 * The images of a Prometheus pod from `mirror`: `spec.image` (with `spec.version`, from which the
 * operator still reads the release's features), and the operator's config reloader containers,
 * which it otherwise names from its own flag; `containers` and `initContainers` entries of the
 * same name are merged into the operator's.
 */
function mirroredImages(mirror: ImageMirror | undefined, version: string | undefined): Pick<PrometheusSpec, 'image' | 'version' | 'containers' | 'initContainers'> {
  if (!mirror) {
    return {};
  }
  const release = version ?? PrometheusServer.DEFAULT_VERSION;
  const reloader = mirror.image(CONFIG_RELOADER_IMAGE);
  return {
    image: mirror.image(`quay.io/prometheus/prometheus:${release}`),
    version: release,
    containers: [{ name: 'config-reloader', image: reloader }],
    initContainers: [{ name: 'init-config-reloader', image: reloader }],
  };
}
