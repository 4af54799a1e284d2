import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Jaeger as JaegerCr } from '../../imports/jaeger-jaegertracing.io';
import { chosenNamespace } from '../core/chosen-namespace';
import { ExternalEndpoint } from '../core/endpoint';
import { ImageMirror } from '../core/image-mirror';
import { MeshNamespace } from '../core/mesh-namespace';
import { assertDnsLabel, assertLabels } from '../core/names';
import { Scheme, ServiceEndpoint } from '../core/service-endpoint';
import { MeshWarningCode, MeshWarnings } from '../validation/mesh-warnings';
import { ITracingBackend, TracingProvider } from './tracing-backend';

/** Deployment strategy of the Jaeger operator, in the spelling of `spec.strategy`. */
export enum JaegerStrategy {
  /** One pod with collector, query and in-memory or local storage: for trying things out. */
  ALL_IN_ONE = 'allinone',
  /** Separate, scalable collector and query deployments writing to a real storage. */
  PRODUCTION = 'production',
  /** PRODUCTION with Kafka between the collector and an ingester that writes to the storage. */
  STREAMING = 'streaming',
}

/** Operator options: flags of the Jaeger binaries without the leading `--`, e.g. `es.index-prefix`. */
export type JaegerOptions = Readonly<Record<string, string>>;

/** Props of {@link JaegerStorage.memory}. */
export interface JaegerMemoryStorageProps {
  /** Traces kept before the oldest are dropped (`memory.max-traces`). @default 100000 */
  readonly maxTraces?: number;
}

/** Props of {@link JaegerStorage.elasticsearch}. */
export interface JaegerElasticsearchStorageProps {
  /** Elasticsearch URLs, e.g. `https://elasticsearch.logging:9200` (`es.server-urls`). */
  readonly serverUrls: string[];
  /**
   * Secret with `ES_USERNAME` and `ES_PASSWORD`, which the operator loads as environment
   * variables. @default - no credentials
   */
  readonly secretName?: string;
  /** More `es.*` options, e.g. `{ 'es.index-prefix': 'mesh' }`. @default - none */
  readonly options?: JaegerOptions;
}

/** Props of {@link JaegerStorage.cassandra}. */
export interface JaegerCassandraStorageProps {
  /** Cassandra hosts (`cassandra.servers`). */
  readonly servers: string[];
  /**
   * Keyspace (`cassandra.keyspace`), written explicitly so the schema job and the binaries agree.
   * @default 'jaeger_v1_datacenter1'
   */
  readonly keyspace?: string;
  /**
   * Secret with `CASSANDRA_USERNAME` and `CASSANDRA_PASSWORD`, loaded as environment variables.
   * @default - no credentials
   */
  readonly secretName?: string;
  /** More `cassandra.*` options. @default - none */
  readonly options?: JaegerOptions;
}

/** Where a Jaeger operator instance stores spans (`spec.storage`). */
export abstract class JaegerStorage {
  /** In memory of the all-in-one pod: lost on restart, ALL_IN_ONE only. */
  public static memory(props: JaegerMemoryStorageProps = {}): JaegerStorage {
    const maxTraces = props.maxTraces ?? 100000;
    if (!Number.isInteger(maxTraces) || maxTraces < 1) {
      throw new Error(`maxTraces must be a positive integer, got ${maxTraces}`);
    }
    return new OperatorStorage('memory', false, { 'memory.max-traces': String(maxTraces) });
  }

  /** An Elasticsearch cluster run elsewhere. */
  public static elasticsearch(props: JaegerElasticsearchStorageProps): JaegerStorage {
    if (props.serverUrls.length === 0) {
      throw new Error('serverUrls must list at least one Elasticsearch URL, e.g. https://elasticsearch.logging:9200');
    }
    props.serverUrls.forEach((url, i) => ExternalEndpoint.fromUrl(`serverUrls[${i}]`, url));
    return new OperatorStorage('elasticsearch', true,
      { ...checkedOptions('es', props.options), 'es.server-urls': props.serverUrls.join(',') },
      checkedSecretName(props.secretName));
  }

