import { createHash } from 'crypto';
import { ApiObject, Size, SizeRoundingBehavior } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as yaml from 'js-yaml';
import { chosenNamespace } from '../core/chosen-namespace';
import { ExternalEndpoint } from '../core/endpoint';
import { ImageMirror } from '../core/image-mirror';
import { MeshNamespace } from '../core/mesh-namespace';
import { resolveContainerResources } from '../core/container-resources';
import { assertDnsLabel, assertImageReference, assertLabels } from '../core/names';
import { Scheme, ServiceEndpoint } from '../core/service-endpoint';
import { ClusterPlatform } from '../core/cluster-platform';
import { ITracingBackend, TracingProvider } from './tracing-backend';

/** Props of {@link JaegerV2Storage.memory}. */
export interface JaegerV2MemoryStorageProps {
  /**
   * Traces kept before the oldest are dropped (`memory.max_traces`); refused when they cannot
   * fit the container's memory limit (see {@link JaegerV2Storage.memory}).
   * @default - as many as half the memory limit holds: 16384 for the default 1 GiB
   */
  readonly maxTraces?: number;
}

/**
 * Memory a trace is budgeted in Jaeger's in-memory store. Jaeger keeps the spans as decoded
 * OpenTelemetry objects, each with its attributes; a span of Istio's proxies carries some twenty
 * (node, cluster, peer, URL, user agent, ...) and takes 2 to 3 KiB that way, and a request through
 * a gateway and a few services makes about ten spans: 32 KiB a trace.
 */
const TRACE_BUDGET_BYTES = 32 * 1024;
/**
 * Share of the memory limit the stored traces may take: the rest is the collector's receive
 * queues and batches, query responses, and the Go garbage collector's headroom.
 */
const TRACE_MEMORY_SHARE = 0.5;

/** Traces that fit half of `memoryLimit` at {@link TRACE_BUDGET_BYTES} each. */
function tracesFitting(memoryLimit: Size): number {
  return Math.floor((memoryLimit.toKibibytes({ rounding: SizeRoundingBehavior.FLOOR }) * 1024 * TRACE_MEMORY_SHARE) / TRACE_BUDGET_BYTES);
}

/** Props of {@link JaegerV2Storage.elasticsearch}. */
export interface JaegerV2ElasticsearchStorageProps {
  /** Elasticsearch URLs, e.g. `http://elasticsearch.logging:9200` (`server_urls`). */
  readonly serverUrls: string[];
  /** Prefix of the index names (`indices.index_prefix`). @default - Jaeger's default, no prefix */
  readonly indexPrefix?: string;
}

/** Where a {@link JaegerV2} stores spans: one backend of its `jaeger_storage` extension. */
export abstract class JaegerV2Storage {
  /**
   * In the pod's memory: lost on restart, and only one replica. The store is bounded by
   * `maxTraces`, not by bytes, so the count is sized from the container's memory limit: each
   * trace is budgeted 32 KiB (about ten spans of Istio's proxies, 2 to 3 KiB each as Jaeger holds
   * them), and the traces may take half the limit. A `maxTraces` above that is refused, naming
   * the memory limit it needs.
   */
  public static memory(props: JaegerV2MemoryStorageProps = {}): JaegerV2Storage {
    const maxTraces = props.maxTraces;
    if (maxTraces !== undefined && (!Number.isInteger(maxTraces) || maxTraces < 1)) {
      throw new Error(`maxTraces must be a positive integer, got ${maxTraces}`);
    }
    return new MemoryStorage(maxTraces);
  }

  /** An Elasticsearch cluster run elsewhere, without authentication. */
  public static elasticsearch(props: JaegerV2ElasticsearchStorageProps): JaegerV2Storage {
    if (props.serverUrls.length === 0) {
      throw new Error('serverUrls must list at least one Elasticsearch URL, e.g. http://elasticsearch.logging:9200');
    }
    props.serverUrls.forEach((url, i) => ExternalEndpoint.fromUrl(`serverUrls[${i}]`, url));
    const indices = props.indexPrefix === undefined ? undefined : { index_prefix: props.indexPrefix };
    return new ElasticsearchStorage({ elasticsearch: { server_urls: [...props.serverUrls], ...(indices && { indices }) } });
  }

