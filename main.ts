import { MeshSynthesis, SynthResult } from './lib';

// The app: mesh.yaml (or the file MESH_CONFIG names) is read, checked and built into charts; they
// synthesize into a staging folder; every object is validated and dist/ (or MESH_OUTDIR) is
// replaced in one step, followed by a summary. A config or output problem leaves dist/ exactly
// as it was and exits 1, listing every problem.
const synthesis = MeshSynthesis.prepare({
  configPath: process.env.MESH_CONFIG || 'mesh.yaml',
  outdir: process.env.MESH_OUTDIR,
  // The cdk8s CLI passes its `output` folder; `npm run synth` leaves it unset.
  stagingDir: process.env.CDK8S_OUTDIR,
});
let result: SynthResult;
try {
  for (const app of synthesis.apps) {
    app.synth();
  }
  result = synthesis.complete();
} catch (error) {
  result = synthesis.fail(error);
}
// `cdk8s synth` keeps the app's stdout to itself and answers a non-zero exit code with a stack
// trace: under it, the report goes to stderr, and a failed synth removes the CLI's output folder
// (MeshSynthesis.fail) and exits 0, which the CLI reports in one line with exit code 1.
const underCdk8sCli = Boolean(process.env.CDK8S_OUTDIR);
if (result.exitCode === 0 && !underCdk8sCli) {
  console.log(result.report);
} else {
  console.error(result.report);
}
process.exitCode = underCdk8sCli ? 0 : result.exitCode;
