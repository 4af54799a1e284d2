import { AccessMatrix, AuthorizationMode, LimitedCall, SidecarScoping, renderMeshDiagram } from '../../lib';
import { mermaidBlock, parseFlowcharts } from '../helpers/mermaid';
import { fragmentChart, synthValid } from '../helpers/manifests';
import { addBookinfo } from '../scoping/bookinfo';

function shopMesh(): { scoping: SidecarScoping; chart: ReturnType<typeof fragmentChart> } {
  const chart = fragmentChart();
  const scoping = new SidecarScoping(chart, 'scoping', { authorization: AuthorizationMode.ENFORCE });
  const catalog = scoping.addNamespace('catalog', { name: 'catalog', authorizationMode: AuthorizationMode.DRY_RUN });
  const api = catalog.addService('api', { ports: [80, 9090], targetPorts: { 80: 8080 } });
  catalog.addService('admin', { ports: [8443] });
  const shop = scoping.addNamespace('shop', { name: 'shop' });
  shop.addService('cart', { ports: [80] }).calls(LimitedCall.to(api, { ports: [80], methods: ['GET'], paths: ['/items/*'] }));
  shop.calls(api);
  return { scoping, chart };
}

describe('AccessMatrix', () => {
  test('lists every service of the authorized namespaces with its callers, ports, methods and paths', () => {
    // GIVEN
    const { scoping } = shopMesh();
    // WHEN
    const matrix = AccessMatrix.of(scoping);
    // THEN
    expect(matrix.toMarkdown()).toMatchSnapshot();
    expect(JSON.parse(matrix.toJson())).toEqual({
      trustDomain: 'cluster.local',
      services: [
        { namespace: 'catalog', service: 'admin', mode: 'DRY_RUN', serviceAccount: 'admin', callers: [] },
        {
          namespace: 'catalog', service: 'api', mode: 'DRY_RUN', serviceAccount: 'api',
          callers: [
            { namespace: 'shop', ports: [8080, 9090] },
            { namespace: 'shop', serviceAccount: 'cart', principal: 'cluster.local/ns/shop/sa/cart', ports: [8080], methods: ['GET'], paths: ['/items/*'] },
          ],
        },
        { namespace: 'shop', service: 'cart', mode: 'ENFORCE', serviceAccount: 'cart', callers: [] },
      ],
    });
    expect(matrix.toMarkdown()).toContain('| catalog/admin | dry run | nobody (allow-nothing) | | | |');
    expect(Object.keys(matrix.files())).toEqual(['access-matrix.md', 'access-matrix.json']);
  });

  test('writes nothing without authorization', () => {
    // GIVEN
    const scoping = new SidecarScoping(fragmentChart(), 'scoping');
    addBookinfo(scoping);
    // WHEN / THEN
    expect(AccessMatrix.of(scoping).files()).toEqual({});
  });

  test('MESH.md draws the allowed calls, across namespaces as edges and within one in its node', () => {
    // GIVEN
    const { chart, scoping } = shopMesh();
    addBookinfo(scoping);
    // WHEN
    const diagram = renderMeshDiagram(synthValid(chart));
    // THEN Mermaid's own parser reads the edges back
    const [result] = parseFlowcharts([mermaidBlock(diagram)]);
    expect(result.error).toBeUndefined();
    expect(result.edges).toEqual(expect.arrayContaining([
      { from: 'ns_shop', to: 'ns_catalog', text: 'allowed by api-callers on 8080 (dry run)' },
      { from: 'ns_shop', to: 'ns_catalog', text: 'allowed by api-callers on 8080, 9090 (dry run)' },
    ]));
    expect(result.vertices!.find((v) => v.id === 'ns_istio_demo')!.lines).toEqual(expect.arrayContaining([
      'sa productpage allowed by details-callers on 9080', 'sa reviews allowed by ratings-callers on 9080',
    ]));
  });
});
