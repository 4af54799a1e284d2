import { runSynth } from './lib';

// The app: mesh.yaml (or the file MESH_CONFIG names) -> load and check -> build the charts ->
// synthesize into a staging folder -> validate and finalize -> replace dist/ (or MESH_OUTDIR) in
// one step -> summary. A config or output problem leaves dist/ exactly as it was and exits 1.
const result = runSynth({
  configPath: process.env.MESH_CONFIG || 'mesh.yaml',
  outdir: process.env.MESH_OUTDIR,
  // The cdk8s CLI passes its `output` folder; `npm run synth` leaves it unset.
  stagingDir: process.env.CDK8S_OUTDIR,
});
if (result.exitCode === 0) {
  console.log(result.report);
} else {
  console.error(result.report);
}
process.exitCode = result.exitCode;
