import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readManifestFiles } from '../lib';
import { BAD_INPUTS, badInputText } from './config/bad-inputs';
import { runSynth } from './config/run-synth';
import { tree } from './helpers/files';

const root = path.resolve(__dirname, '..');
const CDK8S_CLI = path.join(root, 'node_modules', '.bin', 'cdk8s');
const STACK_TRACE_LINE = /^\s+at /m;
const SUMMARY_LINE = /^synth: \d+ objects in \d+ manifest files written to /gm;

/**
 * main.ts through `cdk8s synth`, as this repository's cdk8s.yaml runs it, in a folder of its own:
 * the app and the plugin by absolute path, the CLI's output (which it empties) and dist/ there too.
 */
describe('main.ts through `npx cdk8s synth`', () => {
  let workdir: string;
  let outdir: string;
  let previousDist: Record<string, string>;
  beforeAll(() => {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-synth-'));
    outdir = path.join(workdir, 'dist');
    fs.copyFileSync(path.join(root, 'mesh.yaml'), path.join(workdir, 'mesh.yaml'));
    fs.writeFileSync(path.join(workdir, 'cdk8s.yaml'), [
      'language: typescript',
      `app: node ${JSON.stringify(path.join(root, 'scripts', 'run-app.js'))}`,
      'output: .cdk8s-staging',
      'validations:',
      `  - package: ${JSON.stringify(path.join(root, 'lib', 'validation', 'cdk8s-plugin.js'))}`,
      '    version: 0.1.0',
      '    class: MeshConfigValidationPlugin',
      '    properties:',
      '      meshConfig: mesh.yaml',
    ].join('\n'));
    // The dist/ a failing synth must leave as it is, from `npm run synth`.
    execFileSync(process.execPath, [path.join(root, 'scripts', 'run-app.js')], {
      cwd: workdir, stdio: 'pipe', env: { ...process.env, MESH_OUTDIR: outdir, CDK8S_OUTDIR: '' },
    });
    previousDist = tree(outdir);
  }, 60_000);
  afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

  function cdk8sSynth(meshConfig: string, ...args: string[]) {
    const result = spawnSync(process.execPath, [CDK8S_CLI, 'synth', '--no-check-upgrade', ...args], {
      cwd: workdir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1', MESH_CONFIG: meshConfig, MESH_OUTDIR: outdir },
    });
    return { status: result.status, output: `${result.stdout}${result.stderr}`, stdout: result.stdout };
  }

  test('a good config: the output of `npm run synth`, the summary once, and the plugin takes the app\'s validation instead of repeating it', () => {
    // WHEN
    const result = cdk8sSynth('mesh.yaml');
    // THEN
    expect(result.status).toBe(0);
    expect(result.output.match(SUMMARY_LINE)).toHaveLength(1);
    expect(result.stdout).toMatch(/Status\s*│\s*success/);
    expect(result.stdout).toMatch(/validated\s*│\s*by the app in this synth, unchanged since/);
    const objects = readManifestFiles(outdir).reduce((total, { manifests }) => total + manifests.length, 0);
    expect(result.stdout).toMatch(new RegExp(`objects\\s*│\\s*${objects}\\s`));
    expect(tree(outdir)).toEqual(previousDist);
  }, 60_000);

  test('a good config with --no-validate: the summary once', () => {
    const result = cdk8sSynth('mesh.yaml', '--no-validate');
    expect(result.status).toBe(0);
    expect(result.output.match(SUMMARY_LINE)).toHaveLength(1);
    expect(tree(outdir)).toEqual(previousDist);
  }, 60_000);

  const badConfigs: ReadonlyArray<readonly [string, string | undefined, readonly string[]]> = [
    ...['an unknown top-level key, with a suggestion', 'an Istio release the library does not know', 'YAML syntax: an unclosed flow list']
      .map((name) => [name, badInputText(BAD_INPUTS.find(([bad]) => bad === name)![1]), []] as const),
    ['a missing file', undefined, []],
    ['an unknown nested key, with --no-validate', badInputText(BAD_INPUTS.find(([bad]) => bad.startsWith('an unknown nested key'))![1]), ['--no-validate']],
  ];
  test.each(badConfigs)('%s: exit code 1, the report of `npm run synth` once, no stack trace, dist/ untouched', (_name, text, args) => {
    // GIVEN a bad config, and dist/ from a good synth
    const configPath = path.join(fs.mkdtempSync(path.join(workdir, 'case-')), 'bad.yaml');
    if (text !== undefined) {
      fs.writeFileSync(configPath, text);
    }
    const expected = runSynth({ configPath, outdir: path.join(path.dirname(configPath), 'dist') });
    expect(expected.exitCode).toBe(1);
    // WHEN
    const result = cdk8sSynth(configPath, ...args);
    // THEN
    expect(result.status).toBe(1);
    // The problems once, as `npm run synth` reports them, then what became of the folders
    const problems = expected.report.slice(0, expected.report.lastIndexOf('\n'));
    expect(result.output.split(problems)).toHaveLength(2);
    expect(result.output).toContain(`${problems}\ndist was left as it was; the cdk8s CLI's output folder .cdk8s-staging, which the CLI empties before the app runs, was removed.\n`);
    expect(fs.existsSync(path.join(workdir, '.cdk8s-staging'))).toBe(false);
    expect(result.output).not.toMatch(STACK_TRACE_LINE);
    expect(tree(outdir)).toEqual(previousDist);
  }, 60_000);
});
