import { CrdSchemaValidator, ExternalTracing, IstioVersion, Jaeger, JaegerStorage, JaegerV2, MeshTracing, MeshTracingConfig, TracingMode } from '../../lib';
import { findOne, fragmentChart, synthValid } from '../helpers/manifests';

const ROOT_NAMESPACE = 'istio-system';

/** Binds like a control plane would, without one. */
function bind(tracing: MeshTracing, istioVersion = IstioVersion.LATEST, chart = fragmentChart()): MeshTracingConfig {
  return tracing.bind(chart, { istioVersion, rootNamespace: ROOT_NAMESPACE });
}

/** Violations of a meshConfig fragment against the Sail operator's typed meshConfig schema. */
function meshConfigViolations(config: MeshTracingConfig) {
  return CrdSchemaValidator.shared().validateFragment('sailoperator.io/v1', 'Istio', ['spec', 'values', 'meshConfig'], config.meshConfig, 'meshConfig');
}

describe('MeshTracing.zipkin in MESH_CONFIG mode', () => {
  test('zipkin address follows the Jaeger instance', () => {
    // GIVEN
    const chart = fragmentChart();
    const jaeger = new Jaeger(chart, 'jaeger', { namespace: 'tracing', storage: JaegerStorage.memory() });
    // WHEN
    const config = bind(MeshTracing.zipkin(jaeger, { mode: TracingMode.MESH_CONFIG }), IstioVersion.LATEST, chart);
    // THEN
    expect(config.meshConfig.defaultConfig?.tracing?.zipkin?.address).toBe('jaeger-collector.tracing:9411');
  });

  test('writes the legacy form with the sampling percentage, and no Telemetry', () => {
    // GIVEN
    const chart = fragmentChart();
    const jaeger = new JaegerV2(chart, 'jaeger');
    // WHEN
    const config = bind(MeshTracing.zipkin(jaeger, { samplingPercent: 1, mode: TracingMode.MESH_CONFIG }), IstioVersion.LATEST, chart);
    // THEN
    expect(config).toMatchSnapshot();
    expect(config.meshConfig).toEqual({
      enableTracing: true,
      defaultConfig: { tracing: { sampling: 1, zipkin: { address: 'jaeger-collector.observability:9411' } } },
    });
    expect(meshConfigViolations(config)).toEqual([]);
    const manifests = synthValid(chart);
    expect(manifests.filter((m) => m.kind === 'Telemetry')).toEqual([]);
  });

  test('is the default before Istio 1.22', () => {
    // GIVEN
    const jaeger = new JaegerV2(fragmentChart(), 'jaeger');
    // WHEN
    const config = bind(MeshTracing.zipkin(jaeger, { samplingPercent: 5 }), IstioVersion.of('1.21.6'));
    // THEN
    expect(config.meshConfig.defaultConfig?.tracing?.sampling).toBe(5);
    expect(config.meshConfig.extensionProviders).toBeUndefined();
  });
});

