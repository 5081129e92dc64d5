import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { ButterError, isButterError } from '../../errors';
import { graphPage, GraphPageProps } from './html';

/** One drawing of the graph, made afresh for each request. */
export type GraphDrawing = Omit<GraphPageProps, 'live' | 'generatedAt'>;

/** Props of {@link serveGraph}. */
export interface GraphServerProps {
  /** Computes the graph from the current source (synthesized stacks, state...). */
  readonly draw: () => Promise<GraphDrawing>;
  /**
   * TCP port; 0 picks a free one.
   * @default 8040
   */
  readonly port?: number;
  /**
   * Address to listen on. Loopback only by default: the page shows a network's layout.
   * @default '127.0.0.1'
   */
  readonly host?: string;
}

/** A running graph server. */
export interface GraphServer {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** Stop listening and close open connections. */
  close(): Promise<void>;
}

/** The port `butter graph --serve` listens on unless told otherwise. */
export const DEFAULT_GRAPH_PORT = 8040;

/**
 * Serve the graph page at `/` and the graph alone at `/graph.svg`, both drawn from the current
 * source on every request, which is what makes the page's Refresh button meaningful.
 *
 * Drawings run one at a time: drawing may synthesize the cdktf app, and two synths writing one
 * output folder at once would read each other's half-written files.
 */
export async function serveGraph(props: GraphServerProps): Promise<GraphServer> {
  const host = props.host ?? '127.0.0.1';
  let queue: Promise<unknown> = Promise.resolve();
  const draw = (): Promise<GraphDrawing> => {
    const next = queue.then(() => props.draw());
    queue = next.catch(() => undefined);
    return next;
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'only GET\n', { allow: 'GET, HEAD' });
    if (url.pathname === '/' || url.pathname === '/index.html') {
      draw().then(
        (d) => send(res, 200, 'text/html; charset=utf-8', graphPage({ ...d, live: true, generatedAt: new Date() })),
        (e) => send(res, 500, 'text/html; charset=utf-8', errorPage(e)),
      );
    } else if (url.pathname === '/graph.svg') {
      draw().then(
        (d) => send(res, 200, 'image/svg+xml; charset=utf-8', d.svg),
        // Plain text: the page shows it next to the Refresh button and keeps the old picture.
        (e) => send(res, 500, 'text/plain; charset=utf-8', `${describe(e)}\n`),
      );
    } else {
      send(res, 404, 'text/plain', 'not found: the graph is at / and /graph.svg\n');
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'EADDRINUSE'
        ? new ButterError('PORT_IN_USE', `port ${props.port ?? DEFAULT_GRAPH_PORT} on ${host} is already in use`, { hint: 'choose another with --port N (0 picks a free one)' })
        : new ButterError('SERVE_FAILED', `cannot listen on ${host}:${props.port ?? DEFAULT_GRAPH_PORT}: ${e.message}`, { hint: 'choose another --port' }));
    });
    server.listen(props.port ?? DEFAULT_GRAPH_PORT, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections(); // a browser's keep-alive connection would hold close() open
    }),
  };
}

function send(res: http.ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** A ButterError's own message (code and fix included); anything else is a bug, said so. */
function describe(e: unknown): string {
  return isButterError(e) ? e.message : `internal error: ${(e as Error)?.message ?? String(e)}`;
}

function errorPage(e: unknown): string {
  const text = describe(e).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>butter graph: error</title></head>\n<body><h1>The graph could not be drawn</h1>\n<pre>${text}</pre>\n<p>Fix it and reload this page.</p></body></html>\n`;
}
