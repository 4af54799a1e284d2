import { App, YamlOutputType } from 'cdk8s';
import { AtomicOutput } from './lib';

const output = AtomicOutput.fromEnvironment();
try {
  const app = new App({ outdir: output.stagingDir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  app.synth();
  output.commit();
} catch (error) {
  output.discard();
  console.error(`synth failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
