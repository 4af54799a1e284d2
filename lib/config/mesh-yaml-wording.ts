import { MeshFinding } from '../validation/mesh-analysis';

/**
 * The fixes that the mesh analysis words for TypeScript (constructs, props, methods), in the
 * words of a mesh.yaml user: each is the exact text the analysis writes, and its mesh.yaml
 * counterpart (a test checks that the analysis still writes each of them).
 */
export const MESH_YAML_WORDING: ReadonlyArray<readonly [typescript: string, meshYaml: string]> = [
  [
    'add it (MeshNamespace) or list it in externalNamespaces if another repository creates it',
    'add the part that creates it, or list it in the top-level externalNamespaces of the config if another repository creates it',
  ],
  [
    'fix the namespace, add it to the output, or list it in externalNamespaces',
    'fix the namespace, declare it under workloads.namespaces, or list it in workloads.externalNamespaces',
  ],
  [
    '(a SidecarScoping given the control plane as extensionProviders adds it to every Sidecar it derives)',
    '(the Sidecars derived from workloads.namespaces get it by themselves; this one comes from workloads.namespaces.<namespace>.sidecars.<name>.egressHosts)',
  ],
  [
    'emit it once (a MeshNamespace merges the labels of every part sharing a namespace) or rename one',
    'give one of the parts that render it another name or namespace',
  ],
  [
    'wire the backend by reference (its endpoint) instead of typing the host, fix the name, or declare the namespace in externalNamespaces (a public host in externalHosts)',
    'fix the URL or the name, or list the namespace in the top-level externalNamespaces of the config (write a public host with a final dot: example.com.)',
  ],
  [
    '(ClusterPlatform.use(app, ClusterPlatform.OPENSHIFT) makes the parts of this library do so)',
    '(platform: openshift at the top of the config makes the parts it renders do so)',
  ],
  [
    'declare the calling service (addService, with its serviceAccount), or declare the namespace external if another repository runs the caller',
    'declare the calling service under workloads.namespaces (with its serviceAccount), or list the namespace in workloads.externalNamespaces if another repository runs the caller',
  ],
  [
    'remove the injection label (SidecarInjection.none()) or the ambient mode (DataPlaneMode.SIDECAR)',
    'leave workloads.namespaces.<namespace>.injection out, or set its dataPlane: sidecar',
  ],
  [
    'or make the namespace a sidecar namespace (DataPlaneMode.SIDECAR)',
    'or set the namespace\'s dataPlane: sidecar (workloads.namespaces.<namespace>.dataPlane)',
  ],
  [
    'use an ambient profile (IstioProfile.AMBIENT)',
    'set controlPlane.profile: ambient',
  ],
];

/** `finding` with its fix in mesh.yaml words. */
export function inMeshYamlWords(finding: MeshFinding): MeshFinding {
  const message = MESH_YAML_WORDING.reduce((text, [typescript, meshYaml]) => text.split(typescript).join(meshYaml), finding.message);
  return message === finding.message ? finding : { ...finding, message };
}
