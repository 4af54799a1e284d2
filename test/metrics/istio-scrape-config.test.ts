import { Duration, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { ExistingPrometheus, IstioScrapeConfig } from '../../lib';
import { findOne, synthValid } from '../helpers/manifests';

function jobsOf(secret: any, key: string): any[] {
  return yaml.load(secret.stringData[key]) as any[];
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
      source_labels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpoint_port_name'], action: 'keep', regex: 'istiod;http-monitoring',
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
    expect(matches(istiod.relabel_configs[0].regex, 'istiod;http-monitoring')).toBe(true);
    expect(matches(istiod.relabel_configs[0].regex, 'istiod;grpc-xds')).toBe(false);
    expect(matches(envoy.relabel_configs[0].regex, 'http-envoy-prom')).toBe(true);
    expect(matches(envoy.relabel_configs[0].regex, 'http-metrics')).toBe(false);
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
