import { createHash } from 'crypto';
import { ApiObject, Size } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as yaml from 'js-yaml';
import { chosenNamespace } from '../core/chosen-namespace';
import { ExternalEndpoint } from '../core/endpoint';
import { ImageMirror } from '../core/image-mirror';
import { MeshNamespace } from '../core/mesh-namespace';
import { assertDnsLabel, assertImageReference, assertLabels, assertRequestWithinLimit } from '../core/names';
import { Scheme, ServiceEndpoint } from '../core/service-endpoint';
import { ClusterPlatform } from '../core/cluster-platform';
import { ITracingBackend, TracingProvider } from './tracing-backend';

/** Props of {@link JaegerV2Storage.memory}. */
export interface JaegerV2MemoryStorageProps {
  /** Traces kept before the oldest are dropped (`memory.max_traces`). @default 100000 */
  readonly maxTraces?: number;
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
  /** In the pod's memory: lost on restart, and only one replica. */
  public static memory(props: JaegerV2MemoryStorageProps = {}): JaegerV2Storage {
    const maxTraces = props.maxTraces ?? 100000;
    if (!Number.isInteger(maxTraces) || maxTraces < 1) {
      throw new Error(`maxTraces must be a positive integer, got ${maxTraces}`);
    }
    return new BackendStorage(false, { memory: { max_traces: maxTraces } });
  }

  /** An Elasticsearch cluster run elsewhere, without authentication. */
  public static elasticsearch(props: JaegerV2ElasticsearchStorageProps): JaegerV2Storage {
    if (props.serverUrls.length === 0) {
      throw new Error('serverUrls must list at least one Elasticsearch URL, e.g. http://elasticsearch.logging:9200');
    }
    props.serverUrls.forEach((url, i) => ExternalEndpoint.fromUrl(`serverUrls[${i}]`, url));
    const indices = props.indexPrefix === undefined ? undefined : { index_prefix: props.indexPrefix };
    return new BackendStorage(true, { elasticsearch: { server_urls: [...props.serverUrls], ...(indices && { indices }) } });
  }

  /** Whether spans outlive a pod and are shared by several replicas. */
  public abstract readonly persistent: boolean;
  /** The backend's entry under `extensions.jaeger_storage.backends.<name>`. */
  public abstract readonly backendConfig: Readonly<Record<string, unknown>>;
}

class BackendStorage extends JaegerV2Storage {
  constructor(public readonly persistent: boolean, public readonly backendConfig: Readonly<Record<string, unknown>>) {
    super();
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

    this.config = jaegerConfig(name, storage);
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

    const resources = resourceRequirements(props.resources);
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
              resources,
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
function jaegerConfig(name: string, storage: JaegerV2Storage): Record<string, unknown> {
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
      jaeger_storage: { backends: { [STORE]: storage.backendConfig } },
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

function resourceRequirements(resources: ContainerResources = {}): k8s.ResourceRequirements {
  const cpuRequest = resources.cpu?.request ?? Cpu.millis(100);
  const cpuLimit = resources.cpu?.limit ?? Cpu.units(1);
  const memoryRequest = resources.memory?.request ?? Size.mebibytes(256);
  const memoryLimit = resources.memory?.limit ?? Size.gibibytes(1);
  assertRequestWithinLimit('resources', 'cpu', cpuRequest.amount, cpuLimit.amount);
  assertRequestWithinLimit('resources', 'memory', `${memoryRequest.toMebibytes()}Mi`, `${memoryLimit.toMebibytes()}Mi`);
  return {
    requests: { cpu: k8s.Quantity.fromString(cpuRequest.amount), memory: k8s.Quantity.fromString(`${memoryRequest.toMebibytes()}Mi`) },
    limits: { cpu: k8s.Quantity.fromString(cpuLimit.amount), memory: k8s.Quantity.fromString(`${memoryLimit.toMebibytes()}Mi`) },
  };
}
