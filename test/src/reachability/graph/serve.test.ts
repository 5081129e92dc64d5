import * as http from 'node:http';
import { ButterError } from '../../../../src/errors';
import { serveGraph, GraphServer } from '../../../../src/reachability/graph/serve';
import { renderSvg } from '../../../../src/reachability/graph/svg';

describe('serveGraph', () => {
  let server: GraphServer;
  let draws = 0;
  let failWith: unknown;
  let concurrent = 0;
  let maxConcurrent = 0;

  beforeAll(async () => {
    server = await serveGraph({
      port: 0,
      draw: async () => {
        concurrent += 1;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        try {
          draws += 1;
          await new Promise((r) => setTimeout(r, 20));
          if (failWith) throw failWith;
          return { svg: await renderSvg(`digraph { "service:dev/s${draws}" [label="s${draws}"] }`), title: 'served', counts: { services: draws } };
        } finally {
          concurrent -= 1;
        }
      },
    });
  });
  afterAll(() => server.close());

  test('listens on loopback, on a free port when asked for port 0', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.url).not.toBe('http://127.0.0.1:0/');
  });

  test('/ is the live page, drawn on request', async () => {
    const before = draws;
    const r = await fetch(server.url);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('cache-control')).toBe('no-store');
    const html = await r.text();
    expect(html).toContain('<body data-live="true">');
    expect(html).toContain('<title>served</title>');
    expect(html).toContain(`>s${before + 1}</text>`);
    expect(html).toMatch(/drawn \d{4}-\d\d-\d\dT/);
  });

  test('/graph.svg is recomputed on every request', async () => {
    const first = await (await fetch(`${server.url}graph.svg`)).text();
    const r = await fetch(`${server.url}graph.svg`);
    expect(r.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const second = await r.text();
    expect(first).toMatch(/>s(\d+)<\/text>/);
    const n = Number(/>s(\d+)<\/text>/.exec(first)![1]);
    expect(second).toContain(`>s${n + 1}</text>`);
  });

  test('drawings run one at a time (a synth must not overlap another)', async () => {
    maxConcurrent = 0;
    await Promise.all([1, 2, 3, 4].map(() => fetch(`${server.url}graph.svg`).then((r) => r.text())));
    expect(maxConcurrent).toBe(1);
  });

  test('a failed drawing is a 500 with the error and its fix, and the next request draws again', async () => {
    failWith = new ButterError('STACK_UNKNOWN', 'no stack named "x"', { hint: 'stacks are: a' });
    const svg = await fetch(`${server.url}graph.svg`);
    expect(svg.status).toBe(500);
    expect(await svg.text()).toBe('no stack named "x" [STACK_UNKNOWN]\n  fix: stacks are: a\n');
    const page = await fetch(server.url);
    expect(page.status).toBe(500);
    expect(await page.text()).toContain('<pre>no stack named "x" [STACK_UNKNOWN]');
    failWith = new Error('boom <b>');
    const bug = await fetch(server.url);
    expect(await bug.text()).toContain('internal error: boom &lt;b>');
    failWith = undefined;
    expect((await fetch(`${server.url}graph.svg`)).status).toBe(200);
  });

  test('other paths are 404, other methods 405', async () => {
    expect((await fetch(`${server.url}nope`)).status).toBe(404);
    const post = await fetch(server.url, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  test('a port in use is a clear error', async () => {
    const port = Number(new URL(server.url).port);
    await expect(serveGraph({ port, draw: async () => ({ svg: '<svg/>' }) })).rejects.toMatchObject({ code: 'PORT_IN_USE' });
  });

  test('close() does not wait for idle keep-alive connections', async () => {
    const other = await serveGraph({ port: 0, draw: async () => ({ svg: '<svg></svg>' }) });
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      http.get(`${other.url}graph.svg`, { agent }, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject);
    });
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(1000);
    agent.destroy();
  });

  /** A GET with the Host header of our choosing (fetch sets its own). */
  const getWithHost = (url: string, hostHeader: string | undefined): Promise<{ status: number; body: string }> => new Promise((resolve, reject) => {
    const u = new URL(url);
    const headers: Record<string, string> = hostHeader === undefined ? {} : { host: hostHeader };
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, headers, setHost: hostHeader !== undefined }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });

  test('answers only requests addressed to it on loopback: another Host (DNS rebinding) gets 421 and nothing is drawn', async () => {
    const port = new URL(server.url).port;
    const before = draws;
    for (const bad of [`evil.example:${port}`, 'evil.example', `127.0.0.1.evil.example:${port}`, `localhost:${Number(port) + 1}`, '127.0.0.1']) {
      const r = await getWithHost(`${server.url}graph.svg`, bad);
      expect([bad, r.status]).toEqual([bad, 421]);
      expect(r.body).not.toContain('<svg');
    }
    // No Host at all: Node's HTTP server refuses it itself (HTTP/1.1 requires one).
    expect((await getWithHost(`${server.url}graph.svg`, undefined)).status).toBe(400);
    expect(draws).toBe(before);
    for (const good of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      expect((await getWithHost(`${server.url}graph.svg`, good)).status).toBe(200);
    }
  });
});

