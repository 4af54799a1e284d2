import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import * as yaml from 'js-yaml';
import { KUSTOMIZATION_FILE, MESH_DIAGRAM_FILE, finalizeOutput, renderSynthSummary } from '../../lib';

describe('finalizeOutput', () => {
  let stagingDir: string;
  beforeEach(() => {
    // GIVEN an app with two ordered charts and an istioctl input folder
    stagingDir = fs.mkdtempSync(path.join(os.tmpdir(), 'finalize-'));
    const app = new App({ outdir: stagingDir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    const namespaces = new Chart(app, 'namespaces');
    new k8s.KubeNamespace(namespaces, 'shop', { metadata: { name: 'shop' } });
    const workloads = new Chart(app, 'workloads', { namespace: 'shop' });
    new k8s.KubeConfigMap(workloads, 'settings', { data: { a: 'b' } });
    workloads.addDependency(namespaces);
    app.synth();
    fs.mkdirSync(path.join(stagingDir, 'istioctl'));
    fs.writeFileSync(path.join(stagingDir, 'istioctl', 'install.k8s.yaml'), 'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n  name: x\n');
  });
  afterEach(() => fs.rmSync(stagingDir, { recursive: true, force: true }));

  test('lists the apply-order manifest files in the Kustomization, without the istioctl input', () => {
    // WHEN
    const result = finalizeOutput({ stagingDir, notForApply: ['istioctl'], extraFiles: { 'reports/scope.json': '{}\n' } });
    // THEN
    const kustomization = yaml.load(fs.readFileSync(path.join(stagingDir, KUSTOMIZATION_FILE), 'utf8')) as any;
    expect(kustomization).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['0000-namespaces.k8s.yaml', '0001-workloads.k8s.yaml'],
    });
    expect(result.otherFiles).toEqual([KUSTOMIZATION_FILE, MESH_DIAGRAM_FILE, 'reports/scope.json']);
    expect(result.manifestFiles.map((f) => [f.file, f.manifests.length])).toEqual([
      ['0000-namespaces.k8s.yaml', 1], ['0001-workloads.k8s.yaml', 1], ['istioctl/install.k8s.yaml', 1],
    ]);
    expect(fs.readFileSync(path.join(stagingDir, 'reports', 'scope.json'), 'utf8')).toBe('{}\n');
  });

  test('a failing validation stops before anything is written', () => {
    // WHEN
    const run = () => finalizeOutput({ stagingDir, validate: (manifests) => { throw new Error(`bad: ${manifests.length} objects`); } });
    // THEN
    expect(run).toThrow('bad: 3 objects');
    expect(fs.existsSync(path.join(stagingDir, KUSTOMIZATION_FILE))).toBe(false);
    expect(fs.existsSync(path.join(stagingDir, MESH_DIAGRAM_FILE))).toBe(false);
  });

  test('the summary counts objects per kind and lists every file', () => {
    // GIVEN
    const result = finalizeOutput({ stagingDir, notForApply: ['istioctl'] });
    // WHEN
    const summary = renderSynthSummary({ ...result, outdir: 'dist', warnings: ['something to know'] });
    // THEN
    expect(summary).toMatchSnapshot();
    expect(summary).toMatch(/^synth: 3 objects in 3 manifest files written to dist$/m);
    expect(summary).toMatch(/^ {2}ConfigMap\s+1$/m);
    expect(summary).toMatch(/^ {2}- something to know$/m);
  });
});