  /** A Cassandra cluster run elsewhere; the operator runs a job that creates the schema. */
  public static cassandra(props: JaegerCassandraStorageProps): JaegerStorage {
    if (props.servers.length === 0 || props.servers.some((server) => server.trim() === '')) {
      throw new Error(`servers must list at least one Cassandra host, got [${props.servers.join(', ')}]`);
    }
    const keyspace = props.keyspace ?? 'jaeger_v1_datacenter1';
    if (!/^[A-Za-z][A-Za-z0-9_]{0,47}$/.test(keyspace)) {
      throw new Error(`keyspace must be a Cassandra identifier (a letter, then letters, digits or '_', at most 48 characters), got '${keyspace}'`);
    }
    return new OperatorStorage('cassandra', true,
      { ...checkedOptions('cassandra', props.options), 'cassandra.keyspace': keyspace, 'cassandra.servers': props.servers.join(',') },
      checkedSecretName(props.secretName));
  }

  /** `spec.storage.type`. */
  public abstract readonly type: string;
  /** Whether spans outlive a pod and are shared by separate collector and query pods. */
  public abstract readonly persistent: boolean;
  /** `spec.storage.options`. */
  public abstract readonly options: JaegerOptions;
  /** `spec.storage.secretName`, if any. */
  public abstract readonly secretName?: string;
}

class OperatorStorage extends JaegerStorage {
  constructor(
    public readonly type: string,
    public readonly persistent: boolean,
    public readonly options: JaegerOptions,
    public readonly secretName?: string,
  ) {
    super();
  }
}

/**
 * The operator passes a storage's options to the binaries only when they start with the storage
 * type's prefix (`es` for elasticsearch), and drops the rest silently.
 */
function checkedOptions(prefix: string, options: JaegerOptions = {}): JaegerOptions {
  for (const key of Object.keys(options)) {
    if (!key.startsWith(`${prefix}.`) && !key.startsWith(`${prefix}-archive.`)) {
      throw new Error(`storage option '${key}' must start with '${prefix}.' or '${prefix}-archive.' (the operator ignores options of other prefixes)`);
    }
  }
  return options;
}

function checkedSecretName(secretName: string | undefined): string | undefined {
  if (secretName !== undefined) {
    assertDnsLabel('secretName', secretName);
  }
  return secretName;
}

/** Kafka between collector and ingester, for {@link JaegerStrategy.STREAMING}. */
export interface JaegerKafkaProps {
  /** Bootstrap brokers, `<host>:<port>`. */
  readonly brokers: string[];
  /** Topic the spans travel through. @default 'jaeger-spans' */
  readonly topic?: string;
}

/** Props of a {@link Jaeger}. */
export interface JaegerProps {
  /** Name of the Jaeger CR; the operator derives its Service names from it. @default 'jaeger' */
  readonly name?: string;
  /** Namespace the Jaeger instance and its services live in. @default 'observability' */
  readonly namespace?: string;
  /**
   * Render the Namespace object of `namespace` (through a {@link MeshNamespace}: one object per
   * name in the app, however many parts ask for it). Set false when the namespace exists
   * already (another repository or the platform creates it); the app's {@link MeshValidation}
   * then treats it as external.
   * @default true
   */
  readonly createNamespace?: boolean;
  /** Labels of the Jaeger CR. @default - none */
  readonly labels?: Record<string, string>;
  /**
   * Deployment strategy.
   * @default - JaegerStrategy.PRODUCTION with a persistent storage, JaegerStrategy.ALL_IN_ONE otherwise
   */
  readonly strategy?: JaegerStrategy;
  /** Span storage; PRODUCTION and STREAMING need a persistent one. @default JaegerStorage.memory() */
  readonly storage?: JaegerStorage;
  /** Kafka, required by STREAMING and only allowed there. @default - none */
  readonly kafka?: JaegerKafkaProps;
}

/** The operator's Service ports; it names the Services `<name>-collector` and `<name>-query`. */
const ZIPKIN_PORT = 9411;
const QUERY_HTTP_PORT = 16686;
const QUERY_GRPC_PORT = 16685;

