import { Testing } from 'cdk8s';
import { Manifest, MeshBuild, MeshConfigError, MeshSpec, buildMesh, validateMesh } from '../../lib';

/** What {@link buildValidated} built: the mesh and what each chart renders. */
export interface ValidatedBuild {
  readonly mesh: MeshBuild;
  /** Each chart's objects, by chart id. */
  readonly byChart: Record<string, Manifest[]>;
  /** Every chart's objects. */
  readonly manifests: Manifest[];
  /** The objects of the istioctl input file, when one is written. */
  readonly istioctl: Manifest[];
}

/** Builds a spec, renders every chart, and fails unless the output passes the schema and mesh checks. */
export function buildValidated(spec: MeshSpec): ValidatedBuild {
  const mesh = buildMesh(Testing.app(), spec);
  const byChart = Object.fromEntries(mesh.charts.map((chart) => [chart.node.id, chart.toJson() as Manifest[]]));
  const manifests = Object.values(byChart).flat();
  const istioctl = (mesh.istioctlApp?.charts ?? []).flatMap((chart) => chart.toJson() as Manifest[]);
  expect(validateMesh([...manifests, ...istioctl], { externalNamespaces: mesh.externalNamespaces, declaredWorkloads: mesh.scoping?.declaredWorkloads })).toEqual([]);
  return { mesh, byChart, manifests, istioctl };
}

/** The key paths and messages buildMesh refuses a spec with; none when it builds. */
export function problemsOf(spec: MeshSpec): Array<{ path: string; message: string }> {
  try {
    buildMesh(Testing.app(), spec);
  } catch (error) {
    if (MeshConfigError.isMeshConfigError(error)) {
      return error.problems.map(({ path: keyPath, message }) => ({ path: keyPath, message }));
    }
    throw error;
  }
  return [];
}
