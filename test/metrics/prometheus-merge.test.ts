import { CrdSchemaValidator, PrometheusMerge } from '../../lib';

describe('PrometheusMerge', () => {
  test.each([
    [PrometheusMerge.ENABLED, true],
    [PrometheusMerge.DISABLED, false],
  ])('gives a meshConfig fragment the Sail schema accepts', (merge, enabled) => {
    // WHEN
    const fragment = merge.meshConfigFragment;
    // THEN
    expect(fragment).toEqual({ enablePrometheusMerge: enabled });
    expect(CrdSchemaValidator.shared().validateFragment('sailoperator.io/v1', 'Istio', ['spec', 'values', 'meshConfig'], fragment, 'meshConfig')).toEqual([]);
  });
});
