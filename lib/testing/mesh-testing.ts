import { ApiObject, Chart, Testing } from 'cdk8s';
import { MeshValidationOptions, assertValid } from '../validation/assert-valid';
import { Manifest } from '../validation/crd-schema-validator';
import { MeshValidation } from '../validation/mesh-validation';

/**
 * Unit tests of a consumer's charts with the checks of a synth: the objects of one chart, as
 * cdk8s's `Testing.synth` returns them for a snapshot, after every object of the whole app passed
 * the schema checks and the mesh analysis, so that a snapshot of output that would not apply is
 * never written.
 *
 * ```ts
 * const app = Testing.app();
 * const shop = new Chart(app, 'shop');
 * new MeshNamespace(shop, 'shop', { name: 'shop', injection: SidecarInjection.enabled() });
 * expect(MeshTesting.synth(shop)).toMatchSnapshot();
 * ```
 */
export class MeshTesting {
  /**
   * The objects of `chart`, once the whole app passed the checks with the app's
   * {@link MeshValidation} options and `options` added.
   * @throws MeshValidationError listing every problem of the app
   */
  public static synth(chart: Chart, options: MeshValidationOptions = {}): any[] {
    const validation = MeshValidation.of(chart);
    const appOptions = validation.validationOptions();
    // Each ApiObject rendered once, as a synth does.
    const manifests = chart.node.root.node.findAll().filter(ApiObject.isApiObject).map((apiObject) => apiObject.toJson() as Manifest);
    assertValid(manifests, {
      ...options,
      externalNamespaces: [...appOptions.externalNamespaces ?? [], ...options.externalNamespaces ?? []],
      externalHosts: [...appOptions.externalHosts ?? [], ...options.externalHosts ?? []],
    });
    // Checked above, with the options of this call: the app's own check would repeat it without them.
    MeshValidation.disable(chart);
    return Testing.synth(chart);
  }
}
