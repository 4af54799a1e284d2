import { Testing } from 'cdk8s';
import { Jaeger, JaegerStorage, JaegerStrategy } from '../../lib';
import { findOne, synthValid } from '../helpers/manifests';

const elasticsearch = () => JaegerStorage.elasticsearch({
  serverUrls: ['https://elasticsearch.logging:9200'],
  secretName: 'jaeger-es',
  options: { 'es.index-prefix': 'mesh' },
});

describe('Jaeger', () => {
  test('defaults to an all-in-one instance with bounded in-memory storage in observability', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const jaeger = new Jaeger(chart, 'jaeger');
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const cr = findOne(manifests, 'Jaeger');
    expect(cr.apiVersion).toBe('jaegertracing.io/v1');
    expect(cr.metadata).toEqual({ name: 'jaeger', namespace: 'observability' });
    expect(cr.spec.strategy).toBe('allinone');
    expect(cr.spec.storage).toEqual({ type: 'memory', options: { 'memory.max-traces': '100000' } });
    // The all-in-one pod reads its flags from allInOne.options.
    expect(cr.spec.allInOne.options['collector.zipkin.host-port']).toBe(':9411');
    expect(cr.spec.collector).toBeUndefined();
    expect(jaeger.strategy).toBe(JaegerStrategy.ALL_IN_ONE);
  });

  test('hands out the Services the operator creates', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const jaeger = new Jaeger(chart, 'jaeger', { name: 'traces', namespace: 'tracing' });
    // THEN
    expect(jaeger.zipkinEndpoint.address).toBe('traces-collector.tracing:9411');
    expect(jaeger.queryEndpoint.url()).toBe('http://traces-query.tracing:16686');
    expect(jaeger.grpcQueryEndpoint.address).toBe('traces-query.tracing:16685');
    expect(jaeger.queryBasePath).toBe('');
    expect(findOne(synthValid(chart), 'Jaeger').metadata.name).toBe('traces');
  });

  test('production with Elasticsearch: collector options, storage options and secret', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new Jaeger(chart, 'jaeger', { storage: elasticsearch(), labels: { team: 'platform' } });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const cr = findOne(manifests, 'Jaeger');
    expect(cr.metadata.labels).toEqual({ team: 'platform' });
    expect(cr.spec.strategy).toBe('production');
    expect(cr.spec.storage).toEqual({
      type: 'elasticsearch',
      options: { 'es.index-prefix': 'mesh', 'es.server-urls': 'https://elasticsearch.logging:9200' },
      secretName: 'jaeger-es',
    });
    expect(cr.spec.collector.options).toEqual({ 'collector.zipkin.host-port': ':9411' });
    expect(cr.spec.allInOne).toBeUndefined();
  });

  test('production with Cassandra writes servers and an explicit keyspace', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new Jaeger(chart, 'jaeger', { strategy: JaegerStrategy.PRODUCTION, storage: JaegerStorage.cassandra({ servers: ['cassandra-0.db', 'cassandra-1.db'] }) });
    // THEN
    const cr = findOne(synthValid(chart), 'Jaeger');
    expect(cr).toMatchSnapshot();
    expect(cr.spec.storage.options).toEqual({ 'cassandra.keyspace': 'jaeger_v1_datacenter1', 'cassandra.servers': 'cassandra-0.db,cassandra-1.db' });
  });

  test('streaming puts Kafka between collector and ingester', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new Jaeger(chart, 'jaeger', {
      strategy: JaegerStrategy.STREAMING,
      storage: elasticsearch(),
      kafka: { brokers: ['kafka-0.kafka:9092', 'kafka-1.kafka:9092'] },
    });
    // THEN
    const cr = findOne(synthValid(chart), 'Jaeger');
    expect(cr).toMatchSnapshot();
    expect(cr.spec.strategy).toBe('streaming');
    expect(cr.spec.collector.options).toEqual({
      'collector.zipkin.host-port': ':9411',
      'kafka.producer.brokers': 'kafka-0.kafka:9092,kafka-1.kafka:9092',
      'kafka.producer.topic': 'jaeger-spans',
    });
    expect(cr.spec.ingester.options).toEqual({ 'kafka.consumer.brokers': 'kafka-0.kafka:9092,kafka-1.kafka:9092', 'kafka.consumer.topic': 'jaeger-spans' });
  });

  test('the same input renders the same bytes', () => {
    // GIVEN
    const render = () => {
      const chart = Testing.chart();
      new Jaeger(chart, 'jaeger', { storage: elasticsearch() });
      return JSON.stringify(Testing.synth(chart));
    };
    // THEN
    expect(render()).toBe(render());
  });
});