describe('serveGraph under a burst of requests', () => {
  /** A server whose drawings finish only when the test says so, or stop when aborted (as a killed synth does). */
  async function gatedServer() {
    const gates: Array<() => void> = [];
    const signals: AbortSignal[] = [];
    let draws = 0;
    const server = await serveGraph({
      port: 0,
      draw: async (signal) => {
        draws += 1;
        const n = draws;
        signals.push(signal);
        await new Promise<void>((resolve, reject) => {
          gates.push(resolve);
          signal.addEventListener('abort', () => reject(signal.reason));
        });
        return { svg: `<svg><text>drawing ${n}</text></svg>` };
      },
    });
    const waitForGate = async (n: number) => {
      while (gates.length < n) await new Promise((r) => setTimeout(r, 5));
    };
    return { server, gates, signals, waitForGate, draws: () => draws };
  }

  /** A request whose client gives up when told. */
  function abandonable(url: string) {
    const ac = new AbortController();
    const p = fetch(url, { signal: ac.signal }).then((r) => r.text()).catch((e: Error) => e.name);
    return { leave: () => ac.abort(), p };
  }

  test('a running drawing whose clients have all gone is aborted: the next request does not wait for it', async () => {
    const g = await gatedServer();
    try {
      const first = fetch(`${g.server.url}graph.svg`).then((r) => r.text());
      await g.waitForGate(1);
      // Two requests wait for the second drawing, which starts when the first ends.
      const [b, c] = [abandonable(`${g.server.url}graph.svg`), abandonable(`${g.server.url}graph.svg`)];
      await new Promise((r) => setTimeout(r, 50));
      g.gates[0]();
      expect(await first).toContain('drawing 1');
      await g.waitForGate(2);
      // One of its two clients leaves: the other still waits for it, so it goes on.
      c.leave();
      await new Promise((r) => setTimeout(r, 50));
      expect(g.signals[1].aborted).toBe(false);
      // The last one leaves: the drawing is aborted (its gate is never opened).
      b.leave();
      expect(await Promise.all([b.p, c.p])).toEqual(['AbortError', 'AbortError']);
      const next = fetch(`${g.server.url}graph.svg`).then((r) => r.text());
      await g.waitForGate(3);
      expect(g.signals[1].aborted).toBe(true);
      expect(g.signals[1].reason).toMatchObject({ message: 'every request waiting for this drawing has gone' });
      g.gates[2]();
      expect(await next).toBe('<svg><text>drawing 3</text></svg>');
      expect(g.signals[2].aborted).toBe(false);
    } finally {
      await g.server.close();
    }
  });

  test('requests waiting for a drawing all get the next one: 6 requests, 2 drawings', async () => {
    const g = await gatedServer();
    try {
      const first = fetch(`${g.server.url}graph.svg`).then((r) => r.text());
      await g.waitForGate(1);
      const rest = [1, 2, 3, 4, 5].map(() => fetch(`${g.server.url}graph.svg`).then((r) => r.text()));
      await new Promise((r) => setTimeout(r, 50));
      g.gates[0]();
      expect(await first).toContain('drawing 1');
      await g.waitForGate(2);
      g.gates[1]();
      expect(await Promise.all(rest)).toEqual(Array(5).fill('<svg><text>drawing 2</text></svg>'));
      expect(g.draws()).toBe(2);
    } finally {
      await g.server.close();
    }
  });

  test('requests whose client left are dropped: no drawing is made for them', async () => {
    const g = await gatedServer();
    try {
      const first = fetch(`${g.server.url}graph.svg`).then((r) => r.text());
      await g.waitForGate(1);
      // 8 abandoned requests (the case): their clients give up while the first drawing runs.
      const abandoned = Array.from({ length: 8 }, () => {
        const ac = new AbortController();
        const p = fetch(`${g.server.url}graph.svg`, { signal: ac.signal }).catch((e: Error) => e.name);
        return { ac, p };
      });
      await new Promise((r) => setTimeout(r, 50));
      abandoned.forEach((a) => a.ac.abort());
      expect(await Promise.all(abandoned.map((a) => a.p))).toEqual(Array(8).fill('AbortError'));
      await new Promise((r) => setTimeout(r, 50));
      g.gates[0]();
      expect(await first).toContain('drawing 1');
      // The next request is answered by the next drawing at once, not after 8 others.
      const next = fetch(`${g.server.url}graph.svg`).then((r) => r.text());
      await g.waitForGate(2);
      expect(g.draws()).toBe(2);
      g.gates[1]();
      expect(await next).toContain('drawing 2');
    } finally {
      await g.server.close();
    }
  });
});
