import * as fs from 'fs';
import * as path from 'path';
import { Manifest } from '../validation/crd-schema-validator';
import { ApplyPhasePlan, splitIntoPhaseFiles } from './apply-phase';
import { KUSTOMIZATION_FILE, renderKustomization } from './kustomization';
import { renderMeshDiagram } from './mesh-diagram';
import { ManifestFile, readManifestFiles } from './staged-manifests';

/** The diagram written beside the manifests. */
export const MESH_DIAGRAM_FILE = 'MESH.md';

/** Props of {@link finalizeOutput}. */
export interface FinalizeOutputProps {
  /** The staging folder the app synthesized into. */
  readonly stagingDir: string;
  /**
   * Sub-folders whose manifests are not for `kubectl apply` (the istioctl input file): they are
   * read and validated, but kept out of the kustomization.
   * @default - none
   */
  readonly notForApply?: readonly string[];
  /**
   * Other files to write, by path relative to the folder (reports). Put JSON and YAML that is not
   * a Kubernetes object in a sub-folder: `kubectl apply -f dist/` reads every top-level file.
   * @default - none
   */
  readonly extraFiles?: Readonly<Record<string, string>>;
  /**
   * Checks all manifests before anything else is written; throws to stop the synth.
   * @default - no check
   */
  readonly validate?: (manifests: readonly Manifest[]) => void;
  /**
   * The apply phase of every object: the top-level chart files are rewritten into one file per
   * phase (per chart in the mesh phase), numbered by phase.
   * @default - the chart files stay as cdk8s wrote them
   */
  readonly phases?: ApplyPhasePlan;
}

/** What {@link finalizeOutput} wrote. */
export interface FinalizedOutput {
  readonly manifestFiles: readonly ManifestFile[];
  /** Files other than manifests, relative to the folder, sorted. */
  readonly otherFiles: readonly string[];
}

/**
 * Completes a staged synth: validates what cdk8s wrote, splits it into apply-phase files, then
 * adds the `Kustomization` (every top-level manifest file in apply order), `MESH.md` and the
 * extra files.
 */
export function finalizeOutput(props: FinalizeOutputProps): FinalizedOutput {
  const synthesized = readManifestFiles(props.stagingDir);
  props.validate?.(synthesized.flatMap((f) => f.manifests));
  const manifestFiles = props.phases ? splitIntoPhaseFiles(props.stagingDir, synthesized, props.phases) : synthesized;

  const notForApply = (props.notForApply ?? []).map((folder) => `${folder.replace(/\/$/, '')}/`);
  const applied = manifestFiles.filter(({ file }) => !notForApply.some((folder) => file.startsWith(folder)));
  const written: Record<string, string> = {
    [KUSTOMIZATION_FILE]: renderKustomization({ resources: applied.map((f) => f.file) }),
    [MESH_DIAGRAM_FILE]: renderMeshDiagram(applied.flatMap((f) => f.manifests)),
    ...props.extraFiles,
  };
  for (const [file, content] of Object.entries(written)) {
    const target = path.join(props.stagingDir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
  return { manifestFiles, otherFiles: Object.keys(written).sort() };
}
