import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tree } from '../helpers/files';

const ROOT = path.join(__dirname, '..', '..');
const IMPORT_SCRIPT = path.join(ROOT, 'scripts', 'import.js');

function runImport(env: Record<string, string>) {
  return spawnSync(process.execPath, [IMPORT_SCRIPT], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
}

describe('npm run import', () => {
  let workdir: string;
  beforeEach(() => { workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-')); });
  afterEach(() => fs.rmSync(workdir, { recursive: true, force: true }));

  test('with inputs missing, lists every missing one and leaves the imports folder as it was', () => {
    // GIVEN an imports folder and a CRD folder that holds only one of the inputs
    const outdir = path.join(workdir, 'imports');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'kept.ts'), 'export {};\n');
    const crdDir = path.join(workdir, 'crds');
    fs.mkdirSync(path.join(crdDir, 'kiali-operator'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, '..', 'shared', 'crds', 'kiali-operator', 'kiali.io_kialis.yaml'), path.join(crdDir, 'kiali-operator', 'kiali.io_kialis.yaml'));
    // WHEN
    const result = runImport({ CRD_DIR: crdDir, IMPORT_OUTDIR: outdir });
    // THEN
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^import: nothing was written; 25 of 26 inputs are missing or wrong/);
    expect(result.stderr).toContain(`${path.join(crdDir, 'istio', 'crd-all.gen.yaml')} not found`);
    expect(result.stderr).toContain(`${path.join(crdDir, 'gateway-api', 'gateway.networking.k8s.io_httproutes.yaml')} not found`);
    expect(result.stderr).not.toContain('kiali.io_kialis.yaml not found');
    expect(tree(outdir)).toEqual({ 'kept.ts': 'export {};\n' });
    expect(fs.readdirSync(workdir).sort()).toEqual(['crds', 'imports']);
  });

  test('regenerates exactly the committed imports/ from the upstream CRDs, through a staging folder', () => {
    // GIVEN an old imports folder with a file the new one does not have
    const outdir = path.join(workdir, 'imports');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'stale.ts'), 'export {};\n');
    // WHEN
    const result = runImport({ IMPORT_OUTDIR: outdir });
    // THEN
    expect(result.status).toBe(0);
    expect(tree(outdir)).toEqual(tree(path.join(ROOT, 'imports')));
    expect(fs.readdirSync(workdir)).toEqual(['imports']);
  }, 180_000);
});