  /** Whether spans outlive a pod and are shared by several replicas. */
  public abstract readonly persistent: boolean;
  /**
   * The backend's entry under `extensions.jaeger_storage.backends.<name>`, for a Jaeger
   * container with memory limit `memoryLimit` (what the in-memory store is sized from).
   * @throws if the storage cannot fit that memory limit
   */
  public abstract backendConfig(memoryLimit: Size): Readonly<Record<string, unknown>>;
}

class MemoryStorage extends JaegerV2Storage {
  public readonly persistent = false;
  constructor(private readonly maxTraces: number | undefined) {
    super();
  }

  public backendConfig(memoryLimit: Size): Readonly<Record<string, unknown>> {
    const fitting = tracesFitting(memoryLimit);
    if (fitting < 1) {
      throw new Error(`resources: a memory limit of ${memoryLimit.toMebibytes({ rounding: SizeRoundingBehavior.FLOOR })} MiB holds no trace of in-memory storage (each is budgeted 32 KiB, in half the limit): raise the memory limit (resources)`);
    }
    if (this.maxTraces !== undefined && this.maxTraces > fitting) {
      const neededMebibytes = Math.ceil((this.maxTraces * TRACE_BUDGET_BYTES) / TRACE_MEMORY_SHARE / (1024 * 1024));
      throw new Error(`storage.memory.maxTraces ${this.maxTraces} does not fit the memory limit of ${memoryLimit.toMebibytes({ rounding: SizeRoundingBehavior.FLOOR })} MiB `
        + `(each trace is budgeted 32 KiB, in half the limit: ${fitting} traces): lower maxTraces to at most ${fitting}, or raise the memory limit (resources) to at least ${neededMebibytes} MiB`);
    }
    return { memory: { max_traces: this.maxTraces ?? fitting } };
  }
}

class ElasticsearchStorage extends JaegerV2Storage {
  public readonly persistent = true;
  constructor(private readonly config: Readonly<Record<string, unknown>>) {
    super();
  }

  public backendConfig(): Readonly<Record<string, unknown>> {
    return this.config;
  }
}

/** Props of a {@link JaegerV2}. */
export interface JaegerV2Props {
  /**
   * Name of the Deployment and ConfigMap, and prefix of the Services `<name>-collector` and
   * `<name>-query` (the names the Jaeger operator used, so moving from {@link Jaeger} keeps the
   * addresses). @default 'jaeger'
   */
  readonly name?: string;
  /** Namespace of every object. @default 'observability' */
  readonly namespace?: string;
  /**
   * Render the Namespace object of `namespace` (through a {@link MeshNamespace}: one object per
   * name in the app, however many parts ask for it). Set false when the namespace exists
   * already (another repository or the platform creates it); the app's {@link MeshValidation}
   * then treats it as external.
   * @default true
   */
  readonly createNamespace?: boolean;
  /** Extra labels on every object and pod. @default - none */
  readonly labels?: Record<string, string>;
  /**
   * Container image; an image mirror (mesh.yaml `imageMirror`, TypeScript {@link ImageMirror})
   * applies to it.
   * @default 'docker.io/jaegertracing/jaeger:2.14.0', the release Istio 1.30's addon runs
   */
  readonly image?: string;
  /** Span storage. @default JaegerV2Storage.memory() */
  readonly storage?: JaegerV2Storage;
  /** Pods; more than one needs a persistent storage. @default 1 */
  readonly replicas?: number;
  /**
   * Container requests and limits; a part left out keeps its default.
   * @default - requests 100m CPU and 256 MiB, limits 1 CPU and 1 GiB
   */
  readonly resources?: ContainerResources;
}

interface NamedPort {
  readonly name: string;
  readonly port: number;
}

// Ports of the Jaeger v2 binary as Istio's addon configures them. Names follow Istio's
// `<protocol>-<suffix>` convention so the mesh picks the right protocol.
const ZIPKIN: NamedPort = { name: 'http-zipkin', port: 9411 };
const OTLP_GRPC: NamedPort = { name: 'grpc-otlp', port: 4317 };
const OTLP_HTTP: NamedPort = { name: 'http-otlp', port: 4318 };
const QUERY_HTTP: NamedPort = { name: 'http-query', port: 16686 };
const QUERY_GRPC: NamedPort = { name: 'grpc-query', port: 16685 };
const HEALTH: NamedPort = { name: 'http-health', port: 13133 };
const METRICS: NamedPort = { name: 'http-metrics', port: 8888 };

