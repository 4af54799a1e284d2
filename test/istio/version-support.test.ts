import { IstioVersion, IstioVersionSupport } from '../../lib';

describe('IstioVersionSupport', () => {
  test.each([
    ['1.31.0', '1.32'],
    ['1.31.3', '1.36'],
    ['1.30.3', '1.32'],
    ['1.30.3', '1.36'],
    ['1.29.0', '1.31.4'],
    ['1.23.6', 'v1.27'],
    ['1.20.1', '1.25'],
  ])('Istio %s supports Kubernetes %s', (istio, kubernetes) => {
    // GIVEN / WHEN / THEN
    expect(() => IstioVersionSupport.assertSupports(IstioVersion.of(istio), kubernetes)).not.toThrow();
  });

  test('an unsupported pair names the range and the releases that fit', () => {
    // GIVEN
    const istio = IstioVersion.of('1.30.3');
    // WHEN / THEN
    expect(() => IstioVersionSupport.assertSupports(istio, '1.31'))
      .toThrow('Istio 1.30 supports Kubernetes 1.32 to 1.36, got kubernetesVersion 1.31: pick an Istio release that supports it (1.29, 1.28, 1.27, 1.26, 1.25, 1.24)');
    expect(() => IstioVersionSupport.assertSupports(IstioVersion.of('1.31.3'), '1.37')).toThrow(/Istio 1.31 supports Kubernetes 1.32 to 1.36, got kubernetesVersion 1.37/);
  });

  test('a Kubernetes release newer than any known Istio supports is refused', () => {
    expect(() => IstioVersionSupport.assertSupports(IstioVersion.of('1.30.3'), '1.40'))
      .toThrow(/got kubernetesVersion 1.40: no Istio release known to this library \(1.31, 1.30, .*1.20\) supports it/);
  });

  test('the lower bound is checked too', () => {
    expect(() => IstioVersionSupport.assertSupports(IstioVersion.of('1.24.6'), '1.27')).toThrow(/Istio 1.24 supports Kubernetes 1.28 to 1.31, got kubernetesVersion 1.27/);
  });

  test('an unknown Istio minor is a clear error', () => {
    expect(() => IstioVersionSupport.assertKnown(IstioVersion.of('1.19.10'))).toThrow(/Istio 1.19 is not a release this library knows .*known: 1.20 to 1.31/);
    expect(() => IstioVersionSupport.assertSupports(IstioVersion.of('1.32.0'), '1.33')).toThrow(/Istio 1.32 is not a release/);
  });

  test('a malformed Kubernetes version is refused', () => {
    expect(() => IstioVersionSupport.assertSupports(IstioVersion.LATEST, '33')).toThrow(/kubernetesVersion must look like 1.33.*got '33'/);
  });

  test('the supported set is the newest minor and the two before it: 1.31 made 1.28 end of life, 1.29 stays', () => {
    // GIVEN / WHEN / THEN
    expect(IstioVersionSupport.supportedMinors()).toEqual(['1.31', '1.30', '1.29']);
    expect(IstioVersionSupport.isEndOfLife(IstioVersion.of('1.28.10'))).toBe(true);
    expect(IstioVersionSupport.isEndOfLife(IstioVersion.of('1.29.10'))).toBe(false);
    expect(IstioVersionSupport.isEndOfLife(IstioVersion.of('1.31.3'))).toBe(false);
  });

  test('the range is exposed for messages and reports', () => {
    expect(IstioVersionSupport.kubernetesRange(IstioVersion.of('1.28.4'))).toEqual({ min: '1.30', max: '1.34' });
  });
});
