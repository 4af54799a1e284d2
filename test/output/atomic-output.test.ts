import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AtomicOutput } from '../../lib';
import { tree } from '../helpers/files';


describe('AtomicOutput', () => {
  let workdir: string;
  let outdir: string;
  beforeEach(() => {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-output-'));
    outdir = path.join(workdir, 'dist');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'old.yaml'), 'old: true\n');
  });
  afterEach(() => fs.rmSync(workdir, { recursive: true, force: true }));

  test('commit replaces the folder completely, leaving no stale file and no staging folder', () => {
    // GIVEN
    const output = new AtomicOutput({ outdir });
    fs.writeFileSync(path.join(output.stagingDir, 'new.yaml'), 'new: true\n');
    // WHEN
    output.commit();
    // THEN
    expect(tree(outdir)).toEqual({ 'new.yaml': 'new: true\n' });
    expect(fs.readdirSync(workdir)).toEqual(['dist']);
  });

  test('discard leaves the previous folder byte-identical', () => {
    // GIVEN a synth that wrote half its files, then failed
    const output = new AtomicOutput({ outdir });
    fs.writeFileSync(path.join(output.stagingDir, 'half.yaml'), 'half: true\n');
    // WHEN
    output.discard();
    // THEN
    expect(tree(outdir)).toEqual({ 'old.yaml': 'old: true\n' });
    expect(fs.readdirSync(workdir)).toEqual(['dist']);
  });

  test('a staging folder given by the cdk8s CLI is copied, not moved, without the CLI\'s construct metadata', () => {
    // GIVEN the CLI's output folder as staging
    const staging = path.join(workdir, '.cdk8s-staging');
    fs.mkdirSync(staging);
    fs.writeFileSync(path.join(staging, 'a.yaml'), 'a: 1\n');
    fs.writeFileSync(path.join(staging, 'construct-metadata.json'), '{}');
    const output = AtomicOutput.fromEnvironment({ CDK8S_OUTDIR: staging, MESH_OUTDIR: outdir });
    // WHEN
    output.commit();
    // THEN
    expect(tree(outdir)).toEqual({ 'a.yaml': 'a: 1\n' });
    expect(tree(staging)).toEqual({ 'a.yaml': 'a: 1\n', 'construct-metadata.json': '{}' });
  });

  test('an empty CDK8S_OUTDIR counts as unset: the staging folder is its own and leaves no trace', () => {
    // GIVEN the environment of a plain `npm run synth` with CDK8S_OUTDIR exported empty
    const output = AtomicOutput.fromEnvironment({ CDK8S_OUTDIR: '', MESH_OUTDIR: outdir });
    fs.writeFileSync(path.join(output.stagingDir, 'new.yaml'), 'new: true\n');
    // WHEN
    output.commit();
    // THEN
    expect(tree(outdir)).toEqual({ 'new.yaml': 'new: true\n' });
    expect(fs.readdirSync(workdir)).toEqual(['dist']);
  });

  test('refuses a staging folder that is the output folder', () => {
    expect(() => new AtomicOutput({ outdir, stagingDir: outdir })).toThrow(/staging folder must differ/);
  });
});
