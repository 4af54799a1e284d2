import { MeshSynthesis } from './lib';

// The app: mesh.yaml (or the file MESH_CONFIG names) is read, checked and built into charts; they
// synthesize into a staging folder; every object is validated and dist/ (or MESH_OUTDIR) is
// replaced in one step, followed by a summary. A config or output problem leaves dist/ exactly
// as it was and exits 1, listing every problem (under `cdk8s synth`, see MeshSynthesis.run).
MeshSynthesis.prepare({
  configPath: process.env.MESH_CONFIG || 'mesh.yaml',
  outdir: process.env.MESH_OUTDIR,
  // The cdk8s CLI passes its `output` folder; `npm run synth` leaves it unset.
  stagingDir: process.env.CDK8S_OUTDIR,
}).run();