const STORE = 'traces';
const CONFIG_DIR = '/etc/jaeger';
const CONFIG_FILE = 'config.yaml';
/** The image's unprivileged user (`USER 10001` in Jaeger's Dockerfile). */
const JAEGER_UID = 10001;

const listen = (port: NamedPort) => ({ endpoint: `0.0.0.0:${port.port}` });

/**
 * Jaeger v2 (an OpenTelemetry Collector build) as one Deployment with its config in a ConfigMap:
 * Zipkin on 9411 for Istio's proxies, OTLP on 4317/4318 for applications, and the query UI and
 * API on 16686 (gRPC 16685). What Istio's own addon runs, hardened: non-root, read-only root
 * filesystem, no privilege escalation, no capabilities, bounded resources.
 *
 * Children: 'Resource' (Deployment), 'Config' (ConfigMap), 'CollectorService', 'QueryService',
 * 'Namespace' (a {@link MeshNamespace}, unless `createNamespace` is false).
 */
export class JaegerV2 extends Construct implements ITracingBackend {
  /** The Jaeger release the image defaults to. */
  public static readonly DEFAULT_IMAGE = 'docker.io/jaegertracing/jaeger:2.14.0';

  public readonly provider = TracingProvider.JAEGER;
  /** `<name>-collector`, Zipkin port. */
  public readonly zipkinEndpoint: ServiceEndpoint;
  /** `<name>-collector`, OTLP over gRPC, for applications that export traces themselves. */
  public readonly otlpGrpcEndpoint: ServiceEndpoint;
  /** `<name>-collector`, OTLP over HTTP. */
  public readonly otlpHttpEndpoint: ServiceEndpoint;
  /** `<name>-query`, HTTP query API and UI. */
  public readonly queryEndpoint: ServiceEndpoint;
  public readonly queryBasePath = '';
  /** `<name>-query`, gRPC query API. */
  public readonly grpcQueryEndpoint: ServiceEndpoint;
  /** The generated Deployment. */
  public readonly resource: ApiObject;
  /** The namespace it renders, unless told it exists ({@link JaegerV2Props.createNamespace}). */
  public readonly meshNamespace?: MeshNamespace;
  /** The Jaeger config, as written to the ConfigMap. */
  public readonly config: Readonly<Record<string, unknown>>;

  /** @throws if `replicas` is not a positive integer, or above 1 with in-memory storage */
  constructor(scope: Construct, id: string, props: JaegerV2Props = {}) {
    super(scope, id);
    const name = props.name ?? 'jaeger';
    const namespace = props.namespace ?? 'observability';
    assertDnsLabel('name', name);
    assertDnsLabel('namespace', namespace);
    assertLabels('labels', props.labels);
    if (props.image !== undefined) {
      assertImageReference('image', props.image);
    }
    const storage = props.storage ?? JaegerV2Storage.memory();
    this.meshNamespace = chosenNamespace(this, namespace, props.createNamespace);
    const replicas = props.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1) {
      throw new Error(`replicas must be a positive integer, got ${replicas}`);
    }
    if (replicas > 1 && !storage.persistent) {
      throw new Error(`replicas ${replicas} needs a persistent storage such as JaegerV2Storage.elasticsearch(): with in-memory storage each replica would see only its own traces`);
    }

    const selector = { 'app.kubernetes.io/name': 'jaeger', 'app.kubernetes.io/instance': name };
    const labels = { ...props.labels, ...selector };
    const metadata = (objectName: string) => ({ name: objectName, namespace, labels });

