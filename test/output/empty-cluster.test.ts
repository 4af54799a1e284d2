import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { ApplyPhase, ManifestFile, readManifestFiles } from '../../lib';
import { Manifest } from '../../lib/validation/crd-schema-validator';

const root = path.resolve(__dirname, '..', '..');

/** API groups every cluster serves. */
const BUILT_IN_GROUPS = ['', 'apps', 'batch', 'policy', 'autoscaling', 'rbac.authorization.k8s.io', 'networking.k8s.io',
  'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'storage.k8s.io'];
/** Operators the README lists as prerequisites, installed before anything of the output. */
const PREREQUISITE_GROUPS = ['monitoring.coreos.com', 'grafana.integreatly.org', 'jaegertracing.io', 'kiali.io', 'gateway.networking.k8s.io'];
/** Istio's own CRDs: in place once the control plane is installed. */
const ISTIO_GROUPS = ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io'];

type InstallPath = 'sail' | 'in-cluster-operator' | 'istioctl';

function groupOf(manifest: Manifest): string {
  return manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/')[0] : '';
}

function installPathOf(files: readonly ManifestFile[]): InstallPath {
  if (files.some((f) => f.file.startsWith('istioctl/'))) {
    return 'istioctl';
  }
  return files.some((f) => f.manifests.some((m) => m.kind === 'IstioOperator')) ? 'in-cluster-operator' : 'sail';
}

/** The phase a file belongs to, by its number. */
function phaseOfFile(file: string): ApplyPhase {
  const order = Number(/^(\d+)-/.exec(file)?.[1]);
  const phase = ApplyPhase.ALL.find((p) => p.order === order);
  if (!phase) {
    throw new Error(`${file} is not named after an apply phase`);
  }
  return phase;
}

/** Whether the object runs pods that Istio's injector must see being created. */
function isInjected(manifest: Manifest, injectedNamespaces: ReadonlySet<string>): boolean {
  const template = (manifest as any).spec?.template;
  if (!template || !['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(manifest.kind)) {
    return false;
  }
  const annotations = template.metadata?.annotations ?? {};
  const labels = template.metadata?.labels ?? {};
  if (labels['sidecar.istio.io/inject'] === 'false') {
    return false;
  }
  return 'inject.istio.io/templates' in annotations || labels['sidecar.istio.io/inject'] === 'true'
    || (template.spec?.containers ?? []).some((c: any) => c.image === 'auto')
    || injectedNamespaces.has(manifest.metadata?.namespace ?? '');
}

/**
 * Applies an output to a model of an empty cluster, phase by phase as the README says: a kind is
 * accepted only once its CRD is served, and pods to be injected only once the injector runs.
 * Returns every object the model would refuse.
 */
function applyToEmptyCluster(dist: string): string[] {
  const files = readManifestFiles(dist);
  const path = installPathOf(files);
  const served = new Set([...BUILT_IN_GROUPS, ...PREREQUISITE_GROUPS]);
  let injector = false;
  if (path === 'sail') {
    served.add('sailoperator.io');
  }
  if (path === 'istioctl') {
    // `istioctl install -f` runs first and waits for istiod.
    ISTIO_GROUPS.forEach((group) => served.add(group));
    injector = true;
  }
  const applied = files.filter((f) => !f.file.includes('/'));
  const injectedNamespaces = new Set(applied.flatMap((f) => f.manifests)
    .filter((m) => {
      const labels: Record<string, string> = (m.metadata as any)?.labels ?? {};
      return m.kind === 'Namespace' && (labels['istio-injection'] === 'enabled' || labels['istio.io/rev'] !== undefined);
    })
    .map((m) => m.metadata!.name!));
  const refused: string[] = [];
  for (const phase of ApplyPhase.ALL) {
    for (const { file, manifests } of applied.filter((f) => phaseOfFile(f.file) === phase)) {
      for (const manifest of manifests) {
        const name = `${file}: ${manifest.kind}/${manifest.metadata?.namespace ?? ''}/${manifest.metadata?.name}`;
        if (!served.has(groupOf(manifest))) {
          refused.push(`${name}: no CRD serves ${manifest.apiVersion} yet`);
        }
        if (isInjected(manifest, injectedNamespaces) && !injector) {
          refused.push(`${name}: created before the injector runs, its pods would keep image: auto`);
        }
        if (manifest.kind === 'CustomResourceDefinition') {
          served.add((manifest as any).spec.group);
        }
      }
    }
    // The README's wait after the phase: the control plane installed, istiod ready.
    if (phase === ApplyPhase.CONTROL_PLANE && path !== 'istioctl') {
      ISTIO_GROUPS.forEach((group) => served.add(group));
      injector = true;
    }
  }
  return refused;
}

describe('applied to an empty cluster phase by phase, as the README says', () => {
  const outputs = ['dist', ...['istioctl-self-hosted', 'in-cluster-operator-1.23', 'existing-observability'].map((name) => `examples/${name}/dist`)];
  test.each(outputs)('%s: every object is accepted when its phase is applied', (dist) => {
    expect(applyToEmptyCluster(path.join(root, dist))).toEqual([]);
  });
});

test('the model refuses what breaks on an empty cluster: Istio objects and injected pods in the control plane\'s phase', () => {
  // GIVEN the gateway and a Telemetry applied together with the Sail Istio, as the output once did
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-cluster-'));
  try {
    const write = (file: string, manifests: object[]) => fs.writeFileSync(path.join(dist, file), manifests.map((m) => yaml.dump(m)).join('---\n'));
    write('10-namespaces.k8s.yaml', [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-ingress', labels: { 'istio-injection': 'enabled' } } }]);
    write('30-control-plane.k8s.yaml', [
      { apiVersion: 'sailoperator.io/v1', kind: 'Istio', metadata: { name: 'default' }, spec: {} },
      { apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name: 'mesh-default', namespace: 'istio-system' }, spec: {} },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gw', namespace: 'istio-ingress' }, spec: { template: { metadata: { annotations: { 'inject.istio.io/templates': 'gateway' } }, spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] } } } },
    ]);
    // WHEN
    const refused = applyToEmptyCluster(dist);
    // THEN
    expect(refused).toEqual([
      '30-control-plane.k8s.yaml: Telemetry/istio-system/mesh-default: no CRD serves telemetry.istio.io/v1 yet',
      '30-control-plane.k8s.yaml: Deployment/istio-ingress/gw: created before the injector runs, its pods would keep image: auto',
    ]);
  } finally {
    fs.rmSync(dist, { recursive: true, force: true });
  }
});
