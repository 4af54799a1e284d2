import { MeshSynthesis, MeshSynthesisProps, SynthResult } from '../../lib';

/** The steps of main.ts, in-process: what `npm run synth` does, without a child process. */
export function runSynth(props: MeshSynthesisProps): SynthResult {
  return MeshSynthesis.prepare(props).synthesize();
}
