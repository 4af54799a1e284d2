import { Duration, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { ExistingPrometheus, IstioScrapeConfig } from '../../lib';
import { findOne, synthValid } from '../helpers/manifests';

function jobsOf(secret: any, key: string): any[] {
  return yaml.load(secret.stringData[key]) as any[];
}

/** Prometheus' relabeling of one target (keep, drop, replace with the default `(.*)` and `$1`); undefined when dropped. */
function relabel(configs: any[], target: Record<string, string>): Record<string, string> | undefined {
  let labels: Record<string, string> = { ...target };
  for (const config of configs) {
    const value = (config.source_labels as string[]).map((name) => labels[name] ?? '').join(config.separator ?? ';');
    const match = new RegExp(`^(?:${config.regex ?? '(.*)'})$`).exec(value);
    if (config.action === 'keep' && !match) {
      return undefined;
    } else if (config.action === 'drop' && match) {
      return undefined;
    } else if (config.action === 'replace' && match) {
      labels = { ...labels, [config.target_label]: (config.replacement ?? '$1').replace('$1', match[1] ?? '') };
    }
  }
  return labels;
}

describe('IstioScrapeConfig', () => {
  test('holds the istiod and envoy-stats jobs of Istio\'s guide in a Secret of the Prometheus namespace', () => {
    // GIVEN
    const chart = Testing.chart();
    const prometheus = ExistingPrometheus.inCluster({ namespace: 'monitoring' });
    // WHEN
    const scrapeConfig = new IstioScrapeConfig(chart, 'scrape', { prometheus });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const secret = findOne(manifests, 'Secret');
    expect(secret.metadata).toEqual({ name: 'additional-scrape-configs', namespace: 'monitoring' });
    expect(scrapeConfig.secretKeyReference).toEqual({ name: 'additional-scrape-configs', key: 'prometheus-additional.yaml' });
    const [istiod, envoy] = jobsOf(secret, 'prometheus-additional.yaml');

    expect(istiod.job_name).toBe('istiod');
    expect(istiod.kubernetes_sd_configs).toEqual([{ role: 'endpoints', namespaces: { names: ['istio-system'] } }]);
    expect(istiod.relabel_configs[0]).toEqual({
      source_labels: ['__meta_kubernetes_service_label_istio', '__meta_kubernetes_endpoint_port_name'], action: 'keep', regex: 'pilot;http-monitoring',
    });

    expect(envoy.job_name).toBe('envoy-stats');
    expect(envoy.metrics_path).toBe('/stats/prometheus');
    expect(envoy.kubernetes_sd_configs).toEqual([{ role: 'pod' }]);
    expect(envoy.relabel_configs[0]).toEqual({ source_labels: ['__meta_kubernetes_pod_container_port_name'], action: 'keep', regex: '.*-envoy-prom' });
    for (const job of [istiod, envoy]) {
      expect(job.scrape_interval).toBe('15s');
      expect(job.relabel_configs).toEqual(expect.arrayContaining([
        { source_labels: ['__meta_kubernetes_namespace'], action: 'replace', target_label: 'namespace' },
        { source_labels: ['__meta_kubernetes_pod_name'], action: 'replace', target_label: 'pod' },
      ]));
    }
  });

  test('the relabel regexes match the ports Istio names', () => {
    // GIVEN
    const chart = Testing.chart();
    const scrapeConfig = new IstioScrapeConfig(chart, 'scrape', { prometheus: ExistingPrometheus.inCluster() });
    const [istiod, envoy] = scrapeConfig.jobs as any[];
    // Prometheus anchors relabel regexes at both ends.
    const matches = (regex: string, value: string) => new RegExp(`^(?:${regex})$`).test(value);
    // THEN
    expect(matches(istiod.relabel_configs[0].regex, 'pilot;http-monitoring')).toBe(true);
    expect(matches(istiod.relabel_configs[0].regex, 'pilot;grpc-xds')).toBe(false);
    expect(matches(envoy.relabel_configs[0].regex, 'http-envoy-prom')).toBe(true);
    expect(matches(envoy.relabel_configs[0].regex, 'http-metrics')).toBe(false);
  });

  // The Services Istio's istiod chart renders (service.yaml, revision-tags-svc.yaml), as
  // Kubernetes service discovery describes one endpoint of each.
  const istiodEndpoint = (service: string, labels: Record<string, string>, port = 'http-monitoring') => {
    const target: Record<string, string> = {
      __meta_kubernetes_service_name: service, __meta_kubernetes_endpoint_port_name: port,
      __meta_kubernetes_namespace: 'istio-system', __meta_kubernetes_pod_name: `${service}-7d9f-abcde`,
    };
    for (const [key, value] of Object.entries({ app: 'istiod', istio: 'pilot', ...labels })) {
      const name = key.replace(/[^a-zA-Z0-9_]/g, '_');
      target[`__meta_kubernetes_service_label_${name}`] = value;
      target[`__meta_kubernetes_service_labelpresent_${name}`] = 'true';
    }
    return target;
  };

  test('scrapes istiod under any revision, each revision once, with app="istiod" for the dashboards', () => {
    // GIVEN
    const chart = Testing.chart();
    const [istiod] = new IstioScrapeConfig(chart, 'scrape', { prometheus: ExistingPrometheus.inCluster() }).jobs as any[];
    // WHEN
    const kept = [
      istiodEndpoint('istiod', { 'istio.io/rev': 'default' }),
      istiodEndpoint('istiod-1-30-3', { 'istio.io/rev': '1-30-3' }),
      istiodEndpoint('istiod-default-v1-30-3', { 'istio.io/rev': 'default-v1-30-3' }),
      istiodEndpoint('istiod-revision-tag-prod', { 'istio.io/rev': '1-30-3', 'istio.io/tag': 'prod' }),
      istiodEndpoint('istiod-1-30-3', { 'istio.io/rev': '1-30-3' }, 'grpc-xds'),
    ].map((target) => relabel(istiod.relabel_configs, target));
    // THEN: the revisioned Services are scraped, the tag Service (same pods) and other ports are not
    expect(kept.map((target) => target && target.__meta_kubernetes_service_name)).toEqual(
      ['istiod', 'istiod-1-30-3', 'istiod-default-v1-30-3', undefined, undefined]);
    expect(kept[1]).toMatchObject({ app: 'istiod', namespace: 'istio-system', pod: 'istiod-1-30-3-7d9f-abcde' });
  });

  test('follows the control plane namespace, the scraped namespaces and the interval', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new IstioScrapeConfig(chart, 'scrape', {
      prometheus: ExistingPrometheus.inCluster({ namespace: 'obs' }),
      controlPlane: { namespace: 'istio-control' },
      namespaces: ['shop', 'payments'],
      scrapeInterval: Duration.seconds(30),
      secretName: 'istio-scrape',
    });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const secret = findOne(manifests, 'Secret', 'istio-scrape');
    expect(secret.metadata.namespace).toBe('obs');
    const [istiod, envoy] = jobsOf(secret, 'prometheus-additional.yaml');
    expect(istiod.kubernetes_sd_configs[0].namespaces.names).toEqual(['istio-control']);
    expect(envoy.kubernetes_sd_configs[0]).toEqual({ role: 'pod', namespaces: { names: ['shop', 'payments'] } });
    expect(envoy.scrape_interval).toBe('30s');
  });

  test('renders the same bytes twice', () => {
    const render = () => {
      const chart = Testing.chart();
      new IstioScrapeConfig(chart, 'scrape', { prometheus: ExistingPrometheus.inCluster() });
      return JSON.stringify(Testing.synth(chart));
    };
    expect(render()).toBe(render());
  });

  test('rejects bad namespaces, intervals and a Prometheus outside the cluster', () => {
    const chart = Testing.chart();
    const prometheus = ExistingPrometheus.inCluster();
    expect(() => new IstioScrapeConfig(chart, 'a', { prometheus, controlPlane: { namespace: 'Istio_System' } }))
      .toThrow(/controlPlane.namespace.*'Istio_System'/);
    expect(() => new IstioScrapeConfig(chart, 'b', { prometheus, namespaces: ['shop', 'Bad'] })).toThrow(/namespaces\[1\].*'Bad'/);
    expect(() => new IstioScrapeConfig(chart, 'c', { prometheus, namespaces: [] })).toThrow(/namespaces must list at least one/);
    expect(() => new IstioScrapeConfig(chart, 'd', { prometheus, scrapeInterval: Duration.seconds(0) })).toThrow(/scrapeInterval.*positive/);
    expect(() => new IstioScrapeConfig(chart, 'e', { prometheus, secretName: 'Scrape' })).toThrow(/secretName.*'Scrape'/);
    expect(() => new IstioScrapeConfig(chart, 'f', { prometheus: ExistingPrometheus.fromUrl('https://prom.example.com') }))
      .toThrow(/namespace is required when the Prometheus runs outside the cluster/);
  });
});
