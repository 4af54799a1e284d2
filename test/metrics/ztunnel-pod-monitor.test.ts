import * as yaml from 'js-yaml';
import { ExistingPrometheus, IstioControlPlane, IstioProfile, IstioScrapeConfig, ZtunnelPodMonitor } from '../../lib';
import { findOne, fragmentChart, synthValid } from '../helpers/manifests';
import { buildValidated, problemsOf } from '../helpers/mesh-build';

describe('ztunnel metrics', () => {
  test('ZtunnelPodMonitor scrapes the ztunnel-stats port (15020) of the app=ztunnel pods in ztunnel\'s namespace', () => {
    // GIVEN
    const chart = fragmentChart();
    const controlPlane = new IstioControlPlane(chart, 'istio', { profile: IstioProfile.AMBIENT });
    const prometheus = ExistingPrometheus.inCluster({ monitorSelectorLabels: { release: 'kps' } });
    // WHEN
    new ZtunnelPodMonitor(chart, 'ztunnel', { prometheus, controlPlane });
    // THEN
    const manifests = synthValid(chart);
    const monitor = findOne(manifests, 'PodMonitor');
    expect(monitor).toMatchSnapshot();
    expect(monitor.metadata).toEqual({ name: 'ztunnel', namespace: 'monitoring', labels: { release: 'kps' } });
    expect(monitor.spec).toEqual({
      selector: { matchLabels: { app: 'ztunnel' } },
      namespaceSelector: { matchNames: ['ztunnel'] },
      podMetricsEndpoints: [{ port: 'ztunnel-stats', path: '/stats/prometheus', interval: '15s' }],
    });
  });

  test('a control plane without ztunnel is refused', () => {
    const chart = fragmentChart();
    const controlPlane = new IstioControlPlane(chart, 'istio');
    expect(() => new ZtunnelPodMonitor(chart, 'ztunnel', { prometheus: ExistingPrometheus.inCluster(), controlPlane }))
      .toThrow(/the control plane runs no ztunnel/);
  });

  test.each([
    ['ambient', IstioProfile.AMBIENT, ['istiod', 'envoy-stats', 'ztunnel']],
    ['sidecar', IstioProfile.DEFAULT, ['istiod', 'envoy-stats']],
  ])('the scrape Secret of a %s control plane has the jobs %j', (_name, profile, jobs) => {
    const chart = fragmentChart();
    const controlPlane = new IstioControlPlane(chart, 'istio', { profile });
    const config = new IstioScrapeConfig(chart, 'scrape', { prometheus: ExistingPrometheus.inCluster(), controlPlane });
    expect(config.jobs.map((job) => job.job_name)).toEqual(jobs);
    const secret = findOne(synthValid(chart), 'Secret');
    const written = yaml.load(secret.stringData['prometheus-additional.yaml']) as any[];
    if (profile === IstioProfile.AMBIENT) {
      expect(written[2]).toMatchObject({
        metrics_path: '/stats/prometheus',
        kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: ['ztunnel'] } }],
        relabel_configs: expect.arrayContaining([{ source_labels: ['__meta_kubernetes_pod_label_app', '__meta_kubernetes_pod_container_port_name'], action: 'keep', regex: 'ztunnel;ztunnel-stats' }]),
      });
    }
  });

  test('mesh.yaml metrics.ztunnelMonitor, and its refusals at the key', () => {
    const metrics = { prometheus: { inCluster: {} }, ztunnelMonitor: {} };
    const { manifests } = buildValidated({ controlPlane: { profile: IstioProfile.AMBIENT }, metrics });
    expect(findOne(manifests, 'PodMonitor', 'ztunnel').spec.namespaceSelector).toEqual({ matchNames: ['ztunnel'] });
    expect(problemsOf({ metrics })).toEqual([{ path: 'metrics.ztunnelMonitor', message: expect.stringMatching(/^scrapes ztunnel, which runs only with an ambient controlPlane.profile/) }]);
    expect(problemsOf({ controlPlane: { profile: IstioProfile.AMBIENT }, metrics: { ...metrics, scrapeConfig: {} } }))
      .toEqual([{ path: 'metrics.ztunnelMonitor', message: expect.stringMatching(/^scrapes ztunnel, which the ztunnel job of metrics.scrapeConfig scrapes already/) }]);
  });
});
