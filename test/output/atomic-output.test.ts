import { execFileSync, spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { AtomicOutput, DashboardJson, GrafanaSidecarDashboards, MeshSynthesis, MeshValidation, OUTPUT_MARKER_FILE } from '../../lib';
import { runSynth } from '../config/run-synth';
import { tree } from '../helpers/files';

/** The files of a folder without its ownership marker. */
function content(dir: string): Record<string, string> {
  const { [OUTPUT_MARKER_FILE]: _marker, ...files } = tree(dir);
  return files;
}

/** Every file and link below `dir` (links as `-> target`), to show nothing was touched. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort().map((file) => {
    const full = path.join(dir, file);
    const stat = fs.lstatSync(full);
    return [file, stat.isSymbolicLink() ? `-> ${fs.readlinkSync(full)}` : stat.isDirectory() ? '/' : fs.readFileSync(full, 'utf8')];
  }));
}

/** A pid that no process has: one of a process that has exited. */
function deadPid(): number {
  const child = execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child);
}

describe('AtomicOutput', () => {
  let workdir: string;
  let outdir: string;
  beforeEach(() => {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-output-'));
    outdir = path.join(workdir, 'dist');
    const first = new AtomicOutput({ outdir });
    fs.writeFileSync(path.join(first.stagingDir, 'old.yaml'), 'old: true\n');
    first.commit();
  });
  afterEach(() => fs.rmSync(workdir, { recursive: true, force: true }));

  test('commit replaces the folder completely, leaving no stale file, staging folder or lock', () => {
    // GIVEN
    const output = new AtomicOutput({ outdir });
    fs.writeFileSync(path.join(output.stagingDir, 'new.yaml'), 'new: true\n');
    // WHEN
    output.commit();
    // THEN
    expect(content(outdir)).toEqual({ 'new.yaml': 'new: true\n' });
    expect(fs.readdirSync(workdir)).toEqual(['dist']);
  });

  test('the marker lists every file it wrote with its SHA-256, as sha256sum does', () => {
    // GIVEN
    const output = new AtomicOutput({ outdir });
    fs.mkdirSync(path.join(output.stagingDir, 'reports'));
    fs.writeFileSync(path.join(output.stagingDir, 'reports', 'r.md'), 'r\n');
    fs.writeFileSync(path.join(output.stagingDir, 'a.yaml'), 'a: 1\n');
    // WHEN
    output.commit();
    // THEN
    const marker = fs.readFileSync(path.join(outdir, OUTPUT_MARKER_FILE), 'utf8');
    expect(marker.split('\n').slice(1)).toEqual([
      expect.stringMatching(/^[0-9a-f]{64} {2}a\.yaml$/),
      expect.stringMatching(/^[0-9a-f]{64} {2}reports\/r\.md$/),
      '',
    ]);
    expect(execFileSync('sha256sum', ['--check', '--quiet', OUTPUT_MARKER_FILE], { cwd: outdir, encoding: 'utf8' })).toBe('');
  });

  test('discard removes the cdk8s CLI\'s staging folder, which held only what the synth wrote', () => {
    // GIVEN
    const staging = path.join(workdir, '.cdk8s-staging');
    const output = new AtomicOutput({ outdir, stagingDir: staging });
    fs.mkdirSync(staging);
    fs.writeFileSync(path.join(staging, 'half.yaml'), 'half: true\n');
    // WHEN
    output.discard();
    // THEN
    expect(fs.readdirSync(workdir)).toEqual(['dist']);
    expect(content(outdir)).toEqual({ 'old.yaml': 'old: true\n' });
  });

  test('discard leaves the previous folder byte-identical', () => {
    // GIVEN a synth that wrote half its files, then failed
    const before = snapshot(workdir);
    const output = new AtomicOutput({ outdir });
    fs.writeFileSync(path.join(output.stagingDir, 'half.yaml'), 'half: true\n');
    // WHEN
    output.discard();
    // THEN
    expect(snapshot(workdir)).toEqual(before);
  });

  test('a staging folder given by the cdk8s CLI is copied, not moved, without the CLI\'s construct metadata', () => {
    // GIVEN the CLI's output folder as staging, emptied by the CLI, then written by the app
    const staging = path.join(workdir, '.cdk8s-staging');
    fs.mkdirSync(staging);
    const output = AtomicOutput.fromEnvironment({ CDK8S_OUTDIR: staging, MESH_OUTDIR: outdir });
    fs.writeFileSync(path.join(staging, 'a.yaml'), 'a: 1\n');
    fs.writeFileSync(path.join(staging, 'construct-metadata.json'), '{}');
    // WHEN
    output.commit();
    // THEN
    expect(content(outdir)).toEqual({ 'a.yaml': 'a: 1\n' });
    expect(tree(staging)).toEqual({ 'a.yaml': 'a: 1\n', 'construct-metadata.json': '{}' });
  });

  test('an empty CDK8S_OUTDIR counts as unset: the staging folder is its own and leaves no trace', () => {
    // GIVEN the environment of a plain `npm run synth` with CDK8S_OUTDIR exported empty
    const output = AtomicOutput.fromEnvironment({ CDK8S_OUTDIR: '', MESH_OUTDIR: outdir });
    fs.writeFileSync(path.join(output.stagingDir, 'new.yaml'), 'new: true\n');
    // WHEN
    output.commit();
    // THEN
    expect(content(outdir)).toEqual({ 'new.yaml': 'new: true\n' });
    expect(fs.readdirSync(workdir)).toEqual(['dist']);
  });

  describe('refuses, before anything is touched, an output folder it must not replace', () => {
    const project = (dir: string) => {
      fs.mkdirSync(path.join(dir, 'project', '.git'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'project', '.git', 'HEAD'), 'ref: refs/heads/main\n');
      fs.writeFileSync(path.join(dir, 'project', 'mesh.yaml'), 'controlPlane: {}\n');
      fs.writeFileSync(path.join(dir, 'project', 'README.md'), '# mine\n');
      return path.join(dir, 'project');
    };
    const cases: ReadonlyArray<readonly [string, (dir: string) => { outdir: string; stagingDir?: string; inputFiles?: string[] }, RegExp]> = [
      ['the folder holding the config (MESH_OUTDIR=.)', (dir) => ({ outdir: project(dir), inputFiles: [path.join(project(dir), 'mesh.yaml')] }), /output folder .*project holds the input file .*mesh\.yaml: .*folder of its own/],
      ['a folder above the config', (dir) => ({ outdir: dir, inputFiles: [path.join(project(dir), 'mesh.yaml')] }), /holds the input file .*project\/mesh\.yaml/],
      ['a git repository', (dir) => ({ outdir: project(dir) }), /output folder .*project holds a git repository \(\.git\)/],
      ['a folder with files it did not write', (dir) => {
        fs.mkdirSync(path.join(dir, 'docs', 'api'), { recursive: true });
        fs.writeFileSync(path.join(dir, 'docs', 'api', 'index.md'), 'x\n');
        fs.writeFileSync(path.join(dir, 'docs', 'notes.txt'), 'y\n');
        return { outdir: path.join(dir, 'docs') };
      }, /output folder .*docs holds files this synth did not write \(api\/index\.md, notes\.txt\): .*new or empty folder/],
      ['its own output with a file a user added', (dir) => {
        fs.writeFileSync(path.join(dir, 'dist', 'hand-written.yaml'), 'kind: ConfigMap\n');
        return { outdir: path.join(dir, 'dist') };
      }, /holds files this synth did not write \(hand-written\.yaml\)/],
      ['its own output with a link a user added', (dir) => {
        fs.symlinkSync('/etc', path.join(dir, 'dist', 'etc'));
        return { outdir: path.join(dir, 'dist') };
      }, /holds files this synth did not write \(etc\)/],
      ['a regular file', (dir) => {
        fs.writeFileSync(path.join(dir, 'out.yaml'), 'a: 1\n');
        return { outdir: path.join(dir, 'out.yaml') };
      }, /output folder .*out\.yaml is an existing file, not a folder/],
      ['a link to a regular file', (dir) => {
        fs.writeFileSync(path.join(dir, 'file'), 'a\n');
        fs.symlinkSync(path.join(dir, 'file'), path.join(dir, 'out'));
        return { outdir: path.join(dir, 'out') };
      }, /output folder .*out is a link to .*file, an existing file/],
      ['a loop of links', (dir) => {
        fs.symlinkSync(path.join(dir, 'b'), path.join(dir, 'a'));
        fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'b'));
        return { outdir: path.join(dir, 'a') };
      }, /is a loop of symbolic links/],
      ['the cdk8s CLI\'s output folder (cdk8s synth --output dist)', (dir) => ({ outdir: path.join(dir, 'dist'), stagingDir: path.join(dir, 'dist') }), /staging folder .*dist must be a folder of its own, outside the output folder/],
      ['a folder below the cdk8s CLI\'s output folder', (dir) => ({ outdir: path.join(dir, 'dist'), stagingDir: dir }), /must be a folder of its own, outside the output folder/],
      ['a staging folder holding the config (CDK8S_OUTDIR=.)', (dir) => ({ outdir: path.join(dir, 'dist'), stagingDir: project(dir), inputFiles: [path.join(dir, 'project', 'mesh.yaml')] }), /staging folder .*project holds the input file .*mesh\.yaml: .*scratch folder/],
      ['a staging folder that holds files (CDK8S_OUTDIR=docs set by hand)', (dir) => {
        fs.mkdirSync(path.join(dir, 'docs'));
        fs.writeFileSync(path.join(dir, 'docs', 'guide.md'), '# guide\n');
        return { outdir: path.join(dir, 'dist'), stagingDir: path.join(dir, 'docs') };
      }, /staging folder .*docs holds files already \(guide\.md\): the cdk8s CLI empties it/],
      ['a staging folder that is a git repository', (dir) => ({ outdir: path.join(dir, 'dist'), stagingDir: project(dir) }), /staging folder .*project holds a git repository/],
      ['a folder holding the cdk8s CLI\'s output folder', (dir) => ({ outdir: path.join(dir, 'dist'), stagingDir: path.join(dir, 'dist', 'staging') }), /must not be inside the output folder/],
    ];
    test.each(cases)('%s', (_name, setup, message) => {
      // GIVEN
      const props = setup(workdir);
      const before = snapshot(workdir);
      // WHEN / THEN
      expect(() => new AtomicOutput(props)).toThrow(message);
      expect(snapshot(workdir)).toEqual(before);
    });
  });

  describe('accepts', () => {
    test('a missing folder, creating its parents', () => {
      const output = new AtomicOutput({ outdir: path.join(workdir, 'a', 'b', 'out') });
      fs.writeFileSync(path.join(output.stagingDir, 'x.yaml'), 'x\n');
      output.commit();
      expect(content(path.join(workdir, 'a', 'b', 'out'))).toEqual({ 'x.yaml': 'x\n' });
    });

    test('an empty folder', () => {
      fs.mkdirSync(path.join(workdir, 'empty'));
      const output = new AtomicOutput({ outdir: path.join(workdir, 'empty') });
      fs.writeFileSync(path.join(output.stagingDir, 'x.yaml'), 'x\n');
      output.commit();
      expect(content(path.join(workdir, 'empty'))).toEqual({ 'x.yaml': 'x\n' });
    });

    test('an output of version 0.1.0, written before the marker: every file named like one it writes', () => {
      // GIVEN
      const legacy = path.join(workdir, 'legacy');
      for (const file of ['0000-istio.k8s.yaml', 'Kustomization', 'MESH.md', 'istioctl/istio-operator.k8s.yaml', 'reports/scope-report.md', 'reports/scope-report.json']) {
        fs.mkdirSync(path.dirname(path.join(legacy, file)), { recursive: true });
        fs.writeFileSync(path.join(legacy, file), 'old\n');
      }
      // WHEN
      const output = new AtomicOutput({ outdir: legacy });
      fs.writeFileSync(path.join(output.stagingDir, 'x.yaml'), 'x\n');
      output.commit();
      // THEN
      expect(content(legacy)).toEqual({ 'x.yaml': 'x\n' });
    });

    test('a link to a folder: the link stays a link, its target is replaced', () => {
      // GIVEN dist is a link into a folder elsewhere
      fs.renameSync(outdir, path.join(workdir, 'real'));
      fs.symlinkSync('real', outdir);
      // WHEN
      const output = new AtomicOutput({ outdir });
      fs.writeFileSync(path.join(output.stagingDir, 'new.yaml'), 'new\n');
      output.commit();
      // THEN
      expect(fs.lstatSync(outdir).isSymbolicLink()).toBe(true);
      expect(fs.readlinkSync(outdir)).toBe('real');
      expect(content(path.join(workdir, 'real'))).toEqual({ 'new.yaml': 'new\n' });
      expect(fs.readdirSync(workdir).sort()).toEqual(['dist', 'real']);
    });

    test('a link whose target does not exist yet: the target is created', () => {
      fs.rmSync(outdir, { recursive: true });
      fs.symlinkSync(path.join(workdir, 'later'), outdir);
      const output = new AtomicOutput({ outdir });
      fs.writeFileSync(path.join(output.stagingDir, 'x.yaml'), 'x\n');
      output.commit();
      expect(fs.lstatSync(outdir).isSymbolicLink()).toBe(true);
      expect(content(path.join(workdir, 'later'))).toEqual({ 'x.yaml': 'x\n' });
    });
  });

  describe('repairs what a killed synth left, at the next start', () => {
    /** A complete output as a synth writes it, with its marker. */
    const newOutput = (dir: string) => {
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'new.yaml'), 'new: true\n');
      fs.writeFileSync(path.join(dir, OUTPUT_MARKER_FILE), `# marker\n${createHash('sha256').update('new: true\n').digest('hex')}  new.yaml\n`);
    };
    const cases: ReadonlyArray<readonly [string, (dir: string) => void, Record<string, string>]> = [
      ['killed while staging', (dir) => newOutput(path.join(dir, '.dist.staging-a1b2c3')), { 'old.yaml': 'old: true\n' }],
      ['killed after the new output was complete, before the old one moved away', (dir) => newOutput(path.join(dir, '.dist.incoming')), { 'old.yaml': 'old: true\n' }],
      ['killed between the two renames: the new output is finished', (dir) => {
        fs.renameSync(path.join(dir, 'dist'), path.join(dir, '.dist.previous'));
        newOutput(path.join(dir, '.dist.incoming'));
      }, { 'new.yaml': 'new: true\n' }],
      ['killed while removing the old output', (dir) => {
        fs.renameSync(path.join(dir, 'dist'), path.join(dir, '.dist.previous'));
        newOutput(path.join(dir, 'dist'));
      }, { 'new.yaml': 'new: true\n' }],
      ['a moved-away output with no new one: it is put back', (dir) => fs.renameSync(path.join(dir, 'dist'), path.join(dir, '.dist.previous')), { 'old.yaml': 'old: true\n' }],
      ['leftovers named as version 0.1.0 named them', (dir) => {
        newOutput(path.join(dir, '.dist.previous-1234'));
        newOutput(path.join(dir, '.dist.incoming-x1y2z3'));
      }, { 'old.yaml': 'old: true\n' }],
      ['a lock of a process that is gone', (dir) => fs.writeFileSync(path.join(dir, '.dist.lock'), `${deadPid()} ${os.hostname()}\n`), { 'old.yaml': 'old: true\n' }],
      ['an empty lock file (killed while taking the lock)', (dir) => {
        fs.writeFileSync(path.join(dir, '.dist.lock'), '');
        const past = new Date(Date.now() - 60_000);
        fs.utimesSync(path.join(dir, '.dist.lock'), past, past);
      }, { 'old.yaml': 'old: true\n' }],
    ];
    test.each(cases)('%s', (_name, crash, expected) => {
      // GIVEN
      crash(workdir);
      // WHEN the next synth starts, and fails
      new AtomicOutput({ outdir }).discard();
      // THEN
      expect(content(outdir)).toEqual(expected);
      expect(fs.readdirSync(workdir)).toEqual(['dist']);
    });
  });

  describe('one synth at a time', () => {
    test('waits for a live synth that holds the lock, then names it', async () => {
      // GIVEN another live process holds the lock
      const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
      try {
        fs.writeFileSync(path.join(workdir, '.dist.lock'), `${holder.pid} ${os.hostname()}\n`);
        // WHEN / THEN
        const started = Date.now();
        expect(() => new AtomicOutput({ outdir, lockTimeoutSeconds: 0.3 })).toThrow(`another synth (pid ${holder.pid}) is writing this output folder`);
        expect(Date.now() - started).toBeGreaterThanOrEqual(300);
        expect(content(outdir)).toEqual({ 'old.yaml': 'old: true\n' });
      } finally {
        holder.kill();
      }
    });

    test('refuses a second output of the same folder in one process until the first is done', () => {
      const first = new AtomicOutput({ outdir });
      expect(() => new AtomicOutput({ outdir })).toThrow(/this process already holds .*\.dist\.lock: commit or discard/);
      first.discard();
      expect(() => new AtomicOutput({ outdir }).discard()).not.toThrow();
    });
  });
});

