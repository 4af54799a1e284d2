import { ApiObject, ApiObjectMetadata, GroupVersionKind } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * An ApiObject of a generated kind (`imports/`, cdk8s-plus-28's `k8s`), type-checked against the
 * kind's generated props, that renders those props as they are.
 *
 * The generated classes copy every object of the manifest once more at synth, field by field
 * through each level of the schema, to rename the few fields whose TypeScript name differs from
 * the JSON one. In meshes of thousands of namespaces that copy is a fifth of the synth. Use this
 * only for objects whose fields all keep their JSON names (check the kind's `toJson_*` functions)
 * and hold no IntOrString or other wrapper classes; the snapshot tests show the output unchanged.
 *
 * Internal: not re-exported from lib/index.ts.
 */
export function plainApiObject<P extends { readonly metadata?: ApiObjectMetadata }>(
  scope: Construct, id: string, gvk: GroupVersionKind, props: P,
): ApiObject {
  return new ApiObject(scope, id, { ...gvk, ...props });
}
