import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import * as yaml from 'js-yaml';
import { runSynth } from './run-synth';
import { tree } from '../helpers/files';
import { BAD_INPUTS, badInputText } from './bad-inputs';

const root = path.resolve(__dirname, '..', '..');
const committedDist = path.join(root, 'dist');

/** A copy of the committed dist/ that a failing synth must leave exactly as it is. */
function copyOfDist(workdir: string): string {
  const outdir = path.join(workdir, 'dist');
  fs.cpSync(committedDist, outdir, { recursive: true });
  return outdir;
}

describe('a bad mesh config fails with its file, key path and value, and leaves dist/ byte-identical', () => {
  let workdir: string;
  let before: Record<string, string>;
  beforeAll(() => {
    before = tree(committedDist);
  });
  beforeEach(() => {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-input-'));
  });
  afterEach(() => fs.rmSync(workdir, { recursive: true, force: true }));

  test('the table holds at least 25 distinct mistakes', () => {
    expect(new Set(BAD_INPUTS.map(([name]) => name)).size).toBe(BAD_INPUTS.length);
    expect(new Set(BAD_INPUTS.map(([, input]) => badInputText(input))).size).toBe(BAD_INPUTS.length);
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(25);
  });

  test.each(BAD_INPUTS)('%s', (_name, input, expected) => {
    // GIVEN the committed output and a bad config
    const outdir = copyOfDist(workdir);
    const configPath = path.join(workdir, 'bad.yaml');
    fs.writeFileSync(configPath, badInputText(input));
    // WHEN the app runs on it
    const result = runSynth({ configPath, outdir });
    // THEN it fails, says what is wrong where, shows no stack trace, and writes nothing
    expect(result.exitCode).toBe(1);
    expect(result.report).toMatch(expected);
    expect(result.report).toContain(configPath);
    expect(result.report).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    expect(tree(outdir)).toEqual(before);
    expect(fs.readdirSync(workdir).sort()).toEqual(['bad.yaml', 'dist']);
  });

  test('a missing file is named, with what to do', () => {
    // GIVEN
    const outdir = copyOfDist(workdir);
    const configPath = path.join(workdir, 'missing.yaml');
    // WHEN
    const result = runSynth({ configPath, outdir });
    // THEN
    expect(result.exitCode).toBe(1);
    expect(result.report).toMatch(/missing\.yaml: file not found: write a mesh\.yaml .* or point MESH_CONFIG at one/);
    expect(tree(outdir)).toEqual(before);
  });

  test('every problem of a file is reported at once, schema and construct problems together', () => {
    // GIVEN a config with four independent mistakes
    const outdir = copyOfDist(workdir);
    const configPath = path.join(workdir, 'bad.yaml');
    fs.writeFileSync(configPath, badInputText((mesh) => {
      mesh.tracing.samplingPercent = 150;
      mesh.controlPlane.kubernetesVersion = '1.28';
      mesh.metrics.recordingRules = { evaluationInterval: 'often' };
      mesh.workloads.namespaces['istio-demo'].services.ratings.ports = [70000];
      return mesh;
    }));
    // WHEN
    const result = runSynth({ configPath, outdir });
    // THEN
    expect(result.exitCode).toBe(1);
    expect(result.report).toContain(`${configPath} has 4 problems:`);
    expect(result.report).toMatch(/tracing\.samplingPercent: must be <= 100, got 150/);
    expect(result.report).toMatch(/metrics\.recordingRules\.evaluationInterval: must match .* got 'often'/);
    expect(result.report).toMatch(/controlPlane\.kubernetesVersion: Istio 1\.30 supports Kubernetes 1\.32 to 1\.36/);
    expect(result.report).toMatch(/workloads\.namespaces\.istio-demo\.services\.ratings\.ports: .* got 70000/);
    expect(tree(outdir)).toEqual(before);
  });

  test('a bad istiod namespace is reported once, not again by every part that uses it', () => {
    // GIVEN
    const outdir = copyOfDist(workdir);
    const configPath = path.join(workdir, 'bad.yaml');
    fs.writeFileSync(configPath, badInputText((mesh) => ({ ...mesh, controlPlane: { ...mesh.controlPlane, namespace: 'Istio-System' } })));
    // WHEN
    const result = runSynth({ configPath, outdir });
    // THEN
    expect(result.report.match(/Istio-System/g)).toHaveLength(1);
  });

  test("validation.crds: the cluster's CRD version judges the output, relative to the config file", () => {
    // GIVEN a cluster whose ServiceMonitor CRD (an older one, say) knows only spec.selector
    const outdir = copyOfDist(workdir);
    fs.mkdirSync(path.join(workdir, 'cluster-crds'));
    fs.writeFileSync(path.join(workdir, 'cluster-crds', 'servicemonitors.yaml'), yaml.dump({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'servicemonitors.monitoring.coreos.com' },
      spec: {
        group: 'monitoring.coreos.com',
        names: { kind: 'ServiceMonitor', plural: 'servicemonitors' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { selector: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } } } } }],
      },
    }));
    const configPath = path.join(workdir, 'bad.yaml');
    fs.writeFileSync(configPath, badInputText((mesh) => ({ ...mesh, validation: { crds: ['cluster-crds'] } })));
    // WHEN
    const result = runSynth({ configPath, outdir });
    // THEN the guide's istiod ServiceMonitor is refused at its field, and nothing is written
    expect(result.exitCode).toBe(1);
    expect(result.report).toMatch(/ServiceMonitor\/monitoring\/istiod spec: unknown field 'endpoints'/);
    expect(tree(outdir)).toEqual(before);
  });
});