/**
 * A Jaeger instance run by the Jaeger operator (jaegertracing.io/v1 `Jaeger`), with the
 * collector's Zipkin receiver on 9411 for Istio's proxies.
 *
 * Jaeger v1 and its operator reached end of life on 2025-12-31 (the operator's last release is
 * v1.65.0): prefer {@link JaegerV2} for new meshes, and use this for clusters that already run the
 * operator.
 */
export class Jaeger extends Construct implements ITracingBackend {
  public readonly provider = TracingProvider.JAEGER;
  /** The operator's `<name>-collector` Service, port 9411. */
  public readonly zipkinEndpoint: ServiceEndpoint;
  /**
   * The operator's `<name>-query` Service, port 16686 (443 instead when the operator puts an
   * OAuth proxy in front of the UI, its default on OpenShift only).
   */
  public readonly queryEndpoint: ServiceEndpoint;
  public readonly queryBasePath = '';
  /** The `<name>-query` Service's gRPC port 16685. */
  public readonly grpcQueryEndpoint: ServiceEndpoint;
  public readonly strategy: JaegerStrategy;
  public readonly storage: JaegerStorage;
  /** The generated Jaeger CR. */
  public readonly resource: ApiObject;
  /** The namespace it renders, unless told it exists (`createNamespace: false`). */
  public readonly meshNamespace?: MeshNamespace;

  /** @throws if PRODUCTION or STREAMING lacks a persistent storage, or `kafka` does not match the strategy */
  constructor(scope: Construct, id: string, props: JaegerProps = {}) {
    super(scope, id);
    const name = props.name ?? 'jaeger';
    const namespace = props.namespace ?? 'observability';
    assertDnsLabel('name', name);
    assertDnsLabel('namespace', namespace);
    assertLabels('labels', props.labels);
    this.meshNamespace = chosenNamespace(this, namespace, props.createNamespace);
    MeshWarnings.of(this).add(this, {
      code: MeshWarningCode.JAEGER_V1_END_OF_LIFE,
      message: `Jaeger v1 (${namespace}/${name}) and its operator reached end of life on 2025-12-31: no more releases, security fixes included`,
      fix: 'move to Jaeger v2 (new JaegerV2(...), which receives the same Zipkin spans on 9411)',
    });
    this.storage = props.storage ?? JaegerStorage.memory();
    this.strategy = props.strategy ?? (this.storage.persistent ? JaegerStrategy.PRODUCTION : JaegerStrategy.ALL_IN_ONE);
    if (this.strategy !== JaegerStrategy.ALL_IN_ONE && !this.storage.persistent) {
      throw new Error(`a Jaeger with strategy ${strategyName(this.strategy)} needs a persistent storage (JaegerStorage.elasticsearch() or JaegerStorage.cassandra()), got ${this.storage.type}: its collector and query run in separate pods that share no memory`);
    }
    if (this.strategy === JaegerStrategy.STREAMING && props.kafka === undefined) {
      throw new Error('a Jaeger with strategy STREAMING needs kafka: { brokers: [...] }');
    }
    if (this.strategy !== JaegerStrategy.STREAMING && props.kafka !== undefined) {
      throw new Error(`kafka is used only by strategy STREAMING, got strategy ${strategyName(this.strategy)}`);
    }

    // Jaeger v1 receives Zipkin only when this flag is set.
    const collectorOptions: Record<string, string> = { 'collector.zipkin.host-port': `:${ZIPKIN_PORT}` };
    let ingesterOptions: Record<string, string> | undefined;
    if (props.kafka !== undefined) {
      const brokers = checkedBrokers(props.kafka.brokers);
      const topic = props.kafka.topic ?? 'jaeger-spans';
      collectorOptions['kafka.producer.brokers'] = brokers;
      collectorOptions['kafka.producer.topic'] = topic;
      ingesterOptions = { 'kafka.consumer.brokers': brokers, 'kafka.consumer.topic': topic };
    }
    const allInOne = this.strategy === JaegerStrategy.ALL_IN_ONE;
    const images = new OperatorImages(ImageMirror.of(this));
    const elasticsearch = this.storage.type === 'elasticsearch';

    this.resource = new JaegerCr(this, 'Resource', {
      metadata: { name, namespace, labels: props.labels },
      spec: {
        strategy: this.strategy,
        storage: {
          type: this.storage.type,
          options: this.storage.options,
          secretName: this.storage.secretName,
          // The jobs the operator adds for the storage: index cleaner and rollover for
          // Elasticsearch, schema creation for Cassandra, Spark dependencies for both.
          ...images.with('esIndexCleaner', elasticsearch && images.release('jaeger-es-index-cleaner')),
          ...images.with('esRollover', elasticsearch && images.release('jaeger-es-rollover')),
          ...images.with('cassandraCreateSchema', this.storage.type === 'cassandra' && images.release('jaeger-cassandra-schema')),
          ...images.with('dependencies', this.storage.persistent && images.mirrored(SPARK_DEPENDENCIES_IMAGE)),
        },
        // The all-in-one pod takes its flags from allInOne.options, the separate collector from
        // collector.options; the operator ignores the other one.
        allInOne: allInOne ? { options: collectorOptions, image: images.release('all-in-one') } : undefined,
        collector: allInOne ? undefined : { options: collectorOptions, image: images.release('jaeger-collector') },
        ...images.with('query', !allInOne && images.release('jaeger-query')),
        ingester: ingesterOptions === undefined ? undefined : { options: ingesterOptions, image: images.release('jaeger-ingester') },
        // The agent the operator injects into workloads annotated sidecar.jaegertracing.io/inject.
        ...images.with('agent', images.mirrored(`docker.io/jaegertracing/jaeger-agent:${JAEGER_AGENT_RELEASE}`)),
      },
    });

    this.zipkinEndpoint = new ServiceEndpoint({ serviceName: `${name}-collector`, namespace, port: ZIPKIN_PORT });
    this.queryEndpoint = new ServiceEndpoint({ serviceName: `${name}-query`, namespace, port: QUERY_HTTP_PORT });
    this.grpcQueryEndpoint = new ServiceEndpoint({ serviceName: `${name}-query`, namespace, port: QUERY_GRPC_PORT, scheme: Scheme.GRPC });
  }
}