describe('MeshTracing.zipkin in TELEMETRY_API mode', () => {
  test('is the default from Istio 1.22: extension provider plus a mesh-wide Telemetry', () => {
    // GIVEN
    const chart = fragmentChart();
    const jaeger = new JaegerV2(chart, 'jaeger', { namespace: 'tracing' });
    // WHEN
    const config = bind(MeshTracing.zipkin(jaeger, { samplingPercent: 2.5 }), IstioVersion.of('1.22.0'), chart);
    // THEN
    const manifests = synthValid(chart);
    const telemetry = findOne(manifests, 'Telemetry');
    expect({ config, telemetry }).toMatchSnapshot();
    expect(config.meshConfig.extensionProviders).toEqual([
      { name: 'zipkin', zipkin: { service: 'jaeger-collector.tracing.svc.cluster.local', port: 9411 } },
    ]);
    expect(config.meshConfig.defaultConfig).toEqual({ tracing: {} });
    expect(telemetry.apiVersion).toBe('telemetry.istio.io/v1');
    expect(telemetry.metadata).toEqual({ name: 'mesh-default', namespace: ROOT_NAMESPACE });
    expect(telemetry.spec.tracing).toEqual([{ providers: [{ name: 'zipkin' }], randomSamplingPercentage: 2.5 }]);
    expect(meshConfigViolations(config)).toEqual([]);
  });

  test("the Telemetry's provider is the extension provider the meshConfig defines", () => {
    // GIVEN
    const chart = fragmentChart();
    const jaeger = new Jaeger(chart, 'jaeger', { storage: JaegerStorage.memory() });
    // WHEN
    const config = bind(MeshTracing.zipkin(jaeger, { providerName: 'jaeger-zipkin', mode: TracingMode.TELEMETRY_API }), IstioVersion.LATEST, chart);
    // THEN
    const telemetry = findOne(synthValid(chart), 'Telemetry');
    const defined = config.meshConfig.extensionProviders!.map((p) => p.name);
    expect(defined).toEqual(['jaeger-zipkin']);
    expect(telemetry.spec.tracing[0].providers[0].name).toBe(defined[0]);
  });

  test('an external backend gets a ServiceEntry so istiod can resolve the provider host', () => {
    // GIVEN
    const chart = fragmentChart();
    const external = new ExternalTracing({ zipkinUrl: 'http://zipkin.tracing.example.com:9411', queryUrl: 'https://jaeger.tracing.example.com' });
    // WHEN
    const config = bind(MeshTracing.zipkin(external), IstioVersion.LATEST, chart);
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(config.meshConfig.extensionProviders![0].zipkin).toEqual({ service: 'zipkin.tracing.example.com', port: 9411 });
    const serviceEntry = findOne(manifests, 'ServiceEntry');
    expect(serviceEntry.metadata.namespace).toBe(ROOT_NAMESPACE);
    expect(serviceEntry.spec.hosts).toEqual(['zipkin.tracing.example.com']);
    expect(serviceEntry.spec.ports).toEqual([{ number: 9411, name: 'http-zipkin', protocol: 'HTTP' }]);
    expect(meshConfigViolations(config)).toEqual([]);
  });

  test('an in-cluster backend needs no ServiceEntry', () => {
    // GIVEN
    const chart = fragmentChart();
    const jaeger = new JaegerV2(chart, 'jaeger');
    // WHEN
    bind(MeshTracing.zipkin(jaeger), IstioVersion.LATEST, chart);
    // THEN
    expect(synthValid(chart).filter((m) => m.kind === 'ServiceEntry')).toEqual([]);
  });

  test('is refused before Istio 1.22', () => {
    // GIVEN
    const jaeger = new JaegerV2(fragmentChart(), 'jaeger');
    const tracing = MeshTracing.zipkin(jaeger, { mode: TracingMode.TELEMETRY_API });
    // THEN
    expect(() => bind(tracing, IstioVersion.of('1.21'))).toThrow(/TELEMETRY_API needs Istio 1\.22.*got 1\.21.*MESH_CONFIG/);
  });
});

describe('MeshTracing.zipkin options', () => {
  test('samples 1% by default', () => {
    // GIVEN
    const jaeger = new JaegerV2(fragmentChart(), 'jaeger');
    // WHEN
    const config = bind(MeshTracing.zipkin(jaeger, { mode: TracingMode.MESH_CONFIG }));
    // THEN
    expect(config.meshConfig.defaultConfig?.tracing?.sampling).toBe(1);
  });

  test.each([0, 100])('accepts the bounds: samplingPercent %d', (samplingPercent) => {
    // GIVEN
    const jaeger = new JaegerV2(fragmentChart(), 'jaeger');
    // WHEN
    const config = bind(MeshTracing.zipkin(jaeger, { samplingPercent, mode: TracingMode.MESH_CONFIG }));
    // THEN
    expect(config.meshConfig.defaultConfig?.tracing?.sampling).toBe(samplingPercent);
  });

  test.each([
    [150, /samplingPercent must be between 0 and 100 \(a percentage: 1 means 1%\), got 150/],
    [-1, /samplingPercent.*got -1/],
    [NaN, /samplingPercent.*got NaN/],
  ])('rejects samplingPercent %d', (samplingPercent, message) => {
    // GIVEN
    const jaeger = new JaegerV2(fragmentChart(), 'jaeger');
    // THEN
    expect(() => MeshTracing.zipkin(jaeger, { samplingPercent })).toThrow(message);
  });

  test('rejects a provider name that is not a DNS label', () => {
    // GIVEN
    const jaeger = new JaegerV2(fragmentChart(), 'jaeger');
    // THEN
    expect(() => MeshTracing.zipkin(jaeger, { providerName: 'Zipkin Provider' })).toThrow(/providerName.*'Zipkin Provider'/);
  });
});

