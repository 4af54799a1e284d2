import { Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import * as yaml from 'js-yaml';
import { PrometheusServer, PrometheusStorage } from '../../lib';
import { findOne, synthValid } from '../helpers/manifests';

describe('PrometheusServer', () => {
  test('renders a Prometheus with its service account and least-privilege RBAC', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new PrometheusServer(chart, 'prometheus');
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const prometheus = findOne(manifests, 'Prometheus', 'prometheus');
    expect(prometheus.metadata.namespace).toBe('monitoring');
    const serviceAccount = findOne(manifests, 'ServiceAccount');
    expect(prometheus.spec.serviceAccountName).toBe(serviceAccount.metadata.name);
    const binding = findOne(manifests, 'ClusterRoleBinding');
    const role = findOne(manifests, 'ClusterRole');
    expect(binding.roleRef.name).toBe(role.metadata.name);
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: serviceAccount.metadata.name, namespace: 'monitoring' }]);
    const verbs = new Set(role.rules.flatMap((rule: any) => rule.verbs));
    expect([...verbs].sort()).toEqual(['get', 'list', 'watch']);
    expect(role.rules.flatMap((rule: any) => rule.resources)).not.toContain('secrets');
  });

  test('runs unprivileged, outside the mesh, and selects monitors of its own namespace by label', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const server = new PrometheusServer(chart, 'prometheus', { name: 'mesh', namespace: 'observability' });
    // THEN
    const spec = findOne(synthValid(chart), 'Prometheus').spec;
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.podMetadata.labels).toEqual({ 'sidecar.istio.io/inject': 'false' });
    for (const selector of ['serviceMonitorSelector', 'podMonitorSelector', 'ruleSelector']) {
      expect(spec[selector]).toEqual({ matchLabels: { prometheus: 'mesh' } });
    }
    expect(spec.serviceMonitorNamespaceSelector).toBeUndefined();
    expect(spec.podMonitorNamespaceSelector).toBeUndefined();
    expect(spec.ruleNamespaceSelector).toBeUndefined();
    expect(server.monitorSelectorLabels).toEqual({ prometheus: 'mesh' });
  });

  test('is queried on prometheus-operated:9090 in its namespace', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const server = new PrometheusServer(chart, 'prometheus', { namespace: 'observability' });
    // THEN
    expect(server.queryEndpoint.url()).toBe('http://prometheus-operated.observability:9090');
    expect(server.namespace).toBe('observability');
  });

  test('renders intervals and retention in Prometheus duration syntax', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new PrometheusServer(chart, 'prometheus', {
      scrapeInterval: Duration.seconds(90), evaluationInterval: Duration.minutes(1), retention: Duration.days(30), replicas: 2, version: 'v3.10.0',
    });
    // THEN
    const spec = findOne(synthValid(chart), 'Prometheus').spec;
    expect(spec).toMatchObject({ scrapeInterval: '1m30s', evaluationInterval: '1m', retention: '30d', replicas: 2, version: 'v3.10.0' });
  });

  test('references the Istio scrape Secret by the name and key it has', () => {
    // GIVEN
    const chart = Testing.chart();
    const server = new PrometheusServer(chart, 'prometheus');
    // WHEN
    const scrapeConfig = server.addIstioScrapeConfig({ controlPlane: { namespace: 'istio-control' } });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const reference = findOne(manifests, 'Prometheus').spec.additionalScrapeConfigs;
    const secret = findOne(manifests, 'Secret');
    expect(reference).toEqual({ name: secret.metadata.name, key: scrapeConfig.secretKeyReference.key });
    expect(secret.metadata.namespace).toBe('monitoring');
    const jobs = yaml.load(secret.stringData[reference.key]) as any[];
    expect(jobs.map((job) => job.job_name)).toEqual(['istiod', 'envoy-stats']);
    expect(jobs[0].kubernetes_sd_configs[0].namespaces.names).toEqual(['istio-control']);
  });

  test('refuses a second Istio scrape config', () => {
    // GIVEN
    const server = new PrometheusServer(Testing.chart(), 'prometheus');
    server.addIstioScrapeConfig();
    // THEN
    expect(() => server.addIstioScrapeConfig()).toThrow(/already has Istio's scrape config/);
  });

  test('keeps its samples on a 50 GiB volume by default, bounded to 80% of it, with requests and limits', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new PrometheusServer(chart, 'prometheus');
    // THEN
    const spec = findOne(synthValid(chart), 'Prometheus').spec;
    expect(spec.storage).toEqual({ volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } } } });
    expect(spec.retention).toBe('15d');
    expect(spec.retentionSize).toBe('40960MB');
    expect(spec.resources).toEqual({ requests: { cpu: '500m', memory: '2048Mi' }, limits: { cpu: '2', memory: '4096Mi' } });
  });

  test('takes a sized volume of a StorageClass, an emptyDir, a retention size and resources', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new PrometheusServer(chart, 'volume', {
      name: 'volume',
      storage: PrometheusStorage.persistentVolume({ size: Size.gibibytes(200), storageClassName: 'premium-rwo' }),
      retentionSize: Size.gibibytes(150),
      resources: { cpu: { request: Cpu.units(1) }, memory: { limit: Size.gibibytes(8) } },
    });
    new PrometheusServer(chart, 'scratch', { name: 'scratch', storage: PrometheusStorage.emptyDir({ sizeLimit: Size.gibibytes(10) }) });
    new PrometheusServer(chart, 'unbounded', { name: 'unbounded', storage: PrometheusStorage.emptyDir() });
    // THEN
    const manifests = synthValid(chart);
    const volume = findOne(manifests, 'Prometheus', 'volume').spec;
    expect(volume.storage.volumeClaimTemplate.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '200Gi' } }, storageClassName: 'premium-rwo' });
    expect(volume.retentionSize).toBe('153600MB');
    expect(volume.resources).toEqual({ requests: { cpu: '1', memory: '2048Mi' }, limits: { cpu: '2', memory: '8192Mi' } });
    const scratch = findOne(manifests, 'Prometheus', 'scratch').spec;
    expect(scratch.storage).toEqual({ emptyDir: { sizeLimit: '10Gi' } });
    expect(scratch.retentionSize).toBe('8192MB');
    const unbounded = findOne(manifests, 'Prometheus', 'unbounded').spec;
    expect(unbounded.storage).toEqual({ emptyDir: {} });
    expect(unbounded.retentionSize).toBeUndefined();
  });

  test('refuses a retention size that leaves the volume no headroom, and bad sizes', () => {
    const chart = Testing.chart();
    expect(() => new PrometheusServer(chart, 'a', { retentionSize: Size.gibibytes(45) }))
      .toThrow(/^retentionSize 46080 MiB does not fit a volume of 51200 MiB: .*at most 85% of the volume \(43520 MiB\), or make the volume at least 54212 MiB$/);
    expect(() => new PrometheusServer(chart, 'b', { retentionSize: Size.gibibytes(42) })).not.toThrow();
    expect(() => new PrometheusServer(chart, 'c', { storage: PrometheusStorage.emptyDir({ sizeLimit: Size.gibibytes(1) }), retentionSize: Size.gibibytes(1) }))
      .toThrow(/retentionSize 1024 MiB does not fit a volume of 1024 MiB/);
    expect(() => new PrometheusServer(chart, 'd', { retentionSize: Size.kibibytes(1) })).toThrow(/retentionSize must be a whole number of mebibytes/);
    expect(() => PrometheusStorage.persistentVolume({ size: Size.kibibytes(1) })).toThrow(/^size must be at least 1 MiB/);
    expect(() => PrometheusStorage.persistentVolume({ storageClassName: 'Fast_SSD' })).toThrow(/storageClassName must be a StorageClass name .*got 'Fast_SSD'/);
    expect(() => new PrometheusServer(chart, 'e', { resources: { memory: { request: Size.gibibytes(8) } } })).toThrow(/the memory request 8192Mi is above the memory limit 4096Mi/);
  });

  test('rejects bad names, namespaces, replicas and intervals', () => {
    const chart = Testing.chart();
    expect(() => new PrometheusServer(chart, 'a', { namespace: 'Monitoring' })).toThrow(/namespace.*'Monitoring'/);
    expect(() => new PrometheusServer(chart, 'b', { name: 'prom_1' })).toThrow(/name.*'prom_1'/);
    expect(() => new PrometheusServer(chart, 'c', { replicas: 0 })).toThrow(/replicas.*0/);
    expect(() => new PrometheusServer(chart, 'd', { replicas: 1.5 })).toThrow(/replicas.*1\.5/);
    expect(() => new PrometheusServer(chart, 'e', { scrapeInterval: Duration.seconds(0) })).toThrow(/scrapeInterval must be a positive/);
    expect(() => new PrometheusServer(chart, 'f', { retention: Duration.millis(0.5) })).toThrow(/retention must be a positive whole number of milliseconds/);
  });
});
