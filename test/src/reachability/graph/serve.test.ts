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
});
