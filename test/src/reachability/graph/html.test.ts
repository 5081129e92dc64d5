import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { Port } from '../../../../src/model/port';
import { graphPage, escapeHtml } from '../../../../src/reachability/graph/html';
import { drawGraph } from '../../../../src/reachability/graph';
import { renderSvg } from '../../../../src/reachability/graph/svg';
import { ReachabilityModel } from '../../../../src/reachability/model';
import { describeInChromium, launchChromium } from './chromium';
import { rule, sampleModel, service } from './sample';

describe('graphPage', () => {
  let svg: string;
  beforeAll(async () => {
    svg = await renderSvg('digraph { "service:dev/web" [label="web"] }');
  });

  test('is one self-contained HTML document with the SVG inline, a title, a legend and a Refresh button', () => {
    const html = graphPage({ svg, title: 'dev <prod> & "ops"', source: 'stack dev', counts: { networks: 1, services: 2, rules: 0 } });
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<title>dev &lt;prod&gt; &amp; &quot;ops&quot;</title>');
    expect(html).toContain('<h1>dev &lt;prod&gt; &amp; &quot;ops&quot;</h1>');
    expect(html).toContain('from stack dev · 1 network, 2 services, 0 rules');
    expect(html).toContain('<button id="refresh" type="button"');
    expect(html).toContain('<section class="legend"');
    expect(html.match(/<svg /g)).toHaveLength(1);
    expect(html).not.toContain('<?xml');
    expect(html).not.toContain('<!DOCTYPE svg');
    // Nothing is loaded from elsewhere: the page works offline and from a file.
    expect(html).not.toMatch(/<script[^>]+src=|<link |url\(|@import/);
  });

  test('a written page is a snapshot that says how to update it; a served one refreshes from the server', () => {
    const file = graphPage({ svg });
    expect(file).toContain('<body data-live="false">');
    expect(file).toContain('run <code>butter graph --format html -o FILE</code> again');
    const served = graphPage({ svg, live: true });
    expect(served).toContain('<body data-live="true">');
    expect(served).toContain("fetch('graph.svg'");
  });

  test('is reproducible unless given a time', () => {
    expect(graphPage({ svg })).toBe(graphPage({ svg }));
    expect(graphPage({ svg, generatedAt: new Date('2030-01-02T03:04:05Z') })).toContain('drawn 2030-01-02T03:04:05.000Z');
    expect(graphPage({ svg })).toContain('<title>Butter reachability</title>');
  });

  test('escapeHtml', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describeInChromium('the HTML page in Chromium', () => {
  let browser: Browser;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'butter-graph-html-'));
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('shows every service as a node of the graph, in its network, and the CIDR sources', async () => {
    const file = path.join(dir, 'graph.html');
    fs.writeFileSync(file, await drawGraph(sampleModel(), 'html', { source: 'a hand-built model' }));
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    expect(await page.title()).toBe('Butter reachability');
    for (const name of ['lb', 'web', 'db', 'metrics', 'dns']) {
      const node = page.locator('#graph svg g.node text', { hasText: new RegExp(`^${name}$`) });
      await expect(node.count()).resolves.toBe(1);
      expect(await node.isVisible()).toBe(true);
    }
    const clusters = await page.locator('#graph svg g.cluster text').allTextContents();
    expect(clusters.sort()).toEqual(['dev', 'ops']);
    // Each service is drawn inside its network's box.
    // (Page code as text: the project's TypeScript has no DOM types.)
    const inside = await page.evaluate<Array<[string, boolean]>>(`(() => {
      const clusterBox = new Map([...document.querySelectorAll('g.cluster')].map((g) => [g.querySelector('title').textContent.replace('cluster_', ''), g.getBoundingClientRect()]));
      return [...document.querySelectorAll('g.node')].filter((g) => g.querySelector('title').textContent.startsWith('service:')).map((g) => {
        const key = g.querySelector('title').textContent.slice('service:'.length);
        const c = clusterBox.get(key.split('/')[0]);
        const n = g.getBoundingClientRect();
        return [key, n.left >= c.left && n.right <= c.right && n.top >= c.top && n.bottom <= c.bottom];
      });
    })()`);
    expect(inside.sort()).toEqual([['dev/db', true], ['dev/lb', true], ['dev/web', true], ['ops/dns', true], ['ops/metrics', true]]);
    const nodeTexts = await page.locator('#graph svg g.node text').allTextContents();
    expect(nodeTexts).toEqual(expect.arrayContaining(['internet', '0.0.0.0/0', '10.0.0.0/8']));
    const edgeLabels = await page.locator('#graph svg g.edge text').allTextContents();
    expect(edgeLabels.sort()).toEqual(['all', 'icmp', 'tcp:443', 'tcp:80', 'tcp:8000-8080', 'udp:53']);
    expect(await page.locator('.legend').isVisible()).toBe(true);
    await page.close();
  });

  test('opened as a file, Refresh reloads it: a page written again shows the new service', async () => {
    const file = path.join(dir, 'reload.html');
    const before: ReachabilityModel = { networks: [{ name: 'dev', cloud: 'aws' }], services: [service('dev', 'web')], rules: [] };
    fs.writeFileSync(file, await drawGraph(before, 'html'));
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    expect(await page.locator('#graph svg g.node text').allTextContents()).toEqual(['web']);
    const after: ReachabilityModel = { ...before, services: [...before.services, service('dev', 'cache')], rules: [rule('dev/web', 'dev/cache', Port.tcp(6379))] };
    fs.writeFileSync(file, await drawGraph(after, 'html'));
    await Promise.all([page.waitForEvent('load'), page.click('#refresh')]);
    expect((await page.locator('#graph svg g.node text').allTextContents()).sort()).toEqual(['cache', 'web']);
    await page.close();
  });
});
