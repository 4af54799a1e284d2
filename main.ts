import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import {
  AtomicOutput, CniPlatform, EnvoyStatsPodMonitor, ExistingGrafana, ExistingPrometheus, IngressGateway, IstioControlPlane,
  IstioDashboards, IstioOperatorFile, IstioProfile, IstioRecordingRules, IstioScrapeConfig, IstiodServiceMonitor, JaegerV2,
  Kiali, MeshMtls, MeshNamespace, MeshTracing, MtlsMode, PrometheusDatasource, PrometheusMerge, ScopeReport, SidecarScoping,
  addArgoCdSyncWaves, assertValid, finalizeOutput, renderSynthSummary,
} from './lib';

/** Sub-folder of the istioctl input file: read by `istioctl install -f`, never by `kubectl apply`. */
const ISTIOCTL_FOLDER = 'istioctl';

const output = AtomicOutput.fromEnvironment();
try {
  const app = new App({ outdir: output.stagingDir, yamlOutputType: YamlOutputType.FILE_PER_CHART });

  // Tracing: Jaeger v2 in `observability` receives Zipkin spans on 9411 (Jaeger v1 and its
  // operator reached end of life on 2025-12-31; `Jaeger` renders the operator CR if you need it).
  const observability = new Chart(app, 'observability');
  const observabilityNamespace = new MeshNamespace(observability, 'namespace', { name: 'observability' });
  const jaeger = new JaegerV2(observability, 'jaeger', { namespace: observabilityNamespace.name });

  // The control plane: profile default in istio-system through the Sail operator, Istio CNI,
  // DNS proxying, 1% of requests traced, and Prometheus merging of application metrics.
  const istio = new Chart(app, 'istio');
  istio.addDependency(observability);
  const controlPlane = new IstioControlPlane(istio, 'control-plane', {
    kubernetesVersion: '1.33',
    profile: IstioProfile.DEFAULT,
    cni: { platform: CniPlatform.DEFAULT },
    dnsProxy: { captureDns: true, autoAllocateAddresses: true },
    ingressGateway: { namespace: 'istio-ingress' },
    tracing: MeshTracing.zipkin(jaeger, { samplingPercent: 1 }),
  });
  controlPlane.addMeshConfig(PrometheusMerge.ENABLED.meshConfigFragment, 'prometheus');
  new IngressGateway(istio, 'ingress-gateway', { namespace: controlPlane.ingressGatewayNamespace, revision: controlPlane.revision });
  new MeshMtls(istio, 'mtls', { rootNamespace: controlPlane.rootNamespace, mode: MtlsMode.STRICT });

  // Metrics: the existing Prometheus in `monitoring` scrapes istiod and every Envoy, and records
  // workload-level aggregates so that dashboards stay cheap.
  const monitoring = new Chart(app, 'monitoring');
  monitoring.addDependency(istio);
  const prometheus = ExistingPrometheus.inCluster({ namespace: 'monitoring' });
  new IstioScrapeConfig(monitoring, 'istio-scrape-config', { prometheus, controlPlane });
  new EnvoyStatsPodMonitor(monitoring, 'envoy-stats', { prometheus });
  new IstiodServiceMonitor(monitoring, 'istiod', { prometheus, controlPlane });
  new IstioRecordingRules(monitoring, 'istio-recording-rules', { prometheus });

  // Dashboards: the guide's five Istio dashboards in the existing Grafana of `grafana`.
  const dashboards = new Chart(app, 'dashboards');
  dashboards.addDependency(monitoring);
  const grafana = ExistingGrafana.inCluster({ namespace: 'grafana' });
  const datasource = new PrometheusDatasource(dashboards, 'prometheus-datasource', { grafana, prometheus });
  new IstioDashboards(dashboards, 'istio-dashboards', { datasource });

  // Kiali beside istiod, pointed at Prometheus, Grafana and Jaeger.
  const kiali = new Chart(app, 'kiali');
  kiali.addDependency(dashboards);
  new Kiali(kiali, 'kiali', { prometheus, grafana, tracing: jaeger, istioNamespace: controlPlane.namespace });

  // Workloads: the guide's istio-demo namespace with bookinfo, scoped to what it calls.
  const workloads = new Chart(app, 'workloads');
  workloads.addDependency(kiali);
  const scoping = new SidecarScoping(workloads, 'scoping', { rootNamespace: controlPlane.rootNamespace, revision: controlPlane.revision });
  const demo = scoping.addNamespace('istio-demo', { name: 'istio-demo' });
  const productpage = demo.addService('productpage', { ports: [9080] });
  const details = demo.addService('details', { ports: [9080] });
  const reviews = demo.addService('reviews', { ports: [9080] });
  const ratings = demo.addService('ratings', { ports: [9080] });
  productpage.calls(details, reviews);
  reviews.calls(ratings);

  // The same control plane as an `istioctl install -f` input, for clusters without the Sail
  // operator. A separate app writes it into its own folder, outside the Kustomization.
  const istioctlApp = new App({
    outdir: path.join(output.stagingDir, ISTIOCTL_FOLDER),
    yamlOutputType: YamlOutputType.FILE_PER_CHART,
    recordConstructMetadata: false,
  });
  new IstioOperatorFile(new Chart(istioctlApp, 'istio-operator', { namespace: controlPlane.namespace }), 'install', { controlPlane });

  addArgoCdSyncWaves([observability, istio, monitoring, dashboards, kiali, workloads]);
  app.synth();
  istioctlApp.synth();
  const finalized = finalizeOutput({
    stagingDir: output.stagingDir,
    notForApply: [ISTIOCTL_FOLDER],
    extraFiles: Object.fromEntries(Object.entries(ScopeReport.of(scoping).files()).map(([file, content]) => [`reports/${file}`, content])),
    validate: (manifests) => assertValid(manifests, { externalNamespaces: ['monitoring', 'grafana'] }),
  });
  output.commit();
  console.log(renderSynthSummary({ ...finalized, outdir: path.relative(process.cwd(), output.outdir) || '.' }));
} catch (error) {
  output.discard();
  console.error(`synth failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
