import { IstioSpecValuesPilotResourcesRequests } from '../../imports/sail-istio-sailoperator.io';
import { ConfigMerger } from '../../lib/istio/config-merger';

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
