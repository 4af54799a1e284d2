// One case of the scaling benchmark, in a process of its own (a fresh heap):
//   node bench/run-ts.js bench/scale-app.ts <variant> <namespaces> <outdir>
// Every variant writes the same YAML for the same generated mesh: per namespace its Namespace, its
// Sidecar (from the services it declares and calls), the AuthorizationPolicies derived from the
// same calls (allow-nothing and one ALLOW policy per called service) with the services'
// ServiceAccounts, a namespace-wide PeerAuthentication and a PodMonitor for its proxies, plus the
// mesh-wide default Sidecar.
//   library        our constructs, then app.synth()
//   library+valid  the same, then assertValid() on the synthesized objects, as the real synth does
//   raw            the same objects written by hand as plain cdk8s ApiObjects, then app.synth()
//   yaml           the same plain objects serialized with cdk8s' Yaml and written: the floor
// Prints one JSON line: time spent building and synthesizing, peak RSS and a hash of the YAML.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import {
  AuthorizationMode, EnvoyStatsPodMonitor, ExistingPrometheus, MeshService, MeshValidation, NamespaceMtls, SidecarScoping, WorkloadNamespace, assertValid, readManifestFiles,
} from '../lib';

const [variant, countArg, outdir] = process.argv.slice(2);
const count = Number(countArg);
if (!['library', 'library+valid', 'raw', 'yaml'].includes(variant) || !Number.isInteger(count) || count < 2 || !outdir) {
  throw new Error('usage: scale-app.ts library|library+valid|raw|yaml <namespaces, at least 2> <outdir>');
}

const CHART = 'mesh';
const ROOT_NAMESPACE = 'istio-system';
const MONITORING_NAMESPACE = 'monitoring';

/** ns-0007: names sort in creation order. */
function namespaceName(index: number): string {
  return `ns-${String(index).padStart(4, '0')}`;
}

/**
 * Each namespace's worker calls the api service of the next namespace, and the namespace as a
 * whole calls the namespace seven further on.
 */
function dependencies(index: number): { service: number; namespace: number } {
  return { service: (index + 1) % count, namespace: (index + 7) % count };
}

function buildWithLibrary(app: App): void {
  const chart = new Chart(app, CHART);
  const scoping = new SidecarScoping(chart, 'scoping', { rootNamespace: ROOT_NAMESPACE, authorization: AuthorizationMode.ENFORCE });
  const prometheus = ExistingPrometheus.inCluster({ namespace: MONITORING_NAMESPACE });
  const namespaces: WorkloadNamespace[] = [];
  const apis: MeshService[] = [];
  const workers: MeshService[] = [];
  for (let index = 0; index < count; index++) {
    const namespace = scoping.addNamespace(namespaceName(index), { name: namespaceName(index) });
    apis.push(namespace.addService('api', { ports: [8080] }));
    workers.push(namespace.addService('worker', { ports: [9090] }));
    new NamespaceMtls(namespace, 'Mtls', { namespace });
    new EnvoyStatsPodMonitor(namespace, 'EnvoyStats', { prometheus, namespace: namespace.name, namespaces: [namespace.name] });
    namespaces.push(namespace);
  }
  namespaces.forEach((namespace, index) => {
    const { service, namespace: other } = dependencies(index);
    workers[index].calls(apis[service]);
    namespace.calls(namespaces[other]);
  });
}