describe('the real app (node scripts/run-app.js) on bad configs', () => {
  // One mistake of each kind through the process users run: YAML syntax, document shape, schema,
  // range, a construct's check, a missing file. Two at a time: the machine has two cores.
  const run = promisify(execFile);
  const representative = ['YAML syntax: a duplicated key', 'a list instead of a map', 'an unknown nested key, with a suggestion',
    'sampling above 100 percent', 'a port above 65535', 'a Kubernetes version the Istio release does not support'];
  const cases = BAD_INPUTS.filter(([name]) => representative.includes(name));
  let workdir: string;
  let before: Record<string, string>;
  beforeAll(() => {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-input-app-'));
    before = tree(committedDist);
  });
  afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

  async function synthProcess(name: string, text: string | undefined) {
    const caseDir = fs.mkdtempSync(path.join(workdir, 'case-'));
    const outdir = copyOfDist(caseDir);
    const configPath = path.join(caseDir, 'bad.yaml');
    if (text !== undefined) {
      fs.writeFileSync(configPath, text);
    }
    try {
      await run(process.execPath, [path.join(root, 'scripts', 'run-app.js')], {
        cwd: root,
        env: { ...process.env, MESH_CONFIG: configPath, MESH_OUTDIR: outdir, CDK8S_OUTDIR: '' },
      });
      return { name, exitCode: 0, stderr: '', outdir, configPath };
    } catch (error) {
      const failed = error as { code?: number; stderr?: string };
      return { name, exitCode: failed.code ?? -1, stderr: failed.stderr ?? '', outdir, configPath };
    }
  }

  test('each fails with exit code 1, its message on stderr, and dist/ untouched', async () => {
    // GIVEN six bad configs and a missing file
    expect(cases).toHaveLength(representative.length);
    const jobs: Array<readonly [string, string | undefined, RegExp]> = [
      ...cases.map(([name, input, expected]) => [name, badInputText(input), expected] as const),
      ['a missing file', undefined, /bad\.yaml: file not found/],
    ];
    // WHEN each runs as its own process, two at a time
    const results = [];
    for (let i = 0; i < jobs.length; i += 2) {
      results.push(...await Promise.all(jobs.slice(i, i + 2).map(([name, text]) => synthProcess(name, text))));
    }
    // THEN
    results.forEach((result, index) => {
      const expected = jobs[index][2];
      expect({ name: result.name, exitCode: result.exitCode }).toEqual({ name: result.name, exitCode: 1 });
      expect(result.stderr).toMatch(expected);
      expect(result.stderr).toContain(result.configPath);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(tree(result.outdir)).toEqual(before);
    });
  }, 120_000);
});
