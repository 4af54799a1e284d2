import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';

/** The guide's mesh.yaml as data: the base that bad inputs are mutations of. */
export function guideMesh(): any {
  return yaml.load(fs.readFileSync(path.join(__dirname, '..', '..', 'mesh.yaml'), 'utf8'));
}

/** A mesh config: raw text, or data written as YAML. */
export type BadInput = string | ((mesh: any) => any);

/** The file text of a bad input. */
export function badInputText(input: BadInput): string {
  return typeof input === 'string' ? input : yaml.dump(input(guideMesh()), { lineWidth: -1 });
}

/** The guide's mesh half-way through a canary upgrade: two revisions, the gateway and istio-demo on prod-stable. */
function canary(mesh: any): void {
  delete mesh.controlPlane.version;
  mesh.controlPlane.revisions = { versions: ['1.30.7', '1.31.3'], tags: { 'prod-stable': '1.30.7' } };
  mesh.ingressGateway.revisionTag = 'prod-stable';
  mesh.workloads.namespaces['istio-demo'].revisionTag = 'prod-stable';
}

const edit = (change: (mesh: any) => void) => (mesh: any) => {
  change(mesh);
  return mesh;
};

/**
 * Bad mesh configs: name, the file content, and what the one-line report must say (after the
 * file name `bad.yaml`). Each is a different mistake a user makes.
 */
