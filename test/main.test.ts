import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KUSTOMIZATION_FILE, readManifestFiles, validateMesh } from '../lib';
import { tree } from './helpers/files';

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');


/** Synthesizes main.ts into a fresh folder, the way `npm run synth` does. */
function synthesize(outdir: string): string {
  return execFileSync(process.execPath, [path.join(root, 'scripts', 'run-app.js')], {
    cwd: root, encoding: 'utf8', env: { ...process.env, MESH_OUTDIR: outdir, CDK8S_OUTDIR: '' },
  });
}

describe('main.ts', () => {
  let workdir: string;
  let fresh: string;
  let summary: string;
  beforeAll(() => {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'main-synth-'));
    fresh = path.join(workdir, 'dist');
    summary = synthesize(fresh);
  }, 120_000);
  afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

  test('the committed dist/ equals a fresh synth (run `npm run synth` after a change)', () => {
    const committed = tree(dist);
    const generated = tree(fresh);
    expect(Object.keys(committed)).toEqual(Object.keys(generated));
    for (const file of Object.keys(generated)) {
      expect({ file, content: committed[file] }).toEqual({ file, content: generated[file] });
    }
  });

  test('two syntheses are byte-identical', () => {
    const again = path.join(workdir, 'again');
    synthesize(again);
    expect(tree(again)).toEqual(tree(fresh));
  }, 120_000);

  test('every object validates against its upstream schema and the mesh checks pass', () => {
    const files = readManifestFiles(fresh);
    expect(validateMesh(files.flatMap((f) => f.manifests), { externalNamespaces: ['monitoring', 'grafana'] })).toEqual([]);
  });

  test('the summary names every file written', () => {
    for (const file of Object.keys(tree(fresh))) {
      expect(summary).toContain(file);
    }
  });

  test('the Kustomization lists the apply-order files and leaves out the istioctl input', () => {
    const kustomization = fs.readFileSync(path.join(fresh, KUSTOMIZATION_FILE), 'utf8');
    const topLevel = fs.readdirSync(fresh).filter((f) => f.endsWith('.k8s.yaml')).sort();
    expect(topLevel.length).toBeGreaterThan(3);
    for (const file of topLevel) {
      expect(kustomization).toContain(`  - ${file}\n`);
    }
    expect(kustomization).not.toContain('istioctl');
  });
});

describe('kubectl kustomize', () => {
  const kubectl = (() => {
    try {
      execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  test('builds dist/ as it is', () => {
    if (!kubectl) {
      throw new Error('kubectl (with kustomize v5) is not installed on this machine: install it to run this check');
    }
    const built = execFileSync('kubectl', ['kustomize', dist], { encoding: 'utf8' });
    const applied = readManifestFiles(dist).filter((f) => !f.file.startsWith('istioctl/')).flatMap((f) => f.manifests);
    expect(built.match(/^kind: /gm)?.length).toBe(applied.length);
  });
});