describe('MeshTracing.openTelemetry', () => {
  test("sends OTLP over gRPC to Jaeger v2's 4317 through Istio's opentelemetry provider and a mesh-wide Telemetry", () => {
    // GIVEN
    const chart = fragmentChart();
    const jaeger = new JaegerV2(chart, 'jaeger', { namespace: 'tracing' });
    // WHEN
    const config = bind(MeshTracing.openTelemetry(jaeger, { samplingPercent: 5 }), IstioVersion.LATEST, chart);
    // THEN the provider follows the backend's OTLP endpoint, not a typed host
    const telemetry = findOne(synthValid(chart), 'Telemetry');
    expect({ config, telemetry }).toMatchSnapshot();
    expect(config.meshConfig.extensionProviders).toEqual([
      { name: 'otel', opentelemetry: { service: jaeger.otlpGrpcEndpoint.fqdn, port: 4317 } },
    ]);
    expect(jaeger.otlpGrpcEndpoint.fqdn).toBe('jaeger-collector.tracing.svc.cluster.local');
    expect(config.meshConfig.enableTracing).toBe(true);
    expect(telemetry.spec.tracing).toEqual([{ providers: [{ name: 'otel' }], randomSamplingPercentage: 5 }]);
    expect(meshConfigViolations(config)).toEqual([]);
  });

  test('the provider name is the one the Telemetry selects', () => {
    const chart = fragmentChart();
    const config = bind(MeshTracing.openTelemetry(new JaegerV2(chart, 'jaeger'), { providerName: 'jaeger-otlp' }), IstioVersion.LATEST, chart);
    expect(config.meshConfig.extensionProviders!.map((p) => p.name)).toEqual(['jaeger-otlp']);
    expect(findOne(synthValid(chart), 'Telemetry').spec.tracing[0].providers).toEqual([{ name: 'jaeger-otlp' }]);
  });

  test.each([
    ['Jaeger v1, which is reached over Zipkin here', (chart: any) => new Jaeger(chart, 'jaeger', { storage: JaegerStorage.memory() })],
    ['an external backend given by its Zipkin URL', () => new ExternalTracing({ zipkinUrl: 'http://zipkin.example.com:9411', queryUrl: 'http://jaeger.example.com:16686' })],
  ])('is refused for %s', (_name, backend) => {
    expect(() => MeshTracing.openTelemetry(backend(fragmentChart()))).toThrow(/receives no OTLP: use MeshTracing\.zipkin for it, or a Jaeger v2/);
  });

  test('is refused before Istio 1.22, which has no Telemetry API v1', () => {
    const chart = fragmentChart();
    expect(() => bind(MeshTracing.openTelemetry(new JaegerV2(chart, 'jaeger')), IstioVersion.of('1.21.6'), chart))
      .toThrow(/OpenTelemetry tracing \(MeshTracing\.openTelemetry\) needs Istio 1\.22 or newer.*got 1\.21\.6; use MeshTracing\.zipkin/);
  });

  test('rejects a sampling percentage out of range', () => {
    expect(() => MeshTracing.openTelemetry(new JaegerV2(fragmentChart(), 'jaeger'), { samplingPercent: 150 })).toThrow(/samplingPercent must be between 0 and 100.*got 150/);
  });
});