describe('Jaeger errors', () => {
  test.each([JaegerStrategy.PRODUCTION, JaegerStrategy.STREAMING])('strategy %s without storage', (strategy) => {
    // GIVEN
    const chart = Testing.chart();
    // THEN
    expect(() => new Jaeger(chart, 'jaeger', { strategy, kafka: { brokers: ['kafka:9092'] } }))
      .toThrow(/strategy (PRODUCTION|STREAMING) needs a persistent storage.*got memory/);
  });

  test('production with explicit memory storage', () => {
    // GIVEN
    const chart = Testing.chart();
    // THEN
    expect(() => new Jaeger(chart, 'jaeger', { strategy: JaegerStrategy.PRODUCTION, storage: JaegerStorage.memory() }))
      .toThrow(/strategy PRODUCTION needs a persistent storage \(JaegerStorage\.elasticsearch\(\) or JaegerStorage\.cassandra\(\)\), got memory/);
  });

  test('streaming without kafka, kafka without streaming', () => {
    // GIVEN
    const chart = Testing.chart();
    // THEN
    expect(() => new Jaeger(chart, 'a', { strategy: JaegerStrategy.STREAMING, storage: elasticsearch() })).toThrow(/STREAMING needs kafka/);
    expect(() => new Jaeger(chart, 'b', { storage: elasticsearch(), kafka: { brokers: ['kafka:9092'] } })).toThrow(/kafka is used only by strategy STREAMING, got strategy PRODUCTION/);
  });

  test('malformed kafka brokers', () => {
    // GIVEN
    const chart = Testing.chart();
    // THEN
    expect(() => new Jaeger(chart, 'jaeger', { strategy: JaegerStrategy.STREAMING, storage: elasticsearch(), kafka: { brokers: ['kafka'] } }))
      .toThrow(/kafka\.brokers must list <host>:<port> entries, got \[kafka\]/);
  });

  test('storage input', () => {
    expect(() => JaegerStorage.elasticsearch({ serverUrls: ['elasticsearch:9200'] })).toThrow(/serverUrls\[0\] must be an absolute URL with a scheme.*'elasticsearch:9200'/);
    expect(() => JaegerStorage.elasticsearch({ serverUrls: [] })).toThrow(/serverUrls must list at least one/);
    expect(() => JaegerStorage.elasticsearch({ serverUrls: ['http://es:9200'], options: { 'index-prefix': 'x' } })).toThrow(/storage option 'index-prefix' must start with 'es\.'/);
    expect(() => JaegerStorage.cassandra({ servers: [] })).toThrow(/servers must list at least one Cassandra host/);
    expect(() => JaegerStorage.cassandra({ servers: ['db'], keyspace: 'jaeger-spans' })).toThrow(/keyspace must be a Cassandra identifier.*'jaeger-spans'/);
    expect(() => JaegerStorage.memory({ maxTraces: 0 })).toThrow(/maxTraces must be a positive integer, got 0/);
  });

  test('names that are not DNS labels', () => {
    // GIVEN
    const chart = Testing.chart();
    // THEN
    expect(() => new Jaeger(chart, 'a', { namespace: 'Observability' })).toThrow(/namespace must be a DNS-1123 label.*'Observability'/);
    expect(() => new Jaeger(chart, 'b', { name: 'jaeger_1' })).toThrow(/name must be a DNS-1123 label.*'jaeger_1'/);
  });
});