/** The release of Jaeger (and of its agent, which ended earlier) that operator v1.65.0 runs. */
const JAEGER_RELEASE = '1.65.0';
const JAEGER_AGENT_RELEASE = '1.62.0';
/** The operator's Spark dependencies image, published without release tags. */
const SPARK_DEPENDENCIES_IMAGE = 'ghcr.io/jaegertracing/spark-dependencies/spark-dependencies';

/**
 * The images of the pods the operator creates, when an app-wide {@link ImageMirror} is set:
 * otherwise the operator picks them (`<its flag's image>:<its release>`) and the CR names none.
 */
class OperatorImages {
  constructor(private readonly mirror: ImageMirror | undefined) {}

  /** `docker.io/jaegertracing/<name>` at the operator's Jaeger release, from the mirror. */
  public release(name: string): string | undefined {
    return this.mirrored(`docker.io/jaegertracing/${name}:${JAEGER_RELEASE}`);
  }

  public mirrored(image: string): string | undefined {
    return this.mirror?.image(image);
  }

  /** `{ [field]: { image } }` when there is an image to name, else nothing. */
  public with<K extends string>(field: K, image: string | undefined | false): { [key in K]?: { image: string } } {
    return image ? { [field]: { image } } as { [key in K]: { image: string } } : {};
  }
}

function strategyName(strategy: JaegerStrategy): string {
  return Object.entries(JaegerStrategy).find(([, value]) => value === strategy)![0];
}

function checkedBrokers(brokers: string[]): string {
  const malformed = brokers.filter((broker) => !/^[^\s:/]+:\d+$/.test(broker));
  if (brokers.length === 0 || malformed.length > 0) {
    throw new Error(`kafka.brokers must list <host>:<port> entries, got [${brokers.join(', ')}]`);
  }
  return brokers.join(',');
}
