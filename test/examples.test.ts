import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readManifestFiles } from '../lib';
import { tree } from './helpers/files';
import { runSynth } from './config/run-synth';

const root = path.resolve(__dirname, '..');
const examples = fs.readdirSync(path.join(root, 'examples')).filter((name) => fs.existsSync(path.join(root, 'examples', name, 'mesh.yaml'))).sort();

describe('examples', () => {
  let workdir: string;
  beforeAll(() => { workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'examples-')); });
  afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

  test('there are examples for each install path', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });

  test.each(examples)('examples/%s/dist/ equals a fresh synth of its mesh.yaml (run `npm run examples` after a change)', (name) => {
    // GIVEN
    const configPath = path.join(root, 'examples', name, 'mesh.yaml');
    const outdir = path.join(workdir, name);
    // WHEN
    const result = runSynth({ configPath, outdir });
    // THEN
    expect(result.report).toMatch(/^synth: \d+ objects/);
    const committed = tree(path.join(root, 'examples', name, 'dist'));
    const generated = tree(outdir);
    expect(Object.keys(committed)).toEqual(Object.keys(generated));
    for (const file of Object.keys(generated)) {
      expect({ file, content: committed[file] }).toEqual({ file, content: generated[file] });
    }
  }, 60_000);

  test.each([['the guide (dist/)', path.join(root, 'dist')], ...examples.map((name) => [name, path.join(root, 'examples', name, 'dist')])])(
    '%s installs the control plane exactly once, whichever the path', (_name, dist) => {
      // GIVEN the output of one install path
      const installs = readManifestFiles(dist).flatMap(({ file, manifests }) => manifests
        .filter((m) => (m.apiVersion === 'sailoperator.io/v1' && m.kind === 'Istio') || m.kind === 'IstioOperator')
        .map((m) => `${file}: ${m.kind}`));
      // THEN one Sail Istio, one IstioOperator for the in-cluster operator, or one istioctl input file
      expect(installs).toHaveLength(1);
    });
});
