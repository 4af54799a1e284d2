import { IstioSpecValuesPilotResourcesRequests } from '../../imports/sail-istio-sailoperator.io';
import { ConfigMerger } from '../../lib/istio/config-merger';
import { meshConfigOneOfs } from '../../lib/istio/mesh-config-one-ofs';

describe('ConfigMerger', () => {
  test('objects merge key by key and lists concatenate without duplicates', () => {
    // GIVEN
    const merger = new ConfigMerger<Record<string, any>>('meshConfig');
    // WHEN
    merger.add({ defaultConfig: { proxyMetadata: { A: 'true' } }, extensionProviders: [{ name: 'zipkin' }] }, 'one');
    merger.add({ defaultConfig: { proxyMetadata: { B: 'false' } }, extensionProviders: [{ name: 'zipkin' }, { name: 'otel' }] }, 'two');
    // THEN
    expect(merger.value).toEqual({
      defaultConfig: { proxyMetadata: { A: 'true', B: 'false' } },
      extensionProviders: [{ name: 'zipkin' }, { name: 'otel' }],
    });
  });

  test('the same value set twice is fine', () => {
    const merger = new ConfigMerger<Record<string, any>>('meshConfig');
    merger.add({ enablePrometheusMerge: true }, 'one');
    merger.add({ enablePrometheusMerge: true }, 'two');
    expect(merger.value).toEqual({ enablePrometheusMerge: true });
  });

  test('a conflicting scalar names the key and both contributors, and merges nothing', () => {
    // GIVEN
    const merger = new ConfigMerger<Record<string, any>>('meshConfig');
    merger.add({ defaultConfig: { holdApplicationUntilProxyStarts: true } }, 'props.meshConfig');
    // WHEN / THEN
    expect(() => merger.add({ accessLogFile: '/dev/stdout', defaultConfig: { holdApplicationUntilProxyStarts: false } }, 'prometheus'))
      .toThrow('meshConfig.defaultConfig.holdApplicationUntilProxyStarts is set twice to different values: true by props.meshConfig and false by prometheus; set it in one place only');
    expect(merger.value).toEqual({ defaultConfig: { holdApplicationUntilProxyStarts: true } });
  });

  test('generated int-or-string wrappers are values, compared by content', () => {
    const merger = new ConfigMerger<Record<string, any>>('values');
    merger.add({ pilot: { resources: { requests: { cpu: IstioSpecValuesPilotResourcesRequests.fromString('500m') } } } }, 'one');
    merger.add({ pilot: { resources: { requests: { cpu: IstioSpecValuesPilotResourcesRequests.fromString('500m') } } } }, 'two');
    expect(() => merger.add({ pilot: { resources: { requests: { cpu: IstioSpecValuesPilotResourcesRequests.fromString('1') } } } }, 'three'))
      .toThrow(/values.pilot.resources.requests.cpu is set twice/);
  });
});

