import { execFileSync, spawnSync } from 'child_process';
import { tree } from '../helpers/files';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';

/**
 * The consumer's view: pack the library as npm would publish it, install the tarball into a fresh
 * cdk8s project (its own node_modules, from the tarball and the registry), and use it the ways a
 * consumer does: compiled with tsc, and through `cdk8s synth` with `app: npx ts-node main.ts` (as
 * `cdk8s init` writes it) and `app: npx tsx main.ts`, the validation plugin loaded from the package.
 */
const root = path.resolve(__dirname, '..', '..');
const devVersion = (name: string) => require(path.join(root, 'node_modules', name, 'package.json')).version as string;
const cdk8sCli = path.join(root, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
// Runners of the consumer's app, pinned: what `cdk8s init typescript-app` and tsx users run.
const TS_NODE = 'ts-node@10.9.2';
const TSX = 'tsx@4.23.15';

const CONSUMER_APP = `
import { App, Chart } from 'cdk8s';
import {
  IstioControlPlane, IstioSpecValues, IstioSpecValuesMeshConfig, MeshNamespace, SidecarInjection,
  validateManifests, Manifest,
} from 'cdk8s-istio-mesh';
import { Gateway } from 'cdk8s-istio-mesh/imports/istio-networking';

const app = new App();
const istio = new Chart(app, 'istio');
// The types of the control plane's values and meshConfig props, from the package root.
const meshConfig: IstioSpecValuesMeshConfig = { accessLogFile: '/dev/stdout' };
const values: IstioSpecValues = { pilot: { autoscaleMin: 2 } };
new IstioControlPlane(istio, 'control-plane', { meshConfig, values });
const shop = new Chart(app, 'shop');
shop.addDependency(istio);
const namespace = new MeshNamespace(shop, 'shop', { name: 'shop', injection: SidecarInjection.enabled() });
new Gateway(shop, 'gateway', {
  metadata: { name: 'shop', namespace: namespace.name },
  spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'] }] },
});
const problems = validateManifests([...istio.toJson(), ...shop.toJson()] as Manifest[]);
if (problems.length > 0) {
  throw new Error(JSON.stringify(problems));
}
app.synth();
`;

// The output pipeline from TypeScript: BREAK_OUTPUT adds an object in a namespace nothing
// creates, PAYMENTS_ONLY drops a namespace (so a chart file's content changes).
const PIPELINE_APP = `
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { IstioControlPlane, MeshSynthesis, SidecarScoping } from 'cdk8s-istio-mesh';

const app = new App();
const istio = new Chart(app, 'istio');
const controlPlane = new IstioControlPlane(istio, 'control-plane');
const workloads = new Chart(app, 'workloads');
workloads.addDependency(istio);
const scoping = new SidecarScoping(workloads, 'scoping', { extensionProviders: controlPlane });
const payments = scoping.addNamespace('payments', { name: 'payments' });
if (!process.env.PAYMENTS_ONLY) {
  scoping.addNamespace('shop', { name: 'shop' }).calls(payments);
}
if (process.env.BREAK_OUTPUT) {
  new k8s.KubeConfigMap(workloads, 'orphan', { metadata: { name: 'orphan', namespace: 'nowhere' } });
}
MeshSynthesis.ofApp(app).run();
`;
const ORPHAN_FINDING = "ConfigMap/nowhere/orphan metadata.namespace: namespace 'nowhere' is neither in the output nor declared external";

const CDK8S_YAML = (app: string, output = 'out') => `language: typescript
app: ${app}
output: ${output}
validations:
  - package: ./node_modules/cdk8s-istio-mesh/build/lib/cdk8s-plugin.js
    version: 0.1.0
    class: MeshValidationPlugin
`;

/** Runs a command that may fail: its exit code and everything it printed. */
function attempt(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(command, args, { cwd, env: { ...env, NO_COLOR: '1' }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}${result.stderr}` };
}

/** Runs a command; on failure, the error carries what the command printed. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  try {
    return execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

/** The objects of every manifest file in `dir`, by kind and name. */
function objectsIn(dir: string): string[] {
  return fs.readdirSync(dir).filter((file) => file.endsWith('.k8s.yaml')).sort()
    .flatMap((file) => yaml.loadAll(fs.readFileSync(path.join(dir, file), 'utf8')) as any[])
    .map((o) => `${o.kind} ${o.metadata.name}`);
}

describe('the published package', () => {
  let workdir: string;
  let project: string;
  let files: string[];
  beforeAll(() => {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-'));
    // GIVEN the packed library
    // (scripts/test-node-versions.js packs once for the runs under other Node majors: CONSUMER_TARBALL)
    let tarball = process.env.CONSUMER_TARBALL;
    if (tarball) {
      files = run('tar', ['-tzf', tarball], workdir).split('\n').filter((f) => f !== '' && !f.endsWith('/')).map((f) => f.replace(/^package\//, ''));
    } else {
      const packOutput = run('npm', ['pack', '--json', '--pack-destination', workdir], root);
      const [packed] = JSON.parse(packOutput.slice(packOutput.indexOf('[')));
      files = packed.files.map((f: { path: string }) => f.path);
      tarball = path.join(workdir, packed.filename);
    }
    // AND a fresh TypeScript project that depends on it, on its peers and on the app runners
    project = path.join(workdir, 'app');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    fs.writeFileSync(path.join(project, 'main.ts'), CONSUMER_APP);
    fs.writeFileSync(path.join(project, 'pipeline.ts'), PIPELINE_APP);
    // What ts-node type-checks with: `cdk8s init typescript-app` writes module commonjs too.
    fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: false, types: ['node'] },
      include: ['main.ts', 'pipeline.ts'],
    }));
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts',
      tarball,
      `cdk8s@${devVersion('cdk8s')}`, `cdk8s-plus-28@${devVersion('cdk8s-plus-28')}`, `constructs@${devVersion('constructs')}`,
      `@types/node@${devVersion('@types/node')}`, `typescript@${devVersion('typescript')}`, TS_NODE, TSX,
      // For the README's jest example: jest, transpiled as this repository's tests are.
      `jest@${devVersion('jest')}`, `@types/jest@${devVersion('@types/jest')}`, `@sucrase/jest-plugin@${devVersion('@sucrase/jest-plugin')}`, `sucrase@${devVersion('sucrase')}`,
    ], project);
  }, 300_000);
  afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

  test('the tarball holds the compiled library, its typed imports and the plugin, no sources', () => {
    expect(files).toEqual(expect.arrayContaining([
      'build/lib/index.js', 'build/lib/index.d.ts', 'build/lib/cdk8s-plugin.js', 'build/imports/crd-schemas/index.json',
      'build/imports/istio-networking.js', 'build/imports/istio-networking.d.ts', 'build/imports/istio-networking.istio.io.js',
    ]));
    expect(files.filter((f) => /^(test|dist|lib|imports)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  // Node's own resolution of `exports` (node16) and TypeScript's older one (node10, the default of
  // `module: commonjs`), which reads `typesVersions` instead.
  test.each(['node16', 'node10'])('compiles with tsc (moduleResolution %s) against its root and subpath types, and runs', (moduleResolution) => {
    // GIVEN
    const outDir = path.join(project, `tsc-${moduleResolution}`);
    fs.writeFileSync(path.join(project, `tsconfig.${moduleResolution}.json`), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: moduleResolution === 'node16' ? 'node16' : 'commonjs', moduleResolution,
        strict: true, esModuleInterop: true, skipLibCheck: false, types: ['node'], outDir,
      },
      files: ['main.ts'],
    }));
    // WHEN it compiles and runs
    run(process.execPath, [path.join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', `tsconfig.${moduleResolution}.json`], project);
    run(process.execPath, [path.join(outDir, 'main.js')], project, { ...process.env, CDK8S_OUTDIR: path.join(outDir, 'out') });
    // THEN
    expect(objectsIn(path.join(outDir, 'out'))).toEqual(expect.arrayContaining(['Namespace shop', 'Gateway shop', 'Istio default']));
  }, 120_000);

  test.each([['ts-node', 'npx ts-node main.ts'], ['tsx', 'npx tsx main.ts']])('cdk8s synth runs the app with %s and validates it with the packaged plugin', (_runner, app) => {
    // GIVEN the cdk8s.yaml of a consumer, with the plugin at the path the README gives
    fs.writeFileSync(path.join(project, 'cdk8s.yaml'), CDK8S_YAML(app));
    // WHEN
    const stdout = run(process.execPath, [cdk8sCli, 'synth', '--no-check-upgrade'], project);
    // THEN the plugin checked every object of the output
    const objects = objectsIn(path.join(project, 'out'));
    expect(objects).toEqual(expect.arrayContaining(['Namespace shop', 'Gateway shop', 'Istio default']));
    expect(stdout).toContain(`Validation Report (${path.join(project, 'node_modules', 'cdk8s-istio-mesh', 'build', 'lib', 'cdk8s-plugin.js')}@0.1.0)`);
    expect(stdout).toMatch(/Status\s+│ success/);
    expect(stdout).toMatch(new RegExp(`objects\\s+│ ${objects.length}\\s`));
  }, 120_000);
  test('a TypeScript app through MeshSynthesis.ofApp: phase files, Kustomization, MESH.md, reports, summary; dist/ replaced whole or not at all', () => {
    // GIVEN the app's first output
    const dist = path.join(project, 'dist');
    fs.rmSync(dist, { recursive: true, force: true });
    const first = attempt('npx', ['tsx', 'pipeline.ts'], project);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^synth: 7 objects in 3 manifest files written to dist$/m);
    expect(first.stdout).toMatch(/warnings \(1\):\n  - the mesh-wide default Sidecar istio-system\/default applies to every injected namespace .*: .*set meshDefaultSidecar: false/);
    const written = tree(dist);
    expect(Object.keys(written)).toEqual([
      '.cdk8s-istio-mesh-output', '10-namespaces.k8s.yaml', '30-control-plane.k8s.yaml', '40-workloads.k8s.yaml',
      'Kustomization', 'MESH.md', 'reports/scope-report.json', 'reports/scope-report.md',
    ]);
    expect((yaml.load(written.Kustomization) as any).resources).toEqual(['10-namespaces.k8s.yaml', '30-control-plane.k8s.yaml', '40-workloads.k8s.yaml']);
    expect(written['40-workloads.k8s.yaml']).toMatch(/argocd\.argoproj\.io\/sync-wave: "40"/);
    expect(JSON.parse(written['reports/scope-report.json']).namespaces.map((n: { namespace: string }) => n.namespace)).toEqual(['payments', 'shop']);

    // WHEN the output would not apply
    const broken = attempt('npx', ['tsx', 'pipeline.ts'], project, { ...process.env, BREAK_OUTPUT: '1' });
    // THEN every problem once, exit code 1, and dist/ byte-identical
    expect(broken.status).toBe(1);
    expect(broken.output.split(ORPHAN_FINDING)).toHaveLength(2);
    expect(broken.stderr).toMatch(/^dist was left as it was\.$/m);
    expect(tree(dist)).toEqual(written);

    // WHEN a namespace goes away THEN the new output replaces the old whole, leaving nothing stale
    expect(attempt('npx', ['tsx', 'pipeline.ts'], project, { ...process.env, PAYMENTS_ONLY: '1' }).status).toBe(0);
    const replaced = tree(dist);
    expect(replaced['10-namespaces.k8s.yaml']).not.toMatch(/name: shop/);
    expect(JSON.parse(replaced['reports/scope-report.json']).namespaces.map((n: { namespace: string }) => n.namespace)).toEqual(['payments']);
    expect(fs.readdirSync(project).filter((f) => f.startsWith('.dist'))).toEqual([]);
  }, 120_000);

  test('the same app under cdk8s synth: validated once, and a failing validation reported once, without a stack trace, dist/ kept', () => {
    // GIVEN a cdk8s.yaml whose output is a scratch folder, and the app's output in dist/
    fs.writeFileSync(path.join(project, 'cdk8s.yaml'), CDK8S_YAML('npx ts-node pipeline.ts', '.cdk8s-staging'));
    const dist = path.join(project, 'dist');
    fs.rmSync(dist, { recursive: true, force: true });
    const good = attempt(process.execPath, [cdk8sCli, 'synth', '--no-check-upgrade'], project);
    expect(good.status).toBe(0);
    expect(good.stderr).toMatch(/^synth: 7 objects in 3 manifest files written to dist$/m);
    expect(good.stdout).toMatch(/validated\s+│ by the app in this synth, unchanged since/);
    const written = tree(dist);
    expect(Object.keys(written)).toContain('Kustomization');
    // WHEN
    const broken = attempt(process.execPath, [cdk8sCli, 'synth', '--no-check-upgrade'], project, { ...process.env, BREAK_OUTPUT: '1' });
    // THEN
    expect(broken.status).toBe(1);
    expect(broken.output.split(ORPHAN_FINDING)).toHaveLength(2);
    expect(broken.output).toContain("dist was left as it was; the cdk8s CLI's output folder .cdk8s-staging, which the CLI empties before the app runs, was removed.");
    expect(broken.output).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(path.join(project, '.cdk8s-staging'))).toBe(false);
    expect(tree(dist)).toEqual(written);
  }, 120_000);
  test('the README\'s jest example of MeshTesting runs: it writes its snapshot, then matches it', () => {
    // GIVEN the example test file from the README, in the consumer's test/ folder
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const example = /```ts\n(\/\/ test\/shop\.test\.ts\n[\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    fs.mkdirSync(path.join(project, 'test'), { recursive: true });
    fs.writeFileSync(path.join(project, 'test', 'shop.test.ts'), example!);
    fs.writeFileSync(path.join(project, 'jest.config.js'), "module.exports = { testEnvironment: 'node', roots: ['<rootDir>/test'], transform: { '\\\\.ts$': '@sucrase/jest-plugin' } };\n");
    const jest = [path.join(project, 'node_modules', 'jest', 'bin', 'jest.js'), '--colors=false'];
    // WHEN it runs the first time, and again in CI mode (no snapshot may be written)
    const first = attempt(process.execPath, [...jest, '--ci=false'], project);
    const again = attempt(process.execPath, [...jest, '--ci'], project);
    // THEN both tests pass, the snapshot holds the shop Namespace, and the second run matched it
    expect({ status: first.status, output: first.output }).toEqual({ status: 0, output: expect.stringMatching(/Tests:\s+2 passed, 2 total/) });
    expect(first.output).toMatch(/1 snapshot written/);
    expect({ status: again.status, output: again.output }).toEqual({ status: 0, output: expect.stringMatching(/Snapshots:\s+1 passed, 1 total/) });
    expect(fs.readFileSync(path.join(project, 'test', '__snapshots__', 'shop.test.ts.snap'), 'utf8')).toMatch(/"istio-injection": "enabled"/);
  }, 120_000);
});
