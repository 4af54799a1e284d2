import { didYouMean, inDocumentOrder, joinPath } from '../../lib/config/key-paths';

describe('didYouMean', () => {
  test.each([
    ['tracng', ['tracing', 'metrics'], 'tracing'],
    ['sial', ['sail', 'istioctl'], 'sail'],
    ['WebRoot', ['webRoot', 'name'], 'webRoot'],
    ['flavour', ['profile', 'hub', 'tag'], undefined],
  ])('%s among %p -> %p', (word, candidates, expected) => {
    expect(didYouMean(word, candidates)).toBe(expected);
  });
});

describe('joinPath', () => {
  test('keys join with dots, list indexes in brackets, nothing before a top-level key', () => {
    expect(joinPath(joinPath(joinPath('', 'workloads'), 'namespaces'), 'shop')).toBe('workloads.namespaces.shop');
    expect(joinPath('calls', 2)).toBe('calls[2]');
  });
});

describe('inDocumentOrder', () => {
  test('problems follow the file; a missing key sorts where its parent is; ties keep their order', () => {
    // GIVEN
    const document = { controlPlane: { hub: 'x' }, tracing: { samplingPercent: 1 }, workloads: { namespaces: { shop: { services: {} } } } };
    const problems = [
      { path: 'workloads.namespaces.shop', message: 'c' },
      { path: 'tracing.backend', message: 'b' },
      { path: 'controlPlane.hub', message: 'a' },
      { path: 'tracing.samplingPercent', message: 'b2' },
    ];
    // WHEN
    const ordered = inDocumentOrder(problems, document);
    // THEN
    expect(ordered.map((problem) => problem.message)).toEqual(['a', 'b', 'b2', 'c']);
  });
});
