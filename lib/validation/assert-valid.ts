import { ApiObject, App } from 'cdk8s';
import { Manifest } from './crd-schema-validator';
import { MeshAnalysisOptions, MeshFinding, MeshRule, analyzeMesh } from './mesh-analysis';
import { ValidateManifestsOptions, validateManifests } from './validate-manifests';

/** Options of {@link validateMesh}, {@link assertValid} and {@link validateApp}. */
export interface MeshValidationOptions extends MeshAnalysisOptions, ValidateManifestsOptions {}

/** Thrown when the output has problems; its message lists all of them, one a line. */
export class MeshValidationError extends Error {
  constructor(public readonly findings: readonly MeshFinding[]) {
    super([
      `the output has ${findings.length} problem${findings.length === 1 ? '' : 's'}; nothing was written:`,
      ...findings.map(formatFinding),
    ].join('\n'));
    this.name = 'MeshValidationError';
  }
}

/** `<object> <path>: <message>`, the line a finding takes in reports. */
export function formatFinding(finding: MeshFinding): string {
  return `${finding.object} ${finding.path}: ${finding.message}`;
}

/**
 * Every problem of the output: schema violations ({@link validateManifests}) first, then the
 * semantic findings ({@link analyzeMesh}).
 */
export function validateMesh(manifests: readonly Manifest[], options: MeshValidationOptions = {}): MeshFinding[] {
  return [
    ...validateManifests(manifests, options).map((violation) => ({ rule: MeshRule.SCHEMA, ...violation })),
    ...analyzeMesh(manifests, options),
  ];
}

/** Throws a {@link MeshValidationError} listing all problems of the output, if it has any. */
export function assertValid(manifests: readonly Manifest[], options: MeshValidationOptions = {}): void {
  const findings = validateMesh(manifests, options);
  if (findings.length > 0) {
    throw new MeshValidationError(findings);
  }
}

/**
 * Checks the objects of all charts, as `app.synth()` renders them, and throws a
 * {@link MeshValidationError} listing all problems. Call it before `app.synth()`, or before
 * committing the synthesized output.
 */
export function validateApp(app: App, options: MeshValidationOptions = {}): void {
  // Rendering each ApiObject once; Chart.toJson() would re-validate the whole app per chart.
  const manifests = app.node.findAll().filter((node) => ApiObject.isApiObject(node)).map((apiObject) => (apiObject as ApiObject).toJson() as Manifest);
  assertValid(manifests, options);
}
