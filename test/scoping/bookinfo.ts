import { SidecarScoping, WorkloadNamespace } from '../../lib';

/** The guide's example: namespace istio-demo with bookinfo, whose calls stay within it. */
export function addBookinfo(scoping: SidecarScoping): WorkloadNamespace {
  const demo = scoping.addNamespace('istio-demo', { name: 'istio-demo' });
  const productpage = demo.addService('productpage', { ports: [9080] });
  const details = demo.addService('details', { ports: [9080] });
  const reviews = demo.addService('reviews', { ports: [9080] });
  const ratings = demo.addService('ratings', { ports: [9080] });
  productpage.calls(details, reviews);
  reviews.calls(ratings);
  return demo;
}
