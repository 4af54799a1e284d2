import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { MeshConfigValidationPlugin, MeshValidationPlugin, PluginValidationContext } from '../../lib';
import { fileSha256, writeValidationRecord } from '../../lib/validation/validation-record';

const REPO = path.join(__dirname, '..', '..');
const CDK8S_CLI = path.join(REPO, 'node_modules', '.bin', 'cdk8s');
const PLUGIN = path.join(REPO, 'lib', 'validation', 'cdk8s-plugin.js');

/**
 * A cdk8s project of its own: a plain node app that synthesizes a Namespace and a ConfigMap,
 * optionally with a misspelled field, and the plugin in `validations`.
 */
function writeProject(badField: boolean, pluginPath: (dir: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-validation-plugin-'));
  const configMap = { metadata: { name: 'settings', namespace: 'shop' }, data: { a: 'b' }, ...badField ? { dataa: { c: 'd' } } : {} };
  fs.writeFileSync(path.join(dir, 'app.js'), [
    `const { ApiObject, App, Chart } = require(${JSON.stringify(require.resolve('cdk8s'))});`,
    'const app = new App();',
    "const chart = new Chart(app, 'shop');",
    "new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });",
    `new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', ...${JSON.stringify(configMap)} });`,
    'app.synth();',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), [
    'language: typescript',
    'app: node app.js',
    'output: out',
    'validations:',
    `  - package: ${JSON.stringify(pluginPath(dir))}`,
    "    version: '0.1.0'",
    '    class: MeshValidationPlugin',
    '    properties:',
    '      externalNamespaces: [billing]',
  ].join('\n'));
  return dir;
}

function synthValidate(dir: string) {
  return spawnSync(process.execPath, [CDK8S_CLI, 'synth', '--validate', '--no-check-upgrade'], {
    cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' },
  });
}

describe('MeshValidationPlugin in `cdk8s synth --validate`', () => {
  test('fails the synth and names the violation', () => {
    // GIVEN a project whose ConfigMap has a misspelled field, with the plugin given by a path
    // relative to the project as in this repository's cdk8s.yaml (the CLI wants './' in front)
    const dir = writeProject(true, (project) => `./${path.relative(project, PLUGIN)}`);
    // WHEN
    const result = synthValidate(dir);
    // THEN
    expect(result.stderr).toContain('Validation failed');
    expect(result.status).toBe(2);
    expect(result.stdout).toContain("ConfigMap/shop/settings (root): unknown field 'dataa'");
    expect(result.stdout).toMatch(/Status\s*│\s*failure/);
    expect(result.stdout).toContain('Resource Name: settings');
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  test('passes a valid project', () => {
    // GIVEN the same project without the misspelling
    const dir = writeProject(false, () => PLUGIN);
    // WHEN
    const result = synthValidate(dir);
    // THEN
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Status\s*│\s*success/);
    expect(result.stdout).toContain('Validations ended succesfully');
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});

describe('MeshValidationPlugin', () => {
  /** A context like the CLI's, over in-memory files. */
  function context(files: Record<string, unknown[]>) {
    const violations: any[] = [];
    let status: string | undefined;
    const ctx: PluginValidationContext = {
      manifests: Object.keys(files),
      parseManifest: (file) => files[file],
      report: { addViolation: (v) => violations.push(v), submit: (s) => { status = s; } },
    };
    return { ctx, violations, status: () => status };
  }

  test('reads only the manifest files cdk8s writes, and groups findings by rule', async () => {
    // GIVEN a manifest file with two problems, and a kustomization that is not an API object
    const { ctx, violations, status } = context({
      'out/mesh.k8s.yaml': [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'nowhere' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'shop' }, dataa: {} },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
        null,
      ],
      'out/kustomization.yaml': [{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [] }],
    });
    // WHEN
    await new MeshValidationPlugin({ externalNamespaces: [] }).validate(ctx);
    // THEN
    expect(status()).toBe('failure');
    expect(violations.map((v) => v.ruleName)).toEqual(['schema', 'namespace-exists']);
    expect(violations[0].violatingResources).toEqual([{
      resourceName: 'b', manifestPath: 'out/mesh.k8s.yaml', locations: ["ConfigMap/shop/b (root): unknown field 'dataa'"],
    }]);
    expect(violations[1].violatingResources[0].locations[0]).toMatch(/^ConfigMap\/nowhere\/a metadata.namespace: namespace 'nowhere'/);
  });

  test('takes the app\'s validation only for exactly the files the app validated', async () => {
    // GIVEN a staged manifest with a problem, and a record claiming the app found none in it
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-validation-record-'));
    const file = path.join(dir, 'mesh.k8s.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: nowhere\n');
    const record = {
      manifests: { 'mesh.k8s.yaml': fileSha256(file) }, objects: 1, externalNamespaces: ['nowhere'], externalHosts: [],
      meshConfig: { path: path.join(dir, 'mesh.yaml'), sha256: '' },
    };
    writeValidationRecord(dir, record);
    const run = async (plugin: MeshValidationPlugin) => {
      const report: { status?: string; metadata?: Record<string, string> } = {};
      await plugin.validate({
        manifests: [file],
        parseManifest: (manifest) => yaml.loadAll(fs.readFileSync(manifest, 'utf8')) as any[],
        report: { addViolation: () => undefined, submit: (status, metadata) => Object.assign(report, { status, metadata }) },
      });
      return report;
    };
    // WHEN / THEN: the files are as recorded, and the plugin declares at least the app's namespaces
    expect(await run(new MeshValidationPlugin({ externalNamespaces: ['nowhere', 'billing'] })))
      .toEqual({ status: 'success', metadata: { objects: '1', problems: '0', validated: 'by the app in this synth, unchanged since' } });
    // a plugin that declares fewer namespaces than the app did checks for itself
    expect((await run(new MeshValidationPlugin())).status).toBe('failure');
    // a file changed after the app validated it is checked again
    fs.appendFileSync(file, 'data: {}\n');
    expect((await run(new MeshValidationPlugin({ externalNamespaces: ['nowhere'] }))).metadata).toEqual({ objects: '1', problems: '0' });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('checks AuthorizationPolicies against the workloads the app declared, from its record', async () => {
    // GIVEN a policy for a workload whose manifests come with the app, and the app's record of it
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-validation-record-'));
    const file = path.join(dir, 'mesh.k8s.yaml');
    fs.writeFileSync(file, yaml.dump({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }) + '---\n' + yaml.dump({
      apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'api-callers', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'api' } }, action: 'ALLOW', rules: [{ to: [{ operation: { ports: ['8080'] } }] }] },
    }));
    const record = {
      manifests: { 'mesh.k8s.yaml': fileSha256(file) }, objects: 2, externalNamespaces: [], externalHosts: [],
      declaredWorkloads: [{ namespace: 'shop', podLabels: { app: 'api' }, ports: [8080], serviceAccountName: 'api' }],
    };
    const run = async () => {
      const report: { status?: string; rules: string[] } = { rules: [] };
      // A Kubernetes version of the plugin's own makes it check for itself rather than take the record's word.
      await new MeshValidationPlugin({ kubernetesVersion: '1.33' }).validate({
        manifests: [file],
        parseManifest: (manifest) => yaml.loadAll(fs.readFileSync(manifest, 'utf8')) as any[],
        report: { addViolation: (violation) => report.rules.push(violation.ruleName), submit: (status) => Object.assign(report, { status }) },
      });
      return report;
    };
    // WHEN / THEN with the record the policy selects a declared workload
    writeValidationRecord(dir, record);
    expect(await run()).toEqual({ status: 'success', rules: [] });
    // without it the workload is unknown, and the policy selects nothing
    fs.rmSync(path.join(dir, '.cdk8s-istio-mesh-validated.json'));
    expect(await run()).toEqual({ status: 'failure', rules: ['authz-selector'] });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('properties crds and uncheckedKinds: a kind of another operator is checked against its CRD, or left out', async () => {
    // GIVEN a manifest with a kind no shipped CRD defines, and its CRD
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-validation-crds-'));
    fs.writeFileSync(path.join(dir, 'widget.yaml'), yaml.dump({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Cluster', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }] },
    }));
    const files = { 'out/widgets.k8s.yaml': [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 'big' } }] };
    const locations = async (props: ConstructorParameters<typeof MeshValidationPlugin>[0]) => {
      const { ctx, violations } = context(files);
      await new MeshValidationPlugin(props).validate(ctx);
      return violations.flatMap((v) => v.violatingResources.flatMap((r: any) => r.locations));
    };
    // WHEN / THEN
    expect(await locations({})).toEqual([expect.stringMatching(/^Widget\/w \(root\): no schema known for example\.com\/v1\/Widget: .*uncheckedKinds: \['example\.com\/Widget'\]/)]);
    expect(await locations({ crds: [path.join(dir, 'widget.yaml')] })).toEqual(['Widget/w spec.size: must be integer']);
    expect(await locations({ uncheckedKinds: ['example.com/Widget'] })).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('refuses properties of the wrong shape, naming them', () => {
    expect(() => new MeshValidationPlugin({ externalNamespaces: 'billing' as unknown as string[] }))
      .toThrow(/property externalNamespaces must be a list of strings, got "billing"/);
  });
});

describe('MeshConfigValidationPlugin', () => {
  test('takes the namespaces made elsewhere from the mesh config', async () => {
    // GIVEN a mesh config whose existing Prometheus lives in `metrics`, and a monitor there
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-config-plugin-'));
    const meshConfig = path.join(dir, 'mesh.yaml');
    fs.writeFileSync(meshConfig, 'controlPlane: {}\nmetrics:\n  prometheus:\n    inCluster:\n      namespace: metrics\n  envoyStatsMonitor: {}\n');
    const monitor = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm', namespace: 'metrics' } };
    const files = { 'out/mesh.k8s.yaml': [monitor] };
    const context = (report: { status?: string }): PluginValidationContext => ({
      manifests: Object.keys(files),
      parseManifest: (file) => files[file as keyof typeof files],
      report: { addViolation: () => undefined, submit: (s) => { report.status = s; } },
    });
    const withConfig: { status?: string } = {};
    const withoutConfig: { status?: string } = {};
    // WHEN
    await new MeshConfigValidationPlugin({ meshConfig }).validate(context(withConfig));
    await new MeshValidationPlugin().validate(context(withoutConfig));
    // THEN
    expect(withConfig.status).toBe('success');
    expect(withoutConfig.status).toBe('failure');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('names the file and key of a bad mesh config', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-config-plugin-'));
    const meshConfig = path.join(dir, 'mesh.yaml');
    fs.writeFileSync(meshConfig, 'tracing:\n  samplingPercent: 150\n  backend:\n    jaegerV2: {}\n');
    expect(() => new MeshConfigValidationPlugin({ meshConfig })).toThrow(/tracing\.samplingPercent.*150/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
