import { Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import * as yaml from 'js-yaml';
import { JaegerV2, JaegerV2Storage } from '../../lib';
import { findOne, synthValid } from '../helpers/manifests';

describe('JaegerV2', () => {
  test('renders its Namespace observability, a hardened Deployment, its config and two Services there', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new JaegerV2(chart, 'jaeger', { labels: { team: 'platform' } });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(manifests.map((m) => `${m.kind}/${m.metadata?.namespace}/${m.metadata?.name}`).sort()).toEqual([
      'ConfigMap/observability/jaeger-config',
      'Deployment/observability/jaeger',
      'Namespace/undefined/observability',
      'Service/observability/jaeger-collector',
      'Service/observability/jaeger-query',
    ]);
    const deployment = findOne(manifests, 'Deployment');
    expect(deployment.metadata.labels.team).toBe('platform');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(container.image).toBe('docker.io/jaegertracing/jaeger:2.14.0');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1024Mi' } });
    // The only writable path is an emptyDir.
    expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: {} });
    expect(deployment.spec.template.metadata.labels['sidecar.istio.io/inject']).toBe('false');
  });

  test('the config receives Zipkin and OTLP and serves the query API, with memory storage', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const jaeger = new JaegerV2(chart, 'jaeger', { storage: JaegerV2Storage.memory({ maxTraces: 5000 }) });
    // THEN
    const configMap = findOne(synthValid(chart), 'ConfigMap');
    const config = yaml.load(configMap.data['config.yaml']) as any;
    expect(config).toEqual(jaeger.config);
    expect(config.receivers).toEqual({
      zipkin: { endpoint: '0.0.0.0:9411' },
      otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } },
    });
    expect(config.service.pipelines.traces.receivers).toEqual(['otlp', 'zipkin']);
    expect(config.extensions.jaeger_query.http.endpoint).toBe('0.0.0.0:16686');
    expect(config.extensions.jaeger_query.grpc.endpoint).toBe('0.0.0.0:16685');
    const store = config.extensions.jaeger_query.storage.traces;
    expect(config.extensions.jaeger_storage.backends[store]).toEqual({ memory: { max_traces: 5000 } });
    expect(config.exporters.jaeger_storage_exporter.trace_storage).toBe(store);
  });

  test('endpoints are the Services it renders', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const jaeger = new JaegerV2(chart, 'jaeger', { name: 'traces', namespace: 'tracing' });
    // THEN
    const manifests = synthValid(chart);
    const portOf = (service: string, port: number) =>
      findOne(manifests, 'Service', service).spec.ports.find((p: any) => p.port === port);
    for (const endpoint of [jaeger.zipkinEndpoint, jaeger.otlpGrpcEndpoint, jaeger.otlpHttpEndpoint, jaeger.queryEndpoint, jaeger.grpcQueryEndpoint]) {
      expect(endpoint.namespace).toBe('tracing');
      expect(portOf(endpoint.serviceName, endpoint.port)).toBeDefined();
    }
    expect(jaeger.zipkinEndpoint.address).toBe('traces-collector.tracing:9411');
    expect(jaeger.queryEndpoint.url()).toBe('http://traces-query.tracing:16686');
    expect(jaeger.grpcQueryEndpoint.address).toBe('traces-query.tracing:16685');
    // Each Service port targets a named container port that exists.
    const containerPorts = findOne(manifests, 'Deployment').spec.template.spec.containers[0].ports.map((p: any) => p.name);
    for (const service of manifests.filter((m) => m.kind === 'Service')) {
      for (const port of (service.spec as any).ports) {
        expect(containerPorts).toContain(port.targetPort);
      }
    }
  });

  test('Elasticsearch storage allows several replicas', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const jaeger = new JaegerV2(chart, 'jaeger', {
      storage: JaegerV2Storage.elasticsearch({ serverUrls: ['http://elasticsearch.logging:9200'], indexPrefix: 'mesh' }),
      replicas: 2,
      resources: { cpu: { limit: Cpu.units(2) }, memory: { request: Size.mebibytes(512) } },
    });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const deployment = findOne(manifests, 'Deployment');
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '2', memory: '1024Mi' } });
    expect(Object.values((jaeger.config as any).extensions.jaeger_storage.backends)).toEqual([
      { elasticsearch: { server_urls: ['http://elasticsearch.logging:9200'], indices: { index_prefix: 'mesh' } } },
    ]);
  });

  test('a config change changes the pod template, so pods roll', () => {
    // GIVEN
    const checksum = (maxTraces: number) => {
      const chart = Testing.chart();
      new JaegerV2(chart, 'jaeger', { storage: JaegerV2Storage.memory({ maxTraces }) });
      return findOne(Testing.synth(chart), 'Deployment').spec.template.metadata.annotations['checksum/config'];
    };
    // THEN
    expect(checksum(1000)).toBe(checksum(1000));
    expect(checksum(1000)).not.toBe(checksum(2000));
  });

  test('in-memory storage keeps as many traces as half the memory limit holds, and GOMEMLIMIT sits below the limit', () => {
    // GIVEN the default 1 GiB limit, and a 4 GiB one
    const defaults = Testing.chart();
    const larger = Testing.chart();
    // WHEN
    const small = new JaegerV2(defaults, 'jaeger');
    const big = new JaegerV2(larger, 'jaeger', { resources: { memory: { limit: Size.gibibytes(4) } } });
    // THEN 512 MiB / 32 KiB = 16384 traces, four times that with four times the memory
    const backend = (jaeger: JaegerV2) => Object.values((jaeger.config as any).extensions.jaeger_storage.backends)[0];
    expect(backend(small)).toEqual({ memory: { max_traces: 16384 } });
    expect(backend(big)).toEqual({ memory: { max_traces: 65536 } });
    const container = findOne(synthValid(larger), 'Deployment').spec.template.spec.containers[0];
    expect(container.resources.limits.memory).toBe('4096Mi');
    expect(container.env).toEqual([{ name: 'GOMEMLIMIT', value: '3686MiB' }]);
  });

  test('refuses more in-memory traces than the memory limit holds, naming both and what would fit', () => {
    const chart = Testing.chart();
    // The old default: 100,000 traces under 1 GiB
    expect(() => new JaegerV2(chart, 'a', { storage: JaegerV2Storage.memory({ maxTraces: 100000 }) }))
      .toThrow(/^storage\.memory\.maxTraces 100000 does not fit the memory limit of 1024 MiB .*lower maxTraces to at most 16384, or raise the memory limit \(resources\) to at least 6250 MiB$/);
    expect(() => new JaegerV2(chart, 'b', { storage: JaegerV2Storage.memory({ maxTraces: 100000 }), resources: { memory: { limit: Size.mebibytes(6250) } } })).not.toThrow();
  });

  test('errors', () => {
    // GIVEN
    const chart = Testing.chart();
    // THEN
    expect(() => new JaegerV2(chart, 'a', { replicas: 2 })).toThrow(/replicas 2 needs a persistent storage/);
    expect(() => new JaegerV2(chart, 'b', { replicas: 0 })).toThrow(/replicas must be a positive integer, got 0/);
    expect(() => new JaegerV2(chart, 'c', { namespace: 'Tracing' })).toThrow(/namespace must be a DNS-1123 label.*'Tracing'/);
    expect(() => JaegerV2Storage.memory({ maxTraces: 1.5 })).toThrow(/maxTraces must be a positive integer, got 1.5/);
    expect(() => JaegerV2Storage.elasticsearch({ serverUrls: ['es:9200'] })).toThrow(/serverUrls\[0\] must be an absolute URL/);
  });
});
