import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { ARGOCD_SYNC_WAVE, ApplyPhase, ApplyPhasePlan, addArgoCdSyncWaves, readManifestFiles, splitIntoPhaseFiles } from '../../lib';
import { Istio, IstioSpecVersion } from '../../imports/sail-istio-sailoperator.io';
import { tree } from '../helpers/files';

describe('ApplyPhase', () => {
  test.each([
    ['v1', 'Namespace', ApplyPhase.NAMESPACES],
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', ApplyPhase.NAMESPACES],
    ['v1', 'ResourceQuota', ApplyPhase.NAMESPACES],
    ['sailoperator.io/v1', 'Istio', ApplyPhase.CONTROL_PLANE],
    // Sail updates ambient components in place, in the order control plane, CNI, ztunnel
    ['sailoperator.io/v1', 'IstioCNI', ApplyPhase.CNI],
    ['sailoperator.io/v1', 'ZTunnel', ApplyPhase.ZTUNNEL],
    ['install.istio.io/v1alpha1', 'IstioOperator', ApplyPhase.CONTROL_PLANE],
    ['telemetry.istio.io/v1', 'Telemetry', ApplyPhase.MESH],
    ['apps/v1', 'Deployment', ApplyPhase.MESH],
    ['example.com/v1', 'Namespace', ApplyPhase.MESH],
  ])('%s %s goes to the %s phase by its kind', (apiVersion, kind, phase) => {
    expect(ApplyPhase.ofKind(apiVersion, kind)).toBe(phase);
  });

  test('an assigned phase holds for a subtree, but its namespaces and CRDs stay first', () => {
    // GIVEN an operator whose Deployment must run before its custom resource is applied
    const chart = new Chart(new App(), 'istio');
    const operator = new Chart(chart, 'operator');
    ApplyPhase.assign(operator, ApplyPhase.OPERATORS);
    const deployment = new k8s.KubeDeployment(operator, 'Deployment', { spec: { selector: {}, template: {} } });
    const namespace = new k8s.KubeNamespace(operator, 'Namespace', { metadata: { name: 'istio-operator' } });
    // THEN
    expect(ApplyPhase.of(deployment)).toBe(ApplyPhase.OPERATORS);
    expect(ApplyPhase.of(namespace)).toBe(ApplyPhase.NAMESPACES);
  });
});

describe('splitIntoPhaseFiles', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phases-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('moves each object, with the text cdk8s wrote, into the file of its phase; mesh-phase files per chart', () => {
    // GIVEN two charts as cdk8s writes them
    const app = new App({ outdir: dir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    const istio = new Chart(app, 'istio');
    new k8s.KubeNamespace(istio, 'ns', { metadata: { name: 'istio-system' } });
    new Istio(istio, 'istio', { metadata: { name: 'default' }, spec: { namespace: 'istio-system', version: IstioSpecVersion.V1_30_3 } });
    new k8s.KubeConfigMap(istio, 'cm', { metadata: { name: 'a', namespace: 'istio-system' }, data: { note: '---\nnot a separator' } });
    const workloads = new Chart(app, 'workloads');
    new k8s.KubeNamespace(workloads, 'ns', { metadata: { name: 'shop' } });
    new k8s.KubeConfigMap(workloads, 'cm', { metadata: { name: 'b', namespace: 'shop' } });
    const plan = ApplyPhasePlan.of(app);
    app.synth();
    const documents = (text: string) => text.split(/^---\n/m).filter((d) => d.trim() !== '');
    const before = Object.values(tree(dir)).flatMap(documents).sort();
    // WHEN
    const result = splitIntoPhaseFiles(dir, readManifestFiles(dir), plan);
    const written = result.map((f) => f.file);
    expect(result).toEqual(readManifestFiles(dir));
    // THEN
    expect(written).toEqual(['10-namespaces.k8s.yaml', '30-control-plane.k8s.yaml', '40-istio.k8s.yaml', '40-workloads.k8s.yaml']);
    const files = tree(dir);
    expect(Object.keys(files)).toEqual(written);
    expect(files['10-namespaces.k8s.yaml'].match(/^  name: .*$/gm)).toEqual(['  name: istio-system', '  name: shop']);
    expect(files['30-control-plane.k8s.yaml']).toMatch(/^kind: Istio$/m);
    expect(files['40-istio.k8s.yaml']).toContain('not a separator');
    // Nothing lost, nothing added: the same documents, only regrouped.
    expect(Object.values(files).flatMap(documents).sort()).toEqual(before);
  });
});

describe('GitOps stability', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phases-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Synthesizes charts the way the pipeline does; returns `file: kind name wave` per object. */
  function synthesize(withUnrelatedChart: boolean): string[] {
    const outdir = fs.mkdtempSync(path.join(dir, 'out-'));
    const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    const istio = new Chart(app, 'istio');
    new k8s.KubeNamespace(istio, 'ns', { metadata: { name: 'istio-system' } });
    new Istio(istio, 'istio', { metadata: { name: 'default' }, spec: { namespace: 'istio-system', version: IstioSpecVersion.V1_30_3 } });
    const charts = [istio];
    if (withUnrelatedChart) {
      // Between the two, in construct order and in dependency order.
      const observability = new Chart(app, 'observability');
      observability.addDependency(istio);
      new k8s.KubeNamespace(observability, 'ns', { metadata: { name: 'observability' } });
      new k8s.KubeConfigMap(observability, 'cm', { metadata: { name: 'o', namespace: 'observability' } });
      charts.push(observability);
    }
    const workloads = new Chart(app, 'workloads');
    workloads.addDependency(istio);
    new k8s.KubeConfigMap(workloads, 'cm', { metadata: { name: 'w', namespace: 'istio-system' } });
    charts.push(workloads);
    addArgoCdSyncWaves(charts);
    const plan = ApplyPhasePlan.of(app);
    app.synth();
    return splitIntoPhaseFiles(outdir, readManifestFiles(outdir), plan)
      .flatMap(({ file, manifests }) => manifests.map((m: any) => `${file}: ${m.kind} ${m.metadata.name} wave ${m.metadata.annotations[ARGOCD_SYNC_WAVE]}`));
  }

  test('adding an unrelated chart changes no existing file name or sync wave', () => {
    // GIVEN the output of two charts
    const before = synthesize(false);
    // WHEN a third chart appears between them
    const after = synthesize(true);
    // THEN every object of the first output keeps its file and wave; only the new chart's are new
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after.filter((line) => !before.includes(line))).toEqual([
      '10-namespaces.k8s.yaml: Namespace observability wave 10',
      '40-observability.k8s.yaml: ConfigMap o wave 40',
    ]);
    expect(before).toContain('40-workloads.k8s.yaml: ConfigMap w wave 40');
  });
});
