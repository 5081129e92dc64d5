import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { countsOf, drawGraph, GRAPH_FORMATS, GraphFormat, renderSvg, serveGraph, toDot, DEFAULT_GRAPH_PORT } from '../reachability/graph';
import { displayPath } from '../errors';
import { writeFileAtomic } from '../util/atomic-file';
import { loadModel, sourceOptions, SourceFlags } from './paths';

interface GraphFlags extends SourceFlags {
  readonly format: GraphFormat;
  readonly output?: string;
  readonly title?: string;
  readonly serve?: boolean;
  readonly port: number;
}

/**
 * `butter graph`: the seed's `graph()` (a DOT summary of networks, services and paths), drawn
 * in process as SVG or an HTML page, or served with a Refresh that recomputes it.
 */
export function registerGraphCommands(program: Command): void {
  sourceOptions(program
    .command('graph [stacks...]')
    .description('draw who can reach what: networks as boxes, services as nodes, allowed traffic as arrows labelled protocol:port')
    .addOption(new Option('--format <format>', 'what to write').choices(GRAPH_FORMATS).default('dot'))
    .option('-o, --output <file>', 'write to a file (default: stdout)')
    .option('--title <text>', 'a title for the picture (default: none; the HTML page says "Butter reachability")')
    .addOption(new Option('--serve', 'serve the graph page on 127.0.0.1; its Refresh button recomputes the graph from the current source').conflicts(['output']))
    .addOption(new Option('--port <n>', 'port for --serve (0: any free port)').argParser(parsePortNumber).default(DEFAULT_GRAPH_PORT)))
    .action(async (stacks: string[], _opts, cmd: Command) => {
      const o = cmd.optsWithGlobals<GraphFlags>();
      if (o.serve) return serve(o, stacks);
      const { model, source } = await loadModel(o, stacks);
      const text = await drawGraph(model, o.format, { title: o.title, source });
      if (!o.output) return void process.stdout.write(text);
      const file = path.resolve(o.output); // like any file argument: relative to where butter runs, not -C
      writeFileAtomic(file, text);
      process.stderr.write(`wrote ${displayPath(file)}\n`);
    });
}

/**
 * Serve until Ctrl-C (SIGINT) or SIGTERM. Every request reads the source again (synthesizing
 * unless --no-synth), so the page's Refresh shows the stacks as they are now.
 */
async function serve(o: GraphFlags, stacks: string[]): Promise<void> {
  const server = await serveGraph({
    port: o.port,
    // A drawing whose requests have all gone is aborted: its synth is killed (serve.ts).
    draw: async (signal) => {
      const { model, source } = await loadModel(o, stacks, signal);
      return { svg: await renderSvg(toDot(model)), title: o.title, source, counts: countsOf(model) };
    },
  });
  process.stdout.write(`serving the graph at ${server.url} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  process.stderr.write('stopped\n');
}

function parsePortNumber(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new InvalidArgumentError(`"${text}" is not a TCP port (0 to 65535) [PORT_INVALID]`);
  return n;
}
