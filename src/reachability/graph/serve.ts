import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { ButterError, isButterError } from '../../errors';
import { graphPage, GraphPageProps } from './html';

/** One drawing of the graph, made afresh for each request. */
export type GraphDrawing = Omit<GraphPageProps, 'live' | 'generatedAt'>;

/** Props of {@link serveGraph}. */
export interface GraphServerProps {
  /**
   * Computes the graph from the current source (synthesized stacks, state...). `signal` is
   * aborted when every request waiting for this drawing has gone: stop promptly then (e.g. kill
   * the synth), since the next drawing starts only once this one has settled.
   */
  readonly draw: (signal: AbortSignal) => Promise<GraphDrawing>;
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
 * source, which is what makes the page's Refresh button meaningful.
 *
 * Drawings run one at a time: drawing may synthesize the cdktf app, and two synths writing one
 * output folder at once would read each other's half-written files. Requests that arrive while
 * one runs all wait for the next, which starts when it ends and answers them all: a burst of
 * requests costs two synths, not one each. A request whose client has gone (closed tab,
 * cancelled fetch) is dropped; a drawing no one waits for any more is not started, and one
 * already running is aborted (its signal), so requests arriving after it need not wait for it to
 * finish (8 abandoned requests used to make the next wait for 8 synths).
 *
 * Only requests addressed to this loopback server are answered (`Host` of localhost, 127.0.0.1 or
 * [::1] with its port): a web page on another site could otherwise point a name of its own at
 * 127.0.0.1 (DNS rebinding) and read the network's layout from the visitor's browser.
 */
export async function serveGraph(props: GraphServerProps): Promise<GraphServer> {
  const host = props.host ?? '127.0.0.1';
  const drawings = new DrawingQueue(props.draw);
  let allowedHosts = new Set<string>();

  const server = http.createServer((req, res) => {
    if (!allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
      return send(res, 421, 'text/plain', `this server answers only to ${[...allowedHosts][0]}\n`);
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'only GET\n', { allow: 'GET, HEAD' });
    if (url.pathname === '/' || url.pathname === '/index.html') {
      drawings.request(res, (d) => send(res, 200, 'text/html; charset=utf-8', graphPage({ ...d, live: true, generatedAt: new Date() })),
        (e) => send(res, 500, 'text/html; charset=utf-8', errorPage(e)));
    } else if (url.pathname === '/graph.svg') {
      drawings.request(res, (d) => send(res, 200, 'image/svg+xml; charset=utf-8', d.svg),
        // Plain text: the page shows it next to the Refresh button and keeps the old picture.
        (e) => send(res, 500, 'text/plain; charset=utf-8', `${describe(e)}\n`));
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
  allowedHosts = new Set(['127.0.0.1', 'localhost', '[::1]', host.includes(':') ? `[${host}]` : host].map((h) => `${h.toLowerCase()}:${port}`));
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections(); // a browser's keep-alive connection would hold close() open
    }),
  };
}

/** A waiting request: its response, and what to do with the drawing. */
interface Waiter {
  readonly res: http.ServerResponse;
  readonly done: (d: GraphDrawing) => void;
  readonly failed: (e: unknown) => void;
}

/**
 * Drawings one at a time; everyone waiting when one starts shares it; gone clients are dropped,
 * and a running drawing whose clients have all gone is aborted.
 */
class DrawingQueue {
  private running?: { readonly batch: Set<Waiter>; readonly abort: AbortController };
  private waiting = new Set<Waiter>();

  constructor(private readonly draw: (signal: AbortSignal) => Promise<GraphDrawing>) {}

  public request(res: http.ServerResponse, done: Waiter['done'], failed: Waiter['failed']): void {
    const waiter: Waiter = { res, done, failed };
    this.waiting.add(waiter);
    // The client went away before its answer: forget it; a drawing no one waits for is not made.
    res.once('close', () => {
      this.waiting.delete(waiter);
      const running = this.running;
      if (running?.batch.delete(waiter) && running.batch.size === 0) running.abort.abort(new Error('every request waiting for this drawing has gone'));
    });
    if (!this.running) void this.next();
  }

  private async next(): Promise<void> {
    const batch = this.waiting;
    this.waiting = new Set();
    if (batch.size === 0) return;
    const abort = new AbortController();
    this.running = { batch, abort };
    let result: { ok: true; drawing: GraphDrawing } | { ok: false; error: unknown };
    try {
      result = { ok: true, drawing: await this.draw(abort.signal) };
    } catch (error) {
      result = { ok: false, error };
    }
    this.running = undefined;
    for (const w of batch) {
      if (w.res.destroyed || w.res.writableEnded) continue; // left while it was drawn
      if (result.ok) w.done(result.drawing);
      else w.failed(result.error);
    }
    if (this.waiting.size > 0) void this.next();
  }
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
