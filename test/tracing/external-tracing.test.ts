import { Testing } from 'cdk8s';
import { ExternalTracing, IstioVersion, MeshTracing, TracingMode, TracingProvider } from '../../lib';
import { synthValid } from '../helpers/manifests';

describe('ExternalTracing', () => {
  test('derives every endpoint from the URLs', () => {
    // WHEN
    const backend = new ExternalTracing({
      zipkinUrl: 'http://collector.tempo.example.com:9411',
      queryUrl: 'https://tempo.example.com/jaeger',
      grpcQueryUrl: 'grpc://tempo.example.com:16685',
      externalUrl: 'https://traces.example.com',
      provider: TracingProvider.TEMPO,
    });
    // THEN
    expect(backend.zipkinEndpoint.address).toBe('collector.tempo.example.com:9411');
    expect(backend.queryEndpoint.url(backend.queryBasePath)).toBe('https://tempo.example.com:443/jaeger');
    expect(backend.grpcQueryEndpoint?.address).toBe('tempo.example.com:16685');
    expect(backend.externalUrl).toBe('https://traces.example.com');
    expect(backend.provider).toBe(TracingProvider.TEMPO);
  });

  test('defaults to Jaeger without gRPC', () => {
    // WHEN
    const backend = new ExternalTracing({ zipkinUrl: 'http://zipkin.example.com:9411', queryUrl: 'http://jaeger.example.com:16686' });
    // THEN
    expect(backend.provider).toBe(TracingProvider.JAEGER);
    expect(backend.grpcQueryEndpoint).toBeUndefined();
    expect(backend.externalUrl).toBeUndefined();
  });

  test('wired into the legacy meshConfig form, renders nothing', () => {
    // GIVEN
    const chart = Testing.chart();
    const backend = new ExternalTracing({ zipkinUrl: 'http://zipkin.example.com:9411', queryUrl: 'http://jaeger.example.com:16686' });
    // WHEN
    const config = MeshTracing.zipkin(backend, { mode: TracingMode.MESH_CONFIG }).bind(chart, { istioVersion: IstioVersion.LATEST, rootNamespace: 'istio-system' });
    // THEN
    const manifests = synthValid(chart);
    expect({ config, manifests }).toMatchSnapshot();
    expect(config.meshConfig.defaultConfig?.tracing?.zipkin?.address).toBe('zipkin.example.com:9411');
    expect(manifests).toEqual([]);
  });

  test.each([
    ['zipkinUrl', { zipkinUrl: 'zipkin.example.com:9411', queryUrl: 'http://q.example.com' }],
    ['queryUrl', { zipkinUrl: 'http://zipkin.example.com:9411', queryUrl: 'q.example.com/jaeger' }],
    ['grpcQueryUrl', { zipkinUrl: 'http://zipkin.example.com:9411', queryUrl: 'http://q.example.com', grpcQueryUrl: 'q.example.com:16685' }],
    ['externalUrl', { zipkinUrl: 'http://zipkin.example.com:9411', queryUrl: 'http://q.example.com', externalUrl: 'traces.example.com' }],
  ])('a URL without a scheme names the field: %s', (field, props) => {
    expect(() => new ExternalTracing(props)).toThrow(new RegExp(`^${field} must be an absolute URL with a scheme`));
  });

  test('zipkinUrl must be plain http without a path', () => {
    expect(() => new ExternalTracing({ zipkinUrl: 'https://zipkin.example.com', queryUrl: 'http://q.example.com' }))
      .toThrow(/zipkinUrl must use http:\/\/.*'https:\/\/zipkin\.example\.com'/);
    expect(() => new ExternalTracing({ zipkinUrl: 'http://zipkin.example.com:9411/api/v2/spans', queryUrl: 'http://q.example.com' }))
      .toThrow(/zipkinUrl must not have a path/);
  });
});
