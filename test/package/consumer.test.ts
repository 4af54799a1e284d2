import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';

/**
 * The consumer's view: pack the library as npm would publish it, install the tarball into a fresh
 * TypeScript project, compile a small app against the public API and synthesize it.
 */
const root = path.resolve(__dirname, '..', '..');
const devVersion = (name: string) => require(path.join(root, 'node_modules', name, 'package.json')).version as string;

const CONSUMER_APP = `
import { App, Chart } from 'cdk8s';
import { MeshNamespace, SidecarInjection, validateManifests, Manifest } from 'cdk8s-istio-mesh';

const app = new App({ outdir: 'out' });
const chart = new Chart(app, 'mesh');
const shop = new MeshNamespace(chart, 'shop', { name: 'shop', injection: SidecarInjection.enabled() });
const problems = validateManifests(chart.toJson() as Manifest[]);
if (problems.length > 0) {
  throw new Error(JSON.stringify(problems));
}
console.log('namespace ' + shop.name);
app.synth();
`;

/** Runs a command; on failure, the error carries what the command printed. */
function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

describe('the published package', () => {
  let workdir: string;
  beforeAll(() => {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-'));
  });
  afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

  test('installs from its tarball, compiles against its types and synthesizes', () => {
    // GIVEN the packed library
    const packOutput = run('npm', ['pack', '--json', '--pack-destination', workdir], root);
    const [packed] = JSON.parse(packOutput.slice(packOutput.indexOf('[')));
    const files: string[] = packed.files.map((f: { path: string }) => f.path);
    expect(files).toContain('build/lib/index.js');
    expect(files).toContain('build/lib/index.d.ts');
    expect(files).toContain('build/imports/crd-schemas/index.json');
    expect(files.filter((f) => /^(test|dist|lib|imports)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);

    // AND a fresh TypeScript project that depends on it and on its peers
    const project = path.join(workdir, 'app');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: false, types: ['node'] },
      files: ['main.ts'],
    }));
    fs.writeFileSync(path.join(project, 'main.ts'), CONSUMER_APP);
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts',
      path.join(workdir, packed.filename),
      `cdk8s@${devVersion('cdk8s')}`, `cdk8s-plus-28@${devVersion('cdk8s-plus-28')}`, `constructs@${devVersion('constructs')}`,
      `@types/node@${devVersion('@types/node')}`,
    ], project);

    // WHEN it compiles and runs
    run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], project);
    const stdout = run(process.execPath, ['main.js'], project);

    // THEN
    expect(stdout.trim()).toBe('namespace shop');
    const [namespace] = yaml.loadAll(fs.readFileSync(path.join(project, 'out', 'mesh.k8s.yaml'), 'utf8')) as any[];
    expect(namespace).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } });
  }, 300_000);
});
