import { ReachabilityModel } from '../model';
import { DotOptions, toDot } from './dot';
import { graphPage } from './html';
import { renderSvg } from './svg';

export { toDot, DotOptions } from './dot';
export { renderSvg, svgElement, graphvizVersion } from './svg';
export { graphPage, GraphPageProps } from './html';
export { serveGraph, GraphServer, GraphServerProps, GraphDrawing, DEFAULT_GRAPH_PORT } from './serve';

/** The forms `butter graph --format` writes. */
export type GraphFormat = 'dot' | 'svg' | 'html';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['dot', 'svg', 'html'];

/** Options for {@link drawGraph}. */
export interface DrawOptions extends DotOptions {
  /**
   * What the graph was read from, shown on the HTML page.
   * @default - not shown
   */
  readonly source?: string;
}

/** The model drawn in one of the {@link GRAPH_FORMATS}. */
export async function drawGraph(model: ReachabilityModel, format: GraphFormat, options: DrawOptions = {}): Promise<string> {
  // The page has its own heading: a title drawn into the picture too would say it twice.
  const dot = toDot(model, format === 'html' ? { ...options, title: undefined } : options);
  if (format === 'dot') return dot;
  const svg = await renderSvg(dot);
  if (format === 'svg') return svg;
  return graphPage({ svg, title: options.title, source: options.source, counts: countsOf(model) });
}

/** What the HTML page summarizes under its title. */
export function countsOf(model: ReachabilityModel): Record<string, number> {
  return { networks: model.networks.length, services: model.services.length, rules: model.rules.length };
}
