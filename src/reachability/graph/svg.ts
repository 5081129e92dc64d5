import type { Graphviz } from '@hpcc-js/wasm-graphviz';
import { ButterError } from '../../errors';

/**
 * Graphviz compiled to WebAssembly, loaded on first use and kept: loading compiles about 800 kB
 * of WASM (a few hundred ms), while laying out a graph of this size takes milliseconds, so a
 * server re-drawing on every request must not load it again. Loaded lazily so that commands
 * that never draw (deploy, plan) do not pay for it at start-up.
 */
let graphviz: Promise<Graphviz> | undefined;

function loadGraphviz(): Promise<Graphviz> {
  graphviz ??= import('@hpcc-js/wasm-graphviz').then((m) => m.Graphviz.load()).catch((e: unknown) => {
    graphviz = undefined; // a failed load (out of memory...) may succeed next time
    throw new ButterError('GRAPHVIZ_UNAVAILABLE', `could not load Graphviz (WebAssembly): ${(e as Error)?.message ?? e}`, {
      hint: 'reinstall dependencies (npm ci); use --format dot to get the graph without drawing it',
    });
  });
  return graphviz;
}

/**
 * Lay out DOT text with Graphviz's `dot` engine, in process (no system Graphviz needed), and
 * return the SVG document.
 */
export async function renderSvg(dot: string): Promise<string> {
  const gv = await loadGraphviz();
  try {
    return gv.dot(dot, 'svg');
  } catch (e) {
    throw new ButterError('GRAPH_LAYOUT_FAILED', `Graphviz could not draw the graph: ${(e as Error)?.message ?? e}`, {
      hint: 'check the DOT text (butter graph --format dot) and report it if Butter wrote it',
    });
  }
}

/** The Graphviz version drawing the pictures (for page footers and bug reports). */
export async function graphvizVersion(): Promise<string> {
  return (await loadGraphviz()).version();
}

/**
 * The `<svg>` element of an SVG document, without the XML declaration and doctype that Graphviz
 * writes first: those are not allowed where the SVG is placed inside an HTML page.
 */
export function svgElement(svg: string): string {
  const start = svg.indexOf('<svg');
  if (start < 0) throw new ButterError('GRAPH_LAYOUT_FAILED', 'Graphviz returned no <svg> element', { hint: 'report this with the DOT text (butter graph --format dot)' });
  return svg.slice(start).trim();
}
