import * as yaml from 'js-yaml';
import { renderKustomization } from '../../lib';

describe('renderKustomization', () => {
  test('keeps the resource order and adds common annotations', () => {
    // WHEN
    const rendered = yaml.load(renderKustomization({ resources: ['b.k8s.yaml', 'a.k8s.yaml'], commonAnnotations: { team: 'platform' } }));
    // THEN
    expect(rendered).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['b.k8s.yaml', 'a.k8s.yaml'],
      commonAnnotations: { team: 'platform' },
    });
  });
});
