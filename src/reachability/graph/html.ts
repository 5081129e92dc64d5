import { svgElement } from './svg';

/** Props of {@link graphPage}. */
export interface GraphPageProps {
  /** The drawn graph: an SVG document or element (from `renderSvg`). */
  readonly svg: string;
  /**
   * Page title and heading.
   * @default 'Butter reachability'
   */
  readonly title?: string;
  /**
   * What the graph was computed from (`synthesized stacks dev, prod`, a state file...), shown
   * under the heading.
   * @default - not shown
   */
  readonly source?: string;
  /**
   * Counts shown under the heading, e.g. `{ networks: 2, services: 5, rules: 7 }`.
   * @default - not shown
   */
  readonly counts?: Readonly<Record<string, number>>;
  /**
   * True when the page is served by `butter graph --serve`: Refresh then fetches `graph.svg`,
   * which the server recomputes from the current source, and swaps it in. False for a page
   * written to a file, whose Refresh can only reload the file.
   * @default false
   */
  readonly live?: boolean;
  /**
   * When the graph was computed, shown on the page.
   * @default - not shown (the page is then byte-for-byte reproducible)
   */
  readonly generatedAt?: Date;
}

/**
 * A single self-contained HTML page (no external script, style or font) showing the graph with
 * a title, a legend and a Refresh button, as the seed's `ui/graph.html` did, but with the SVG
 * embedded instead of drawn in the browser: the page works offline and from a file.
 */
export function graphPage(props: GraphPageProps): string {
  const title = props.title ?? 'Butter reachability';
  const live = props.live ?? false;
  const facts = [
    props.source ? `from ${props.source}` : '',
    props.counts ? Object.entries(props.counts).map(([k, v]) => `${v} ${v === 1 ? k.replace(/s$/, '') : k}`).join(', ') : '',
  ].filter(Boolean).join(' · ');
  const stamp = props.generatedAt ? `drawn ${props.generatedAt.toISOString()}` : '';
  const note = live
    ? 'Served by <code>butter graph --serve</code>: Refresh recomputes the graph from the current source.'
    : 'A snapshot: to update it, run <code>butter graph --format html -o FILE</code> again and press Refresh (or use <code>butter graph --serve</code>).';

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="butter graph">
<title>${escapeHtml(title)}</title>
<style>
${STYLE}
</style>
</head>
<body data-live="${live}">
<header>
  <h1>${escapeHtml(title)}</h1>
  <button id="refresh" type="button" title="${live ? 'recompute the graph' : 'reload this file'}">Refresh</button>
  <span id="status" role="status">${escapeHtml(stamp)}</span>
  <p class="facts">${escapeHtml(facts)}</p>
  <p class="note">${note}</p>
</header>
<section class="legend" aria-label="legend">
  <span><i class="swatch service"></i>service</span>
  <span><i class="swatch public"></i>service with a public address and an internet route</span>
  <span><i class="swatch internet"></i>the internet (0.0.0.0/0)</span>
  <span><i class="swatch cidr"></i>other address block</span>
  <span><i class="swatch cluster"></i>network</span>
  <span><i class="arrow">&rarr;</i>traffic allowed, labelled <code>protocol:port</code></span>
  <span><i class="arrow denied">&#8674;</i>an allow rule a deny rule overrides (admits nothing)</span>
</section>
<main id="graph">
${svgElement(props.svg)}
</main>
<script>
${SCRIPT}
</script>
</body>
</html>
`;
}

/** Text for an HTML element or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

// The swatches use the same colours as ./dot.ts draws with.
const STYLE = `
body { font-family: Helvetica, Arial, sans-serif; margin: 0; color: #1d2733; background: #fafbfc; }
header { padding: 12px 20px 4px; display: flex; flex-wrap: wrap; align-items: center; gap: 4px 16px; }
h1 { font-size: 20px; margin: 0; }
button { font-size: 14px; padding: 4px 14px; cursor: pointer; }
#status { color: #5b6b7d; font-size: 13px; }
.facts, .note { flex-basis: 100%; margin: 2px 0; font-size: 13px; color: #5b6b7d; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 6px 20px; font-size: 13px; border-bottom: 1px solid #e3e7ec; }
.swatch { display: inline-block; width: 18px; height: 12px; margin-right: 6px; vertical-align: middle; border: 1.5px solid; border-radius: 3px; }
.swatch.service { background: #eef3fb; border-color: #4a6fa5; }
.swatch.public { background: #fff1c9; border-color: #b7791f; }
.swatch.internet { background: #fde2e1; border-color: #c0392b; border-radius: 50%; }
.swatch.cidr { border-color: #c0392b; border-style: dashed; border-radius: 50%; }
.swatch.cluster { border-color: #7a8ca3; }
.arrow { font-style: normal; margin-right: 6px; }
.arrow.denied { color: #999999; }
#graph { padding: 16px 20px; overflow: auto; }
#graph svg { max-width: 100%; height: auto; }
#graph.failed { opacity: 0.5; }
`.trim();

/**
 * Refresh: a served page fetches `graph.svg` (recomputed by the server on every request) and
 * swaps it in, keeping the old picture and saying why when that fails; a page opened from a file
 * has nothing to ask, so it reloads itself (picking up a file written again since).
 */
const SCRIPT = `
(function () {
  var live = document.body.getAttribute('data-live') === 'true';
  var button = document.getElementById('refresh');
  var status = document.getElementById('status');
  var graph = document.getElementById('graph');
  button.addEventListener('click', function () {
    if (!live) { location.reload(); return; }
    button.disabled = true;
    status.textContent = 'refreshing...';
    fetch('graph.svg', { cache: 'no-store' })
      .then(function (r) { return r.text().then(function (text) { if (!r.ok) throw new Error(text); return text; }); })
      .then(function (text) {
        var start = text.indexOf('<svg');
        if (start < 0) throw new Error('the server sent no SVG');
        graph.innerHTML = text.slice(start);
        graph.classList.remove('failed');
        status.textContent = 'refreshed ' + new Date().toLocaleTimeString();
      })
      .catch(function (e) {
        graph.classList.add('failed');
        status.textContent = 'refresh failed: ' + (e && e.message ? e.message : e);
      })
      .then(function () { button.disabled = false; });
  });
})();
`.trim();
