import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import * as ts from 'typescript';
import * as library from '../../lib';

const root = path.resolve(__dirname, '..', '..');
// `cdk8s-istio-mesh/imports/<alias>` as the package resolves it, from the sources.
const importSubpaths = Object.fromEntries(Object.entries(require('../../scripts/import-aliases').importAliases(root) as Record<string, string>)
  .map(([alias, module]) => [`cdk8s-istio-mesh/imports/${alias}`, [`imports/${module}.ts`]]));

/**
 * README examples are snippets, the way construct libraries document themselves (jsii-rosetta
 * calls this a fixture): each ```ts block is compiled as a module of its own, after a prelude that
 * imports every value the library exports, and declares the objects that snippets build on
 * (`app`, `chart`, `controlPlane`, `jaeger`, ...) unless the snippet declares them itself.
 */
const FIXTURE: Record<string, string> = {
  app: 'App',
  chart: 'Chart',
  istio: 'Chart',
  istioChart: 'Chart',
  controlPlane: 'IstioControlPlane',
  jaeger: 'JaegerV2',
  prometheus: 'IPrometheusBackend',
  grafana: 'IGrafanaBackend',
  datasource: 'PrometheusDatasource',
  scoping: 'SidecarScoping',
};

function readmeExamples(): { name: string; code: string }[] {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  // Jest test files (first line `// test/...`) need jest's globals: the consumer test runs them.
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match, i) => ({ name: `readme-example-${i + 1}.ts`, code: match[1] }))
    .filter(({ code }) => !code.startsWith('// test/'));
}

function withPrelude(code: string): string {
  const declared = new Set([...code.matchAll(/\b(?:const|let|class|function)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]));
  const imported = new Set([...code.matchAll(/import\s*\{([^}]*)\}/g)].flatMap((m) => m[1].split(',').map((n) => n.trim().split(/\s+as\s+/).pop()!)));
  const libraryValues = Object.keys(library).filter((name) => !declared.has(name) && !imported.has(name));
  const libraryTypes = ['IPrometheusBackend', 'IGrafanaBackend', 'ITracingBackend'].filter((name) => !imported.has(name));
  const cdk8sNames = ['App', 'Chart', 'Duration', 'Size'].filter((name) => !declared.has(name) && !imported.has(name));
  const fixture = Object.entries(FIXTURE).filter(([name]) => !declared.has(name)).map(([name, type]) => `declare const ${name}: ${type};`);
  return [
    `import { ${cdk8sNames.join(', ')} } from 'cdk8s';`,
    `import { ${[...libraryValues, ...libraryTypes].join(', ')} } from 'cdk8s-istio-mesh';`,
    ...fixture,
    code,
  ].join('\n');
}

test('the README TypeScript examples compile against the library', () => {
  // GIVEN the examples, importing the package by its published name
  const examples = readmeExamples();
  expect(examples.length).toBeGreaterThan(5);
  const files = new Map(examples.map((e) => [path.join(root, '.readme-examples', e.name), withPrelude(e.code)]));
  const prelude = new Map(examples.map((e) => [path.join(root, '.readme-examples', e.name), withPrelude(e.code).split('\n').length - e.code.split('\n').length]));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, noEmit: true, skipLibCheck: true,
    esModuleInterop: true, types: ['node'], baseUrl: root, paths: { 'cdk8s-istio-mesh': ['lib/index.ts'], ...importSubpaths },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (file) => files.get(file) ?? readFile(file);
  host.fileExists = (file) => files.has(file) || fileExists(file);
  // WHEN
  const program = ts.createProgram([...files.keys()], options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file && files.has(d.file.fileName))
    .map((d) => {
      const line = d.file!.getLineAndCharacterOfPosition(d.start!).line + 1 - prelude.get(d.file!.fileName)!;
      return `${path.basename(d.file!.fileName)}:${line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  // THEN
  expect(diagnostics).toEqual([]);
}, 300_000);

test('the README Quick Start synthesizes, with a plain app.synth(), output that passes the checks', () => {
  // GIVEN the Quick Start as written, run as a consumer runs it (its `new App()` writes into CDK8S_OUTDIR)
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const quickStart = readme.split('## Quick start in TypeScript')[1].match(/```ts\n([\s\S]*?)```/)![1];
  const program = ts.transpileModule(quickStart, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-quick-start-'));
  const requireForExample = (id: string): unknown => (id === 'cdk8s-istio-mesh' ? library : require(id));
  const previousOutdir = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  // WHEN
  try {
    new Function('require', 'exports', program)(requireForExample, {});
  } finally {
    if (previousOutdir === undefined) {
      delete process.env.CDK8S_OUTDIR;
    } else {
      process.env.CDK8S_OUTDIR = previousOutdir;
    }
  }
  // THEN every object is written, and the whole output passes the checks on its own, with only
  // the namespace the Quick Start says exists (the ExistingPrometheus')
  const manifests = fs.readdirSync(outdir).filter((file) => file.endsWith('.k8s.yaml'))
    .flatMap((file) => yaml.loadAll(fs.readFileSync(path.join(outdir, file), 'utf8')) as library.Manifest[]);
  expect(manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata?.name).sort())
    .toEqual(['istio-system', 'observability', 'payments', 'shop']);
  expect(library.validateMesh(manifests, { externalNamespaces: ['monitoring'] }).map(library.formatFinding)).toEqual([]);
});