export const BAD_INPUTS: ReadonlyArray<readonly [string, BadInput, RegExp]> = [
  ['YAML syntax: an unclosed flow list', 'controlPlane:\n  cni: { platform: [default\n', /bad\.yaml:3:1: invalid YAML: .+/],
  ['YAML syntax: a key indented less than its siblings', 'tracing:\n    samplingPercent: 1\n  backend: {}\n', /bad\.yaml:3:\d+: invalid YAML: .+/],
  ['YAML syntax: a duplicated key', 'controlPlane: {}\nmtls: {}\ncontrolPlane: {}\n', /bad\.yaml:3:\d+: invalid YAML: duplicated mapping key/],
  ['an empty file', '', /bad\.yaml: is empty/],
  ['a file with comments only', '# nothing yet\n', /bad\.yaml: is empty/],
  ['a list instead of a map', '- controlPlane\n- tracing\n', /bad\.yaml: must be a map of keys such as controlPlane and tracing, got a list \["controlPlane","tracing"\]/],
  ['a scalar instead of a map', 'istio\n', /bad\.yaml: must be a map .*got a string 'istio'/],
  ['two YAML documents', 'controlPlane: {}\n---\ncontrolPlane: {}\n', /bad\.yaml: holds 2 YAML documents/],
  ['an unknown top-level key, with a suggestion', edit((m) => { m.tracng = m.tracing; delete m.tracing; }), /bad\.yaml: tracng: unknown key; did you mean 'tracing'\?/],
  ['an unknown nested key, with a suggestion', edit((m) => { m.tracing.samplingPercnt = 5; }), /bad\.yaml: tracing\.samplingPercnt: unknown key; did you mean 'samplingPercent'\?/],
  ['an unknown key without a close match', edit((m) => { m.controlPlane.flavour = 'vanilla'; }), /bad\.yaml: controlPlane\.flavour: unknown key; allowed here: kubernetesVersion, installPath, .*version/],
  ['a string where a number belongs', edit((m) => { m.tracing.samplingPercent = 'high'; }), /bad\.yaml: tracing\.samplingPercent: must be a number, got a string 'high'/],
  ['an unquoted Kubernetes version (YAML reads a number)', 'controlPlane:\n  kubernetesVersion: 1.33\n', /bad\.yaml: controlPlane\.kubernetesVersion: must be a string, got a number 1\.33 \(YAML read it as a number: write it in quotes\)/],
  ['a list where a map belongs', edit((m) => { m.metrics.prometheus = ['inCluster']; }), /bad\.yaml: metrics\.prometheus: must be a map, got a list \["inCluster"\]/],
  ['sampling above 100 percent', edit((m) => { m.tracing.samplingPercent = 150; }), /bad\.yaml: tracing\.samplingPercent: must be <= 100, got 150/],
  ['negative sampling', edit((m) => { m.tracing.samplingPercent = -1; }), /bad\.yaml: tracing\.samplingPercent: must be >= 0, got -1/],
  ['a port above 65535', edit((m) => { m.workloads.namespaces['istio-demo'].services.ratings.ports = [70000]; }), /bad\.yaml: workloads\.namespaces\.istio-demo\.services\.ratings\.ports: .*from 1 to 65535, got 70000/],
  ['port 0', edit((m) => { m.workloads.namespaces['istio-demo'].services.details.ports = [9080, 0]; }), /bad\.yaml: workloads\.namespaces\.istio-demo\.services\.details\.ports: .*from 1 to 65535, got 0/],
  ['a workload namespace that is not DNS-1123', edit((m) => { m.workloads.namespaces.Istio_Demo = { services: {} }; }), /bad\.yaml: workloads\.namespaces\.Istio_Demo: namespace name must be a DNS-1123 label .*got 'Istio_Demo'/],
  ['an istiod namespace that is not DNS-1123', edit((m) => { m.controlPlane.namespace = 'Istio-System'; }), /bad\.yaml: controlPlane\.namespace: must be a DNS-1123 label .*got 'Istio-System'/],
  ['a Kubernetes version the Istio release does not support', edit((m) => { m.controlPlane.kubernetesVersion = '1.28'; }), /bad\.yaml: controlPlane\.kubernetesVersion: Istio 1\.30 supports Kubernetes 1\.32 to 1\.36, got kubernetesVersion 1\.28: pick an Istio release that supports it \(1\.24, 1\.23, 1\.22/],
  ['an Istio release the library does not know', edit((m) => { m.controlPlane.version = '1.12.9'; }), /bad\.yaml: controlPlane\.version: Istio 1\.12 is not a release this library knows .*pick one of 1\.31, 1\.30, /],
  ['a version that is not a patch release', edit((m) => { m.controlPlane.version = '1.30'; }), /bad\.yaml: controlPlane\.version: must match .*got '1\.30'/],
  ['a misspelt enum value', edit((m) => { m.controlPlane.installPath = 'sial'; }), /bad\.yaml: controlPlane\.installPath: must be one of sail, in-cluster-operator, istioctl, got 'sial'; did you mean 'sail'\?/],
  ['two tracing backends', edit((m) => { m.tracing.backend.external = { zipkinUrl: 'http://zipkin.example.com:9411', queryUrl: 'https://jaeger.example.com' }; }), /bad\.yaml: tracing\.backend: must set exactly one of jaegerV2, jaeger, external, got jaegerV2 and external/],
  ['tracing without a backend', edit((m) => { delete m.tracing.backend; }), /bad\.yaml: tracing\.backend: is required/],
  ['a duration in words', edit((m) => { m.metrics.scrapeConfig = { scrapeInterval: '15 seconds' }; }), /bad\.yaml: metrics\.scrapeConfig\.scrapeInterval: must match .*got '15 seconds' \(A duration/],
  ['a misspelt meshConfig key (checked against the Sail CRD)', edit((m) => { m.controlPlane.meshConfig = { accessLogFle: '/dev/stdout' }; }), /bad\.yaml: controlPlane\.meshConfig\.accessLogFle: unknown key of the Sail Istio CRD's spec\.values\.meshConfig; did you mean 'accessLogFile'\?/],
  ['a meshConfig value outside its enum', edit((m) => { m.controlPlane.meshConfig = { outboundTrafficPolicy: { mode: 'OPEN' } }; }), /bad\.yaml: controlPlane\.meshConfig\.outboundTrafficPolicy\.mode: must be one of .*REGISTRY_ONLY.*got 'OPEN'/],
  ['a call to a service that does not exist', edit((m) => { m.workloads.namespaces['istio-demo'].services.productpage.calls = ['detials']; }), /bad\.yaml: workloads\.namespaces\.istio-demo\.services\.productpage\.calls\[0\]: 'detials' is neither .*; did you mean 'details'\?/],
  ['a call to a namespace/service the app does not declare', edit((m) => { m.workloads.namespaces['istio-demo'].calls = ['payments/api']; }), /bad\.yaml: workloads\.namespaces\.istio-demo\.calls\[0\]: 'payments\/api' is not a service the app declares/],
  ['a Jaeger v2 with two replicas on in-memory storage', edit((m) => { m.tracing.backend.jaegerV2.replicas = 2; }), /bad\.yaml: tracing\.backend\.jaegerV2\.replicas: replicas 2 needs a persistent storage/],
  ['an external Zipkin URL over https', edit((m) => { m.tracing.backend = { external: { zipkinUrl: 'https://zipkin.example.com', queryUrl: 'https://jaeger.example.com' } }; }), /bad\.yaml: tracing\.backend\.external\.zipkinUrl: must use http:\/\/ .*got 'https:\/\/zipkin\.example\.com'/],
  ['Kiali OpenID login without its settings', edit((m) => { m.kiali.authStrategy = 'openid'; }), /bad\.yaml: kiali\.authStrategy: authStrategy OPENID needs openId/],
  ['dashboards without metrics', edit((m) => { delete m.metrics; delete m.kiali; }), /bad\.yaml: dashboards: needs metrics\.prometheus/],
  ['a gateway autoscaler whose minimum exceeds its maximum', edit((m) => { m.ingressGateway = { minReplicas: 6, maxReplicas: 3 }; }), /bad\.yaml: ingressGateway\.maxReplicas: must be at least minReplicas \(6\), got 3/],
  ['an image registry with a scheme', edit((m) => { m.controlPlane.hub = 'https://registry.example.com/istio'; }), /bad\.yaml: controlPlane\.hub: must be an image registry path .*got 'https:\/\/registry\.example\.com\/istio'/],
  ['a recording-rule label that Prometheus does not allow', edit((m) => { m.metrics.recordingRules = { podIdentityLabels: ['namespace', '1pod'] }; }), /bad\.yaml: metrics\.recordingRules\.podIdentityLabels\[1\]: label must be a Prometheus label name .*got '1pod'/],
  ['the gateway namespace with injection disabled', edit((m) => { m.ingressGateway.injection = 'disabled'; }), /bad\.yaml: ingressGateway\.injection: the gateway namespace istio-ingress must not be labelled istio-injection=disabled/],
  ['a service name with a leading digit (not a DNS-1035 label)', edit((m) => { m.workloads.namespaces['istio-demo'].services['2048-game'] = { ports: [80] }; }), /bad\.yaml: workloads\.namespaces\.istio-demo\.services\.2048-game: service name must be a DNS-1035 label.*starting with a letter.*got '2048-game'/],
  ['a namespace label key with a space', edit((m) => { m.workloads.namespaces['istio-demo'].labels = { 'team name': 'shop' }; }), /bad\.yaml: workloads\.namespaces\.istio-demo\.labels: must have Kubernetes label keys \(an optional DNS subdomain prefix .*got key 'team name'/],
  ['a gateway label value with a space', edit((m) => { m.ingressGateway.labels = { istio: 'ingress gateway' }; }), /bad\.yaml: ingressGateway\.labels: must have Kubernetes label values \(empty, or at most 63 .*got 'ingress gateway' for key 'istio'/],
  ['a Prometheus selector label value that is too long', edit((m) => { m.metrics.prometheus.inCluster.monitorSelectorLabels = { release: 'x'.repeat(64) }; }), /bad\.yaml: metrics\.prometheus\.inCluster\.monitorSelectorLabels: must have Kubernetes label values .*for key 'release'/],
  ['a Jaeger image with a scheme', edit((m) => { m.tracing.backend.jaegerV2.image = 'https://docker.io/jaegertracing/jaeger:2.14.0'; }), /bad\.yaml: tracing\.backend\.jaegerV2\.image: must be an image reference '\[registry\/\]repository\[:tag\]\[@digest\]' .*got 'https:\/\/docker\.io\/jaegertracing\/jaeger:2\.14\.0'/],
  ['a Kiali image with an upper-case repository', edit((m) => { m.kiali.image = 'quay.io/Kiali/kiali:v2.29.0'; }), /bad\.yaml: kiali\.image: must be an image reference .*got 'quay\.io\/Kiali\/kiali:v2\.29\.0'/],
  ['an istiod CPU request above its limit', edit((m) => { m.controlPlane.pilot = { resources: { requests: { cpu: '2' }, limits: { cpu: '500m' } } }; }), /bad\.yaml: controlPlane\.pilot\.resources: the cpu request 2 is above the cpu limit 500m, which the API server refuses: lower the request or raise the limit/],
  ['a Jaeger memory request above the default limit', edit((m) => { m.tracing.backend.jaegerV2.resources = { memoryRequestMebibytes: 2048 }; }), /bad\.yaml: tracing\.backend\.jaegerV2\.resources: the memory request 2048Mi is above the memory limit 1024Mi/],
  ['an external namespace that is not DNS-1123', edit((m) => { m.externalNamespaces = ['Payments']; }), /bad\.yaml: externalNamespaces\[0\]: must match .*got 'Payments' \(A namespace name: a DNS-1123 label/],
  ['a workload namespace named __proto__', 'workloads:\n  namespaces:\n    __proto__:\n      services:\n        api: { ports: [80] }\n', /bad\.yaml: workloads\.namespaces\.__proto__: namespace name must be a DNS-1123 label .*got '__proto__'/],
  ['kube-system as a workload namespace', edit((m) => { m.workloads.namespaces['kube-system'] = { services: { 'kube-dns': { ports: [53] } } }; }), /bad\.yaml: workloads\.namespaces\.kube-system: namespace kube-system is reserved for Kubernetes' own components .*workloads\.externalNamespaces/],
  ['istiod\'s namespace as a workload namespace, apart from the root namespace', edit((m) => { m.controlPlane.meshConfig = { rootNamespace: 'istio-config' }; m.workloads.namespaces['istio-system'] = {}; }), /bad\.yaml: workloads\.namespaces\.istio-system: namespace istio-system is the namespace of istiod/],
  ['a workload namespace that is the gateway\'s, with injection disabled', edit((m) => { m.workloads.namespaces['istio-ingress'] = { injection: 'none', labels: { 'istio-injection': 'disabled' } }; }), /bad\.yaml: workloads\.namespaces\.istio-ingress: namespace istio-ingress is wanted with conflicting labels: ingressGateway wants istio-injection=enabled, workloads\.namespaces\.istio-ingress wants istio-injection=disabled/],
  ['a workload namespace that is the gateway\'s, labelled for another revision', edit((m) => { m.controlPlane.revision = 'canary'; m.workloads.namespaces['istio-ingress'] = { injection: 'none', labels: { 'istio.io/rev': 'stable' } }; }), /bad\.yaml: workloads\.namespaces\.istio-ingress: namespace istio-ingress is wanted with conflicting labels: ingressGateway wants istio\.io\/rev=canary, workloads\.namespaces\.istio-ingress wants istio\.io\/rev=stable/],
  ['a Datadog tracer in meshConfig beside the library\'s legacy Zipkin tracer (an Istio one-of)', edit((m) => { m.tracing.mode = 'MESH_CONFIG'; m.controlPlane.meshConfig = { defaultConfig: { tracing: { datadog: { address: 'datadog-agent.monitoring:8126' } } } }; }), /bad\.yaml: controlPlane\.meshConfig\.defaultConfig\.tracing: at most one of \[zipkin lightstep datadog stackdriver openCensusAgent\] may be set .*got zipkin \(set by the library's Zipkin tracer \(tracing, .*\)\) and datadog \(set by controlPlane\.meshConfig\.defaultConfig\.tracing\.datadog\); keep one: remove /],
  ['a CA certificate with both a PEM and a SPIFFE bundle URL (an Istio one-of)', edit((m) => { m.controlPlane.meshConfig = { caCertificates: [{ pem: '-----BEGIN CERTIFICATE-----', spiffeBundleUrl: 'https://bundle.example.com' }] }; }), /bad\.yaml: controlPlane\.meshConfig\.caCertificates\[0\]: at most one of \[pem spiffeBundleUrl\] may be set .*got pem \(set by controlPlane\.meshConfig\.caCertificates\[0\]\.pem\) and spiffeBundleUrl/],
  ['values.global.istioNamespace that contradicts controlPlane.namespace', edit((m) => { m.controlPlane.namespace = 'istio-control'; m.controlPlane.values = { global: { istioNamespace: 'istio-system' } }; }), /bad\.yaml: controlPlane\.values\.global\.istioNamespace: is 'istio-system' but istiod's namespace is 'istio-control': they must be the same .*leave values\.global\.istioNamespace out/],
  ['a CRD source that does not exist', edit((m) => { m.validation = { crds: ['crds/cert-manager.yaml'] }; }), /bad\.yaml: validation\.crds\[0\]: CRD source crds\/cert-manager\.yaml does not exist \(looked for .*\): name a CRD file or a folder of them/],
  ['an unchecked kind without its group', edit((m) => { m.validation = { uncheckedKinds: ['Certificate'] }; }), /bad\.yaml: validation\.uncheckedKinds\[0\]: must match .*got 'Certificate' \(A kind left out of the schema checks: `group\/Kind`/],
  ['a Gateway API gateway with the injected gateway\'s injection key', edit((m) => { m.ingressGateway.gatewayApi = {}; m.ingressGateway.injection = 'enabled'; }), /bad\.yaml: ingressGateway\.injection: is for the injected gateway only, and ingressGateway\.gatewayApi makes this a Gateway API gateway/],
  ['a Gateway API HTTPS listener without a certificate', edit((m) => { m.ingressGateway.gatewayApi = { listeners: [{ protocol: 'HTTPS' }] }; }), /bad\.yaml: ingressGateway\.gatewayApi\.listeners\[0\]\.certificateSecretName: is required for protocol HTTPS/],
  ['a Gateway API route to a service the app does not declare', edit((m) => { m.ingressGateway.gatewayApi = { routes: [{ service: 'istio-demo/prodpage', hostname: 'bookinfo.example.com' }] }; }), /bad\.yaml: ingressGateway\.gatewayApi\.routes\[0\]\.service: .*'istio-demo\/prodpage' is not a service declared under workloads\.namespaces \(<namespace>\/<service>\); did you mean 'istio-demo\/productpage'\?/],
  ['an injected gateway route to a service the app does not declare', edit((m) => { m.ingressGateway.routes = [{ service: 'istio-demo/prodpage', hostname: 'bookinfo.example.com' }]; }), /bad\.yaml: ingressGateway\.routes\[0\]\.service: .*'istio-demo\/prodpage' is not a service declared under workloads\.namespaces \(<namespace>\/<service>\); did you mean 'istio-demo\/productpage'\?/],
  ['an injected gateway route with a wildcard-only hostname', edit((m) => { m.ingressGateway.routes = [{ service: 'istio-demo/productpage', hostname: '*' }]; }), /bad\.yaml: ingressGateway\.routes\[0\]\.hostname: must be a lower-case DNS name/],
  ['an empty traffic policy', edit((m) => { m.workloads.namespaces['istio-demo'].services.reviews.trafficPolicy = {}; }), /bad\.yaml: workloads\.namespaces\.istio-demo\.services\.reviews\.trafficPolicy: must set at least one of connectTimeout, requestTimeout, retries, outlierDetection, connectionPool, got none/],
  ['a retry condition Envoy does not know', edit((m) => { m.workloads.namespaces['istio-demo'].services.reviews.trafficPolicy = { retries: { attempts: 2, retryOn: ['500'] } }; }), /bad\.yaml: workloads\.namespaces\.istio-demo\.services\.reviews\.trafficPolicy\.retries\.retryOn\[0\]: must be one of 5xx, gateway-error, .*got '500'/],
  ['an L7 call to an ambient namespace without a waypoint', edit((m) => {
    m.controlPlane.profile = 'ambient';
    m.workloads.authorization = {};
    m.workloads.namespaces['istio-demo'].services.productpage.calls = [{ to: 'details', methods: ['GET'] }, 'reviews'];
  }), /bad\.yaml: workloads\.namespaces\.istio-demo\.services\.productpage\.calls\[0\]\.methods: methods need a waypoint: namespace istio-demo is ambient/],
  ['a gateway externalTrafficPolicy in lower case', edit((m) => { m.ingressGateway.externalTrafficPolicy = 'local'; }), /bad\.yaml: ingressGateway\.externalTrafficPolicy: must be one of Cluster, Local, got 'local'/],
  ['a gateway topology spread that does not exist', edit((m) => { m.ingressGateway.placement = { topologySpread: 'zones' }; }), /bad\.yaml: ingressGateway\.placement\.topologySpread: must be one of preferred, requiredAcrossZones, none, got 'zones'/],
  ['a gateway toleration value without its key', edit((m) => { m.ingressGateway.placement = { tolerations: [{ value: 'edge' }] }; }), /bad\.yaml: ingressGateway\.placement\.tolerations\[0\]\.value: needs a key/],
  ['OTLP tracing to a backend that receives only Zipkin', edit((m) => { m.tracing.protocol = 'otlp'; m.tracing.backend = { external: { zipkinUrl: 'http://zipkin.example.com:9411', queryUrl: 'https://jaeger.example.com' } }; }), /bad\.yaml: tracing\.protocol: protocol otlp needs a backend that receives OTLP/],
  ['more in-memory Jaeger traces than its memory limit holds', edit((m) => { m.tracing.backend.jaegerV2.storage = { memory: { maxTraces: 100000 } }; }), /bad\.yaml: tracing\.backend\.jaegerV2\.storage\.memory\.maxTraces: storage\.memory\.maxTraces 100000 does not fit the memory limit of 1024 MiB .*lower maxTraces to at most 16384, or raise the memory limit \(resources\) to at least 6250 MiB/],
  ['a Prometheus retention size the default volume cannot hold', edit((m) => { m.metrics.prometheus = { server: { retentionSizeGibibytes: 45 } }; }), /bad\.yaml: metrics\.prometheus\.server\.retentionSizeGibibytes: retentionSizeGibibytes 45 does not fit the 50 GiB volume \(storage\.persistentVolume\.sizeGibibytes\): .*at most 85% of the volume \(42\), or set storage\.persistentVolume\.sizeGibibytes to at least 53/],
  ['a Prometheus volume in fractions of a gibibyte', edit((m) => { m.metrics.prometheus = { server: { storage: { persistentVolume: { sizeGibibytes: 0.5 } } } }; }), /bad\.yaml: metrics\.prometheus\.server\.storage\.persistentVolume\.sizeGibibytes: must be a whole number of gibibytes, at least 1, got 0\.5/],
  ['a Prometheus with both a volume and an emptyDir', edit((m) => { m.metrics.prometheus = { server: { storage: { persistentVolume: {}, emptyDir: {} } } }; }), /bad\.yaml: metrics\.prometheus\.server\.storage: must set exactly one of persistentVolume, emptyDir, got persistentVolume and emptyDir/],
  ['a StorageClass name that is not DNS-1123', edit((m) => { m.metrics.prometheus = { server: { storage: { persistentVolume: { storageClassName: 'Fast_SSD' } } } }; }), /bad\.yaml: metrics\.prometheus\.server\.storage\.persistentVolume\.storageClassName: must be a StorageClass name .*got 'Fast_SSD'/],
  ['a namespace on a revision tag that does not exist', edit((m) => { canary(m); m.workloads.namespaces['istio-demo'].revisionTag = 'prod-canary'; }), /bad\.yaml: workloads\.namespaces\.istio-demo\.revisionTag: 'prod-canary' is not a tag or revision of controlPlane\.revisions \(prod-stable, default-v1-30-7, default-v1-31-3\)/],
  ['two revisions with the same name', edit((m) => { canary(m); m.controlPlane.revisions.versions.push('1.31.3'); }), /bad\.yaml: controlPlane\.revisions\.versions\[2\]: is 1\.31\.3 again: two revisions would have the same name default-v1-31-3/],
  ['a revision tag pointing at nothing', edit((m) => { canary(m); m.controlPlane.revisions.tags['prod-stable'] = '1.29.10'; }), /bad\.yaml: controlPlane\.revisions\.tags\.prod-stable: points at 1\.29\.10, which is not a running revision \(1\.30\.7, 1\.31\.3\)/],
  ['a gateway on a revision that is not running', edit((m) => { canary(m); m.ingressGateway.revisionTag = 'default-v1-29-10'; }), /bad\.yaml: ingressGateway\.revisionTag: 'default-v1-29-10' is not a tag or revision of controlPlane\.revisions/],
  ['a canary that skips more than two minors', edit((m) => { canary(m); m.controlPlane.revisions.versions = ['1.28.10', '1.31.3']; m.controlPlane.revisions.tags['prod-stable'] = '1.28.10'; }), /bad\.yaml: controlPlane\.revisions\.versions: run 1\.28\.10 and 1\.31\.3, more than two minors apart, and Istio supports upgrades across at most two minors/],
  ['a tracing protocol that does not exist', edit((m) => { m.tracing.protocol = 'otel'; }), /bad\.yaml: tracing\.protocol: must be one of zipkin, otlp, got 'otel'/],
  ['a limited call to a service that does not exist', edit((m) => { m.workloads.namespaces['istio-demo'].services.reviews.calls = [{ to: 'ratngs', methods: ['GET'] }]; }), /bad\.yaml: workloads\.namespaces\.istio-demo\.services\.reviews\.calls\[0\]\.to: 'ratngs' is neither .*; did you mean 'ratings'\?/],
  ['a call to a port the callee does not declare', edit((m) => { m.workloads.namespaces['istio-demo'].services.reviews.calls = [{ to: 'ratings', ports: [9090] }]; }), /bad\.yaml: workloads\.namespaces\.istio-demo\.services\.reviews\.calls\[0\]\.ports: 9090 is not a port ratings declares \(its ports: 9080\)/],
  ['an exposed service without an ingress gateway', edit((m) => { delete m.ingressGateway; m.workloads.namespaces['istio-demo'].services.productpage.exposed = true; }), /bad\.yaml: workloads\.namespaces\.istio-demo\.services\.productpage\.exposed: there is no ingress gateway/],
  ['a caller outside the app that is not an external namespace', edit((m) => { m.workloads.namespaces['istio-demo'].services.details.callers = ['partners/sync']; }), /bad\.yaml: workloads\.namespaces\.istio-demo\.services\.details\.callers\[0\]: 'partners\/sync' must be <namespace> or <namespace>\/<service account> of a namespace in workloads\.externalNamespaces/],
  ['an authorization mode in lower case', edit((m) => { m.workloads.authorization = { mode: 'enforce' }; }), /bad\.yaml: workloads\.authorization\.mode: must be one of ENFORCE, DRY_RUN, got 'enforce'/],
  ['a data plane mode that does not exist', edit((m) => { m.workloads.dataPlane = 'sidecarless'; }), /bad\.yaml: workloads\.dataPlane: must be one of sidecar, ambient, got 'sidecarless'/],
  ['an ambient namespace without an ambient profile', edit((m) => { m.workloads.namespaces['istio-demo'].dataPlane = 'ambient'; }), /bad\.yaml: workloads\.namespaces\.istio-demo\.dataPlane: is ambient, which needs ztunnel, and controlPlane\.profile is default: set controlPlane\.profile: ambient/],
  ['an ambient namespace with sidecar injection', edit((m) => { m.controlPlane.profile = 'ambient'; m.workloads.namespaces['istio-demo'].injection = 'enabled'; }), /bad\.yaml: workloads\.namespaces\.istio-demo\.injection: is enabled, but the namespace is ambient: an injected pod keeps its sidecar/],
  ['an ambient namespace with hand-written Sidecars', edit((m) => { m.controlPlane.profile = 'ambient'; m.workloads.namespaces['istio-demo'].sidecars = { pinned: { workloadSelector: { app: 'ratings' }, egressHosts: ['./*'] } }; }), /bad\.yaml: workloads\.namespaces\.istio-demo\.sidecars: are Sidecar resources, but the namespace is ambient/],
  ['the ambient profile on an Istio release before 1.24 (the in-cluster operator)', edit((m) => { m.controlPlane.profile = 'ambient'; m.controlPlane.version = '1.23.6'; m.controlPlane.kubernetesVersion = '1.30'; delete m.controlPlane.cni; }), /bad\.yaml: controlPlane\.profile: profile ambient needs Istio 1\.24 or later, .*got version 1\.23\.6 \(the in-cluster operator, which ends with 1\.23, has no GA ambient mode\)/],
  ['ztunnel settings without an ambient profile', edit((m) => { m.controlPlane.ztunnel = { namespace: 'ztunnel' }; }), /bad\.yaml: controlPlane\.ztunnel: ztunnel runs only with an ambient profile, got profile default/],
  ['a waypoint for a sidecar namespace', edit((m) => { m.workloads.namespaces['istio-demo'].waypoint = {}; }), /bad\.yaml: workloads\.namespaces\.istio-demo\.waypoint: is for ambient namespaces, and istio-demo is a sidecar namespace/],
  ['a waypoint traffic kind that does not exist', edit((m) => { m.controlPlane.profile = 'ambient'; m.workloads.namespaces['istio-demo'].waypoint = { trafficFor: 'services' }; }), /bad\.yaml: workloads\.namespaces\.istio-demo\.waypoint\.trafficFor: must be one of service, workload, all, none, got 'services'/],
  ['a waypoint for a service the namespace does not declare', edit((m) => { m.controlPlane.profile = 'ambient'; m.workloads.namespaces['istio-demo'].waypoint = { services: ['review'] }; }), /bad\.yaml: workloads\.namespaces\.istio-demo\.waypoint\.services\[0\]: names service 'review', which workloads\.namespaces\.istio-demo\.services does not declare; did you mean 'reviews'\?/],
  ['an ambient namespace with a revision tag', edit((m) => { m.controlPlane.profile = 'ambient'; m.workloads.namespaces['istio-demo'].revisionTag = 'prod-stable'; }), /bad\.yaml: workloads\.namespaces\.istio-demo\.revisionTag: is prod-stable, but the namespace is ambient: an injected pod keeps its sidecar/],
  ['an L7-limited call into an ambient namespace with authorization on', edit((m) => { m.controlPlane.profile = 'ambient'; m.workloads.authorization = {}; m.workloads.namespaces['istio-demo'].services.productpage.calls = ['details', { to: 'reviews', methods: ['GET'] }]; }), /bad\.yaml: workloads\.namespaces\.istio-demo\.services\.productpage\.calls\[1\]: .*service istio-demo\/reviews is in the ambient namespace istio-demo, whose AuthorizationPolicies ztunnel enforces at layer 4/],
  ['a ztunnel monitor without an ambient profile', edit((m) => { m.metrics.ztunnelMonitor = {}; }), /bad\.yaml: metrics\.ztunnelMonitor: scrapes ztunnel, which runs only with an ambient controlPlane\.profile/],
];