    const resources = resolveContainerResources('resources', props.resources, {
      cpuRequest: Cpu.millis(100), cpuLimit: Cpu.units(1), memoryRequest: Size.mebibytes(256), memoryLimit: Size.gibibytes(1),
    });
    this.config = jaegerConfig(name, storage.backendConfig(resources.memoryLimit));
    const configYaml = yaml.dump(this.config, { lineWidth: -1, noRefs: true });
    const configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: metadata(`${name}-config`),
      data: { [CONFIG_FILE]: configYaml },
    });

    const servicePorts = (ports: NamedPort[]): k8s.ServicePort[] =>
      ports.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: 'TCP' }));
    const collectorService = new k8s.KubeService(this, 'CollectorService', {
      metadata: metadata(`${name}-collector`),
      spec: { type: 'ClusterIP', selector, ports: servicePorts([ZIPKIN, OTLP_GRPC, OTLP_HTTP]) },
    });
    const queryService = new k8s.KubeService(this, 'QueryService', {
      metadata: metadata(`${name}-query`),
      spec: { type: 'ClusterIP', selector, ports: servicePorts([QUERY_HTTP, QUERY_GRPC]) },
    });

    const healthProbe: k8s.Probe = { httpGet: { path: '/status', port: k8s.IntOrString.fromString(HEALTH.name) } };
    this.resource = new k8s.KubeDeployment(this, 'Resource', {
      metadata: metadata(name),
      spec: {
        replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: {
            // A sidecar would trace the span reports themselves, feeding Jaeger its own traffic,
            // which is why Istio's addon keeps Jaeger out of the mesh too.
            labels: { ...labels, 'sidecar.istio.io/inject': 'false' },
            // Rolls the pods when the config changes; a ConfigMap edit alone does not.
            annotations: { 'checksum/config': createHash('sha256').update(configYaml).digest('hex') },
          },
          spec: {
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              // OpenShift assigns the ids (and the volume's group) from the namespace's range.
              ...ClusterPlatform.of(this).fixedIds({ runAsUser: JAEGER_UID, runAsGroup: JAEGER_UID, fsGroup: JAEGER_UID }),
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [{
              name: 'jaeger',
              image: ImageMirror.imageFor(this, props.image ?? JaegerV2.DEFAULT_IMAGE),
              args: ['--config', `${CONFIG_DIR}/${CONFIG_FILE}`],
              ports: [ZIPKIN, OTLP_GRPC, OTLP_HTTP, QUERY_HTTP, QUERY_GRPC, HEALTH, METRICS]
                .map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })),
              readinessProbe: healthProbe,
              livenessProbe: healthProbe,
              resources: resources.requirements,
              // The Go runtime collects harder as the heap nears this, instead of growing past the
              // container's limit into an OOM kill (90%: the rest is the runtime's own).
              env: [{ name: 'GOMEMLIMIT', value: `${Math.floor(resources.memoryLimit.toMebibytes({ rounding: SizeRoundingBehavior.FLOOR }) * 0.9)}MiB` }],
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                // The image declares /tmp a volume: the one place it writes.
                { name: 'tmp', mountPath: '/tmp' },
              ],
            }],
            volumes: [
              { name: 'config', configMap: { name: configMap.name } },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      },
    });

    const endpoint = (service: k8s.KubeService, port: NamedPort, scheme?: Scheme) =>
      new ServiceEndpoint({ serviceName: service.name, namespace, port: port.port, scheme });
    this.zipkinEndpoint = endpoint(collectorService, ZIPKIN);
    this.otlpGrpcEndpoint = endpoint(collectorService, OTLP_GRPC, Scheme.GRPC);
    this.otlpHttpEndpoint = endpoint(collectorService, OTLP_HTTP);
    this.queryEndpoint = endpoint(queryService, QUERY_HTTP);
    this.grpcQueryEndpoint = endpoint(queryService, QUERY_GRPC, Scheme.GRPC);
  }
}

/** The Jaeger v2 config: OpenTelemetry Collector pipelines plus Jaeger's storage and query extensions. */
function jaegerConfig(name: string, backendConfig: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return {
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
      pipelines: {
        traces: { receivers: ['otlp', 'zipkin'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] },
      },
      telemetry: {
        resource: { 'service.name': name },
        metrics: { level: 'detailed', readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: METRICS.port } } } }] },
        logs: { level: 'info' },
      },
    },
    extensions: {
      healthcheckv2: { use_v2: true, http: listen(HEALTH) },
      jaeger_query: { storage: { traces: STORE }, http: listen(QUERY_HTTP), grpc: listen(QUERY_GRPC) },
      jaeger_storage: { backends: { [STORE]: backendConfig } },
    },
    // Listen addresses are explicit: recent collector releases default to localhost, which
    // nothing outside the pod could reach.
    receivers: {
      otlp: { protocols: { grpc: listen(OTLP_GRPC), http: listen(OTLP_HTTP) } },
      zipkin: listen(ZIPKIN),
    },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: STORE } },
  };
}
