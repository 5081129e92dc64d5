import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import type { Browser } from 'playwright-core';
import { Network, Service, Path, Internet, Port } from '../../../constructs';
import { serviceBody, writeBlueprint } from '../../helpers/synth';
import { describeInChromium, launchChromium } from '../reachability/graph/chromium';
import { makeCdktfProject, runButter, REPO, butterInProcess as butter } from './helpers';

const constructs = JSON.stringify(path.join(REPO, 'constructs'));

/** The app: the seed's example (internet -> lb -> web). */
function app(blueprints: { pub: string; priv: string }): string {
  return `
import { App, TerraformStack } from 'cdktf';
import { Network, Service, Path, Internet } from ${constructs};
const app = new App();
const net = new Network(new TerraformStack(app, 'shop'), 'dev', { cloud: 'aws', region: 'eu-west-1', addressLedger: false });
const lb = new Service(net, 'lb', { blueprint: ${JSON.stringify(blueprints.pub)}, count: 1 });
const web = new Service(net, 'web', { blueprint: ${JSON.stringify(blueprints.priv)}, count: 1 });
new Path(Internet, lb, 443);
new Path(lb, web, 80);
app.synth();
`;
}

describe('butter graph', () => {
  const dir = makeCdktfProject('butter-cli-graph-', '');
  const blueprints = {
    pub: writeBlueprint(dir, 'public', serviceBody({ instance: { public_ip: true, memory: '4GB', cpus: 1 } })),
    priv: writeBlueprint(dir, 'private', serviceBody()),
  };
  fs.writeFileSync(path.join(dir, 'main.ts'), app(blueprints));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The same app as main.ts (with the cache when asked), synthesized in this process into cdktf.out. */
  const synthInProcess = (withCache: boolean) => {
    const outdir = path.join(dir, 'cdktf.out');
    fs.rmSync(outdir, { recursive: true, force: true });
    const cdk = new App({ outdir });
    const net = new Network(new TerraformStack(cdk, 'shop'), 'dev', { cloud: 'aws', region: 'eu-west-1', addressLedger: false });
    const lb = new Service(net, 'lb', { blueprint: blueprints.pub, count: 1 });
    const web = new Service(net, 'web', { blueprint: blueprints.priv, count: 1 });
    new Path(Internet, lb, 443);
    new Path(lb, web, 80);
    if (withCache) new Path(web, new Service(net, 'cache', { blueprint: blueprints.priv, count: 1 }), Port.tcp(6379));
    cdk.synth();
  };

  test('the real command synthesizes the app and prints DOT in the seed\'s shape', () => {
    const r = runButter(dir, 'graph');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('✓ synthesize');
    expect(r.stdout).toMatch(/^digraph butter \{\n/);
    expect(r.stdout).toMatch(/ {2}subgraph "cluster_dev" \{\n {4}graph \[label="dev", /);
    expect(r.stdout).toMatch(/^ {4}"service:dev\/lb" \[label="lb", /m);
    expect(r.stdout).toMatch(/^ {4}"service:dev\/web" \[label="web", /m);
    expect(r.stdout).toMatch(/^ {2}"cidr:0\.0\.0\.0\/0" \[label="internet\\n0\.0\.0\.0\/0", /m);
    expect(r.stdout).toMatch(/^ {2}"cidr:0\.0\.0\.0\/0" -> "service:dev\/lb" \[label="tcp:443", /m);
    expect(r.stdout).toMatch(/^ {2}"service:dev\/lb" -> "service:dev\/web" \[label="tcp:80", /m);
  });

  test('--format svg -o FILE draws it in process', async () => {
    const file = path.join(dir, 'out', 'graph.svg');
    const r = await butter('-C', dir, 'graph', '--no-synth', '--format', 'svg', '-o', file);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toContain('wrote ');
    const svg = fs.readFileSync(file, 'utf8');
    expect(svg).toMatch(/^<\?xml[^]*<svg [^]*<\/svg>\s*$/);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts.sort()).toEqual(['0.0.0.0/0', 'dev', 'internet', 'lb', 'tcp:443', 'tcp:80', 'web']);
  });

  test('--format html: one page with the picture, to stdout without -o', async () => {
    const r = await butter('-C', dir, 'graph', '--no-synth', '--format', 'html', '--title', 'Shop <dev>');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<!doctype html>/);
    expect(r.stdout).toContain('<h1>Shop &lt;dev&gt;</h1>');
    expect(r.stdout).toContain('from synthesized stack shop · 1 network, 2 services, 2 rules');
    expect(r.stdout).toContain('<body data-live="false">');
    expect(r.stdout.match(/<g id="node\d+" class="node">/g)).toHaveLength(3);
  });

  test('usage errors exit 2: an unknown format, --serve with -o, a bad --port', async () => {
    const png = await butter('-C', dir, 'graph', '--format', 'png');
    expect(png.code).toBe(2);
    expect(png.stderr).toContain("Allowed choices are dot, svg, html");
    expect((await butter('-C', dir, 'graph', '--serve', '-o', 'x.html')).code).toBe(2);
    const port = await butter('-C', dir, 'graph', '--serve', '--port', 'http');
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('"http" is not a TCP port');
  });

  describeInChromium('--serve', () => {
    let browser: Browser;
    let server: ChildProcess;
    let stderr = '';
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      if (server && server.exitCode === null) server.kill('SIGTERM');
    });

    test('serves the page; after the stacks change, Refresh shows the new service; Ctrl-C stops it', async () => {
      // --no-synth: the server reads cdktf.out on every request, and this test rewrites it
      // in process (a synth through the app would cost seconds per refresh).
      synthInProcess(false);
      server = spawn(process.execPath, [path.join(REPO, 'bin', 'butter'), 'graph', '--serve', '--port', '0', '--no-synth'], {
        cwd: dir,
        env: { ...process.env, CHECKPOINT_DISABLE: '1', FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      server.stderr!.on('data', (d) => (stderr += d));
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout!.on('data', (d) => {
          out += d;
          const m = /^serving the graph at (http:\/\/127\.0\.0\.1:\d+\/) \(Ctrl-C to stop\)$/m.exec(out);
          if (m) resolve(m[1]);
        });
        server.on('exit', (code) => reject(new Error(`butter graph --serve exited (${code}): ${stderr}`)));
      });

      const page = await browser.newPage();
      await page.goto(url);
      const names = () => page.locator('#graph svg g.node text').allTextContents();
      expect((await names()).sort()).toEqual(['0.0.0.0/0', 'internet', 'lb', 'web']);
      expect(await page.locator('body').getAttribute('data-live')).toBe('true');

      // The stacks change: a cache behind web. Refresh reads them again and swaps the picture in.
      synthInProcess(true);
      await page.click('#refresh');
      const cache = page.locator('#graph svg g.node text', { hasText: /^cache$/ });
      await cache.waitFor({ state: 'visible', timeout: 20_000 });
      expect((await names()).sort()).toEqual(['0.0.0.0/0', 'cache', 'internet', 'lb', 'web']);
      expect(await page.locator('#graph svg g.edge text').allTextContents()).toContain('tcp:6379');
      expect(await page.locator('#status').textContent()).toMatch(/^refreshed /);

      // Nothing to read any more: the page keeps the last picture and says what is wrong.
      fs.rmSync(path.join(dir, 'cdktf.out'), { recursive: true, force: true });
      await page.click('#refresh');
      await page.locator('#status', { hasText: 'refresh failed' }).waitFor({ timeout: 20_000 });
      expect(await page.locator('#status').textContent()).toContain('[SYNTH_OUTPUT_MISSING]');
      expect((await names()).sort()).toEqual(['0.0.0.0/0', 'cache', 'internet', 'lb', 'web']);
      await page.close();

      const code = await new Promise<number | null>((resolve) => {
        server.on('exit', (c) => resolve(c));
        server.kill('SIGINT');
      });
      expect(code).toBe(0);
      expect(stderr).toContain('stopped');
    });
  });
});