describe('MeshSynthesis with a hostile output or staging folder', () => {
  let project: string;
  beforeEach(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-folders-'));
    fs.mkdirSync(path.join(project, '.git'));
    fs.writeFileSync(path.join(project, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    fs.writeFileSync(path.join(project, 'README.md'), '# mine\n');
    fs.copyFileSync(path.join(__dirname, '..', '..', 'mesh.yaml'), path.join(project, 'mesh.yaml'));
  });
  afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

  const cases: ReadonlyArray<readonly [string, (dir: string) => { outdir?: string; stagingDir?: string }, RegExp]> = [
    ['MESH_OUTDIR=. (the project folder)', (dir) => ({ outdir: dir }), /output folder .* holds the input file .*mesh\.yaml/],
    ['CDK8S_OUTDIR=. (the project folder as the staging folder)', (dir) => ({ outdir: path.join(dir, 'dist'), stagingDir: dir }), /must be a folder of its own, outside the output folder|staging folder .* holds the input file/],
    ['CDK8S_OUTDIR=.. (the folder above the project)', (dir) => ({ outdir: path.join(dir, 'dist'), stagingDir: path.dirname(dir) }), /must be a folder of its own, outside the output folder/],
  ];
  test.each(cases)('%s: refused, and every file of the project is still there', (_name, folders, message) => {
    // GIVEN
    const before = snapshot(project);
    // WHEN
    const result = runSynth({ configPath: path.join(project, 'mesh.yaml'), ...folders(project) });
    // THEN
    expect(result.exitCode).toBe(1);
    expect(result.report).toMatch(message);
    expect(snapshot(project)).toEqual(before);
  });
});

describe('MeshSynthesis refuses an output or staging folder that holds a file the config reads, before anything is touched', () => {
  const repoRoot = path.join(__dirname, '..', '..');
  const dashboardJson = fs.readFileSync(path.join(repoRoot, 'examples', 'kube-prometheus-stack', 'dashboards', 'mesh-requests.json'), 'utf8');
  const crd = fs.readFileSync(path.join(repoRoot, '..', 'shared', 'crds', 'kiali-operator', 'kiali.io_kialis.yaml'), 'utf8');
  let workdir: string;
  beforeEach(() => { workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-inputs-')); });
  afterEach(() => fs.rmSync(workdir, { recursive: true, force: true }));

  /** A mesh.yaml in `config/` whose dashboard JSON and CRD files are where `layout` puts them. */
  function project(dir: string, layout: { dashboard: string; crds: string }): string {
    for (const [file, text] of [[layout.dashboard, dashboardJson], [layout.crds, crd]]) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    fs.mkdirSync(path.join(dir, 'config'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'config', 'mesh.yaml'), [
      'controlPlane: {}',
      'metrics: { prometheus: { inCluster: { namespace: monitoring } }, envoyStatsMonitor: {} }',
      'dashboards:',
      '  grafana: { sidecar: { namespace: monitoring } }',
      `  files: [{ name: mesh-requests, file: ../${layout.dashboard} }]`,
      `validation: { crds: [../${path.dirname(layout.crds)}] }`,
      '',
    ].join('\n'));
    return path.join(dir, 'config', 'mesh.yaml');
  }

  const cases: ReadonlyArray<readonly [string, { dashboard: string; crds: string }, (dir: string) => { outdir: string; stagingDir?: string }, RegExp]> = [
    ['an output folder holding a dashboard file', { dashboard: 'out/mesh-requests.json', crds: 'crds/kiali.yaml' }, (dir) => ({ outdir: path.join(dir, 'out') }),
      /output folder .*out holds the input file .*out\/mesh-requests\.json: a synth replaces its output folder whole, so point MESH_OUTDIR at a folder of its own/],
    ['an output folder above a dashboard file', { dashboard: 'shared/dashboards/mesh-requests.json', crds: 'crds/kiali.yaml' }, (dir) => ({ outdir: path.join(dir, 'shared') }),
      /output folder .*shared holds the input file .*shared\/dashboards\/mesh-requests\.json/],
    ['the folder of validation.crds as the output folder', { dashboard: 'dashboards/mesh-requests.json', crds: 'crds/kiali.yaml' }, (dir) => ({ outdir: path.join(dir, 'crds') }),
      /output folder .*crds holds the input file .*crds: a synth replaces/],
    ['an output folder above the CRD folder', { dashboard: 'dashboards/mesh-requests.json', crds: 'vendor/crds/kiali.yaml' }, (dir) => ({ outdir: path.join(dir, 'vendor') }),
      /output folder .*vendor holds the input file .*vendor\/crds/],
    ['a staging folder (CDK8S_OUTDIR) holding a dashboard file', { dashboard: 'staging/mesh-requests.json', crds: 'crds/kiali.yaml' }, (dir) => ({ outdir: path.join(dir, 'dist'), stagingDir: path.join(dir, 'staging') }),
      /staging folder .*staging holds the input file .*staging\/mesh-requests\.json: .*scratch folder/],
  ];
  test.each(cases)('%s', (_name, layout, folders, message) => {
    // GIVEN
    const configPath = project(workdir, layout);
    const before = snapshot(workdir);
    // WHEN
    const result = runSynth({ configPath, ...folders(workdir) });
    // THEN refused with the file named, and every file is still there, byte for byte
    expect(result.exitCode).toBe(1);
    expect(result.report).toMatch(message);
    expect(snapshot(workdir)).toEqual(before);
  });

  test('the same files elsewhere: the synth writes its output', () => {
    const configPath = project(workdir, { dashboard: 'dashboards/mesh-requests.json', crds: 'crds/kiali.yaml' });
    const result = runSynth({ configPath, outdir: path.join(workdir, 'dist') });
    expect(result.exitCode).toBe(0);
    expect(fs.readFileSync(path.join(workdir, 'dist', '40-dashboards.k8s.yaml'), 'utf8')).toMatch(/mesh-requests\.json: /);
  });

  describe('a TypeScript app through MeshSynthesis.ofApp', () => {
    function app(dir: string, files: { dashboard: string; crds: string }) {
      for (const [file, text] of [[files.dashboard, dashboardJson], [files.crds, crd]]) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
      }
      const cdk8sApp = new App();
      MeshValidation.of(cdk8sApp).addCrds(path.join(dir, files.crds)).addExternalNamespaces('monitoring');
      const chart = new Chart(cdk8sApp, 'dashboards');
      new GrafanaSidecarDashboards(chart, 'dashboards', { namespace: 'monitoring' })
        .addDashboard({ name: 'mesh-requests', json: DashboardJson.fromFile(path.join(dir, files.dashboard)) });
      return cdk8sApp;
    }

    test.each([
      ['a dashboard file read with DashboardJson.fromFile', { dashboard: 'out/dashboards/mesh-requests.json', crds: 'crds/kiali.yaml' }, /output folder .*out holds the input file .*out\/dashboards\/mesh-requests\.json/],
      ['a CRD file of MeshValidation.addCrds', { dashboard: 'dashboards/mesh-requests.json', crds: 'out/kiali.yaml' }, /output folder .*out holds the input file .*out\/kiali\.yaml/],
    ])('refuses an output folder holding %s', (_name, files, message) => {
      // GIVEN
      const cdk8sApp = app(workdir, files);
      const before = snapshot(workdir);
      // WHEN
      const result = MeshSynthesis.ofApp(cdk8sApp, { outdir: path.join(workdir, 'out') }).synthesize();
      // THEN
      expect(result.exitCode).toBe(1);
      expect(result.report).toMatch(message);
      expect(snapshot(workdir)).toEqual(before);
    });
  });
});
