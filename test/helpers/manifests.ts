import { App, Chart, Testing } from 'cdk8s';
import { Manifest, MeshValidation, validateManifests } from '../../lib';

/**
 * An app that holds one part of a mesh, for testing a construct alone: its synthesis skips the
 * whole-output check (MeshValidation), which would refuse the namespaces and services that the
 * other parts of a mesh would render.
 */
export function fragmentApp(): App {
  const app = Testing.app();
  MeshValidation.disable(app);
  return app;
}

/** A chart of a {@link fragmentApp}. */
export function fragmentChart(): Chart {
  return new Chart(fragmentApp(), 'test');
}

/** Synthesizes a chart and fails the test if any object breaks its upstream schema. */
export function synthValid(chart: Chart): Manifest[] {
  const manifests = Testing.synth(chart) as Manifest[];
  expect(validateManifests(manifests)).toEqual([]);
  return manifests;
}

/** The only object of a kind (and name, if given); fails when there is not exactly one. */
export function findOne(manifests: readonly Manifest[], kind: string, name?: string): any {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata?.name === name));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` named ${name}` : ''}, found ${found.length}`);
  }
  return found[0];
}
