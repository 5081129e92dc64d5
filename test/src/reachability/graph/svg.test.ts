import { renderSvg, svgElement, graphvizVersion } from '../../../../src/reachability/graph/svg';
import { toDot } from '../../../../src/reachability/graph/dot';
import { sampleModel } from './sample';

/** XML character references, as a browser shows them (Graphviz writes `-` as `&#45;`). */
function decode(text: string): string {
  const named: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" };
  return text.replace(/&(#\d+|[a-z]+);/g, (_, e: string) => (e.startsWith('#') ? String.fromCharCode(Number(e.slice(1))) : named[e] ?? `&${e};`));
}

describe('renderSvg', () => {
  test('draws the DOT in process: a cluster per network, a node per service and CIDR, an edge per rule', async () => {
    const svg = await renderSvg(toDot(sampleModel()));
    expect(svg).toMatch(/^<\?xml /);
    expect(svg.match(/<g id="clust\d+" class="cluster">/g)).toHaveLength(2);
    expect(svg.match(/<g id="node\d+" class="node">/g)).toHaveLength(7); // 5 services, 2 CIDR blocks
    expect(svg.match(/<g id="edge\d+" class="edge">/g)).toHaveLength(6);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => decode(m[1]));
    for (const name of ['dev', 'ops', 'lb', 'web', 'db', 'metrics', 'dns', 'internet', '0.0.0.0/0', '10.0.0.0/8', 'tcp:443', 'tcp:80', 'tcp:8000-8080', 'udp:53', 'all', 'icmp']) {
      expect(texts).toContain(name);
    }
    // Tooltips become link titles: hovering an edge names the rule.
    expect(svg).toContain('xlink:title="tcp:443 allowed by rule.dev_lb_tcp&#45;443"');
  });

  test('loads Graphviz once and reports its version', async () => {
    expect(await graphvizVersion()).toMatch(/^\d+\.\d+\.\d+/);
    const started = Date.now();
    await renderSvg('digraph { a -> b }');
    expect(Date.now() - started).toBeLessThan(200); // WASM already compiled: no second load
  });

  test('DOT that Graphviz cannot parse is a ButterError, not a crash', async () => {
    await expect(renderSvg('digraph { a -> ')).rejects.toMatchObject({ code: 'GRAPH_LAYOUT_FAILED' });
    // ...and the renderer still works afterwards.
    expect(await renderSvg('digraph { x }')).toContain('<svg');
  });

  test('svgElement drops the XML declaration and doctype (not allowed inside HTML)', async () => {
    const svg = await renderSvg('digraph { a }');
    const element = svgElement(svg);
    expect(element.startsWith('<svg')).toBe(true);
    expect(element).not.toContain('<?xml');
    expect(element).not.toContain('<!DOCTYPE');
    expect(element.trimEnd().endsWith('</svg>')).toBe(true);
    expect(() => svgElement('not svg')).toThrow(expect.objectContaining({ code: 'GRAPH_LAYOUT_FAILED' }));
  });
});