/** The objects, as someone writing them by hand without the library would, keys in the order cdk8s writes them. */
function plainObjects(): Record<string, any>[] {
  const objects: Record<string, any>[] = [{
    apiVersion: 'networking.istio.io/v1',
    kind: 'Sidecar',
    metadata: { name: 'default', namespace: ROOT_NAMESPACE },
    spec: { egress: [{ hosts: ['./*', `${ROOT_NAMESPACE}/*`] }] },
  }];
  // Who calls namespace i: the worker of the namespace before it (its api), and the namespace seven before it (everything).
  const serviceCaller = (index: number) => namespaceName((index - 1 + count) % count);
  const namespaceCaller = (index: number) => namespaceName((index - 7 + count * 7) % count);
  for (let index = 0; index < count; index++) {
    const name = namespaceName(index);
    const { service, namespace: other } = dependencies(index);
    const called = [`${namespaceName(other)}/*`];
    if (service !== other) {
      called.push(`${namespaceName(service)}/api.${namespaceName(service)}.svc.cluster.local`);
    }
    objects.push(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { labels: { 'istio-injection': 'enabled' }, name } },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'Sidecar',
        metadata: { name: 'default', namespace: name },
        spec: { egress: [{ hosts: ['./*', ...[`${ROOT_NAMESPACE}/*`, ...called].sort()] }] },
      },
      { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'allow-nothing', namespace: name }, spec: {} },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { labels: { app: 'api' }, name: 'api', namespace: name } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { labels: { app: 'worker' }, name: 'worker', namespace: name } },
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'PeerAuthentication',
        metadata: { name: 'default', namespace: name },
        spec: { mtls: { mode: 'STRICT' } },
      },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: { name: 'envoy-stats', namespace: name },
        spec: {
          namespaceSelector: { matchNames: [name] },
          podMetricsEndpoints: [{
            interval: '15s',
            path: '/stats/prometheus',
            relabelings: [{ action: 'keep', regex: '.*-envoy-prom', sourceLabels: ['__meta_kubernetes_pod_container_port_name'] }],
          }],
          selector: { matchExpressions: [{ key: 'istio-prometheus-ignore', operator: 'DoesNotExist' }] },
        },
      },
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name: 'api-callers', namespace: name },
        spec: {
          action: 'ALLOW',
          rules: [{
            from: [{ source: { principals: [`cluster.local/ns/${serviceCaller(index)}/sa/worker`] } }, { source: { namespaces: [namespaceCaller(index)] } }],
            to: [{ operation: { ports: ['8080'] } }],
          }],
          selector: { matchLabels: { app: 'api' } },
        },
      },
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name: 'worker-callers', namespace: name },
        spec: {
          action: 'ALLOW',
          rules: [{ from: [{ source: { namespaces: [namespaceCaller(index)] } }], to: [{ operation: { ports: ['9090'] } }] }],
          selector: { matchLabels: { app: 'worker' } },
        },
      },
    );
  }
  return objects;
}

function buildRaw(app: App): void {
  const chart = new Chart(app, CHART);
  plainObjects().forEach((object, index) => new ApiObject(chart, `o${index}`, object as any));
}

const start = performance.now();
let buildDone: number;
let validateMs: number | undefined;
if (variant === 'yaml') {
  const objects = plainObjects();
  buildDone = performance.now();
  fs.mkdirSync(outdir, { recursive: true });
  fs.writeFileSync(path.join(outdir, `${CHART}.k8s.yaml`), Yaml.stringify(...objects));
} else {
  const app = new App({ outdir });
  if (variant === 'raw') {
    buildRaw(app);
  } else {
    buildWithLibrary(app);
    // Measured as `npm run synth` runs it: MeshSynthesis turns the app-level check off and
    // validates what was written afterwards (library+valid), so it is not counted twice.
    MeshValidation.disable(app);
  }
  buildDone = performance.now();
  app.synth();
  if (variant === 'library+valid') {
    // As finalizeOutput() does: what was written is read back and checked.
    const validateStart = performance.now();
    // The scoping's services are declared workloads, as MeshSynthesis.ofApp passes them.
    assertValid(readManifestFiles(outdir).flatMap((file) => file.manifests), { externalNamespaces: [ROOT_NAMESPACE], declaredWorkloads: MeshValidation.of(app).validationOptions().declaredWorkloads });
    validateMs = performance.now() - validateStart;
  }
}
const end = performance.now();

const yaml = fs.readFileSync(path.join(outdir, `${CHART}.k8s.yaml`));
console.log(JSON.stringify({
  variant,
  namespaces: count,
  buildSynthMs: end - start,
  buildMs: buildDone - start,
  validateMs,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  yamlBytes: yaml.length,
  yamlSha256: createHash('sha256').update(yaml).digest('hex'),
}));