describe('ConfigMerger, one-of groups', () => {
  const tracer = { at: 'defaultConfig.tracing', members: ['zipkin', 'lightstep', 'datadog', 'stackdriver', 'openCensusAgent'] };
  const providerKind = { at: 'extensionProviders[]', members: ['zipkin', 'datadog', 'opentelemetry'] };

  test('two parties that each set one member are refused, naming both fields, both parties and the user\'s key path', () => {
    // GIVEN the library's legacy Zipkin tracer
    const merger = new ConfigMerger<Record<string, any>>('meshConfig', [tracer]);
    merger.add({ defaultConfig: { tracing: { sampling: 1, zipkin: { address: 'jaeger-collector.observability:9411' } } } }, "the library's Zipkin tracer (tracing)");
    // WHEN a user's meshConfig sets a Datadog tracer / THEN
    expect(() => merger.add({ defaultConfig: { tracing: { datadog: { address: 'datadog-agent:8126' } } } }, { name: 'controlPlane.meshConfig', keyPath: 'controlPlane.meshConfig' }))
      .toThrow('meshConfig.defaultConfig.tracing: at most one of [zipkin lightstep datadog stackdriver openCensusAgent] may be set '
        + '(a one-of of Istio\'s API, which the API server enforces with the CRD rule "At most one of [zipkin lightstep datadog stackdriver openCensusAgent] should be set"), '
        + "got zipkin (set by the library's Zipkin tracer (tracing)) and datadog (set by controlPlane.meshConfig.defaultConfig.tracing.datadog); "
        + "keep one: remove the library's Zipkin tracer (tracing) or controlPlane.meshConfig.defaultConfig.tracing.datadog");
    // AND nothing of the refused fragment was merged
    expect(merger.value.defaultConfig.tracing.datadog).toBeUndefined();
  });

  test('a member set to an empty object counts as set', () => {
    const merger = new ConfigMerger<Record<string, any>>('meshConfig', [tracer]);
    merger.add({ defaultConfig: { tracing: { stackdriver: {} } } }, 'one');
    expect(() => merger.add({ defaultConfig: { tracing: { lightstep: { address: 'ls:8080' } } } }, 'two'))
      .toThrow(/got lightstep \(set by two\) and stackdriver \(set by one\); keep one: remove two or one$/);
  });

  test('one party that sets two members of a list item is refused at that item', () => {
    const merger = new ConfigMerger<Record<string, any>>('meshConfig', [providerKind]);
    merger.add({ extensionProviders: [{ name: 'a', zipkin: { service: 'z', port: 9411 } }] }, 'tracing');
    expect(() => merger.add({ extensionProviders: [{ name: 'b', zipkin: { service: 'z', port: 9411 }, datadog: { service: 'd', port: 8126 } }] }, { name: 'props.meshConfig', keyPath: 'props.meshConfig' }))
      .toThrow(/^meshConfig\.extensionProviders\[1\]: at most one of \[zipkin datadog opentelemetry\] .*got zipkin \(set by props\.meshConfig\.extensionProviders\[1\]\.zipkin\) and datadog \(set by props\.meshConfig\.extensionProviders\[1\]\.datadog\); keep one: remove props\.meshConfig\.extensionProviders\[1\]\.zipkin or props\.meshConfig\.extensionProviders\[1\]\.datadog$/);
  });

  test('one member, or the same member from two parties, is fine', () => {
    const merger = new ConfigMerger<Record<string, any>>('meshConfig', [tracer, providerKind]);
    merger.add({ defaultConfig: { tracing: { zipkin: { address: 'a:9411' } } }, extensionProviders: [{ name: 'a', zipkin: { service: 'z', port: 9411 } }] }, 'one');
    merger.add({ defaultConfig: { tracing: { zipkin: { address: 'a:9411' }, sampling: 5 } }, extensionProviders: [{ name: 'b', datadog: { service: 'd', port: 8126 } }] }, 'two');
    expect(merger.value.defaultConfig.tracing).toEqual({ zipkin: { address: 'a:9411' }, sampling: 5 });
    expect(merger.value.extensionProviders).toHaveLength(2);
  });
});

describe('meshConfigOneOfs', () => {
  test('reads the one-of groups of MeshConfig from the Sail Istio CRD', () => {
    const groups = meshConfigOneOfs();
    const at = (path: string) => groups.filter((group) => group.at === path).map((group) => group.members);
    expect(at('defaultConfig.tracing')).toEqual([['zipkin', 'lightstep', 'datadog', 'stackdriver', 'openCensusAgent']]);
    expect(at('caCertificates[]')).toEqual([['pem', 'spiffeBundleUrl']]);
    expect(at('extensionProviders[]')[0]).toEqual(expect.arrayContaining(['envoyExtAuthzHttp', 'zipkin', 'datadog', 'opentelemetry', 'sds']));
    expect(at('defaultConfig.tracing.customTags.*')).toEqual([['literal', 'environment', 'header']]);
    expect(at('defaultConfig.privateKeyProvider')).toEqual([['cryptomb', 'qat']]);
    // a oneof of one field cannot be broken, so it is not a group
    expect(at('extensionProviders[].opentelemetry')).toEqual([]);
  });
});
