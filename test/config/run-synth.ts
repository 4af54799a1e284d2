import { MeshSynthesis, MeshSynthesisProps, SynthResult } from '../../lib';

/** The steps of main.ts, in-process: what `npm run synth` does, without a child process. */
export function runSynth(props: MeshSynthesisProps): SynthResult {
  const synthesis = MeshSynthesis.prepare(props);
  try {
    for (const app of synthesis.apps) {
      app.synth();
    }
    return synthesis.complete();
  } catch (error) {
    return synthesis.fail(error);
  }
}
