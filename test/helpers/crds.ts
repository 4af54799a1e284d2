/**
 * A CRD of a kind no shipped CRD defines, `example.com/v1` Widget, whose `spec` has the schema given:
 * what a consumer's own CRD looks like to validation.
 */
export function widgetCrd(specSchema: Record<string, unknown>) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
      scope: 'Namespaced',
      versions: [{
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: specSchema } } },
      }],
    },
  };
}
