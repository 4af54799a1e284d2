// Parses Mermaid flowcharts with Mermaid's own parser, as a Markdown viewer would before drawing
// them. Mermaid is an ES module that needs a DOM, so tests run this file in a node process of its
// own (test/helpers/mermaid.ts): JSON array of diagram texts on stdin, JSON array of results on
// stdout, one per diagram: { error } or { vertices: [{ id, lines }], edges: [{ from, to, text }] },
// with each label as a viewer shows it (entity codes decoded, HTML tags dropped, `<br/>` as a line break).
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

/** What a viewer shows of a parsed label: Mermaid keeps entity codes as placeholders until it draws. */
function shown(text) {
  const html = text.replace(/ﬂ°°/g, '&#').replace(/ﬂ°/g, '&').replace(/¶ß/g, ';');
  return html.split(/<br\s*\/?>/).map((line) => {
    const element = dom.window.document.createElement('div');
    element.innerHTML = line;
    return element.textContent;
  });
}

let input = '';
for await (const chunk of process.stdin) {
  input += chunk;
}
const results = [];
for (const text of JSON.parse(input)) {
  try {
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    results.push({
      vertices: [...diagram.db.getVertices().values()].map((vertex) => ({ id: vertex.id, lines: shown(vertex.text) })),
      edges: diagram.db.getEdges().map((edge) => ({ from: edge.start, to: edge.end, text: shown(edge.text).join('\n') })),
    });
  } catch (error) {
    results.push({ error: String(error?.message ?? error) });
  }
}
process.stdout.write(JSON.stringify(results));
