import { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { existsSync, readFileSync } from 'node:fs';
import { ASYNCAPI_HTML_PATH } from './asyncapi-html-cli';
import { renderAsyncApiHtml } from './asyncapi-html';
import { renderInline, renderMarkdown } from './asyncapi-markdown';
import { parseAsyncApi } from './asyncapi-parser';

/**
 * docs/asyncapi.html is docs/asyncapi.yaml rendered (`npm run docs:asyncapi`): regenerated here and
 * compared with the committed file, so the page people read never lags the contract the tests check.
 */

let document: AsyncAPIDocumentInterface;
let html: string;

beforeAll(async () => {
  const parsed = await parseAsyncApi();
  if (!parsed.document) throw new Error('docs/asyncapi.yaml does not parse: see asyncapi-parser.spec.ts');
  document = parsed.document;
  html = renderAsyncApiHtml(document);
});

/** The first line where two texts differ, to say where a stale page went wrong. */
function firstDifference(expected: string, actual: string): string {
  const want = expected.split('\n');
  const have = actual.split('\n');
  const line = want.findIndex((text, i) => text !== have[i]);
  const at = line < 0 ? want.length : line;
  return `line ${at + 1}: committed ${JSON.stringify((have[at] ?? '(end of file)').slice(0, 160))}, regenerated ${JSON.stringify((want[at] ?? '(end of file)').slice(0, 160))}`;
}

describe('docs/asyncapi.html', () => {
  it('is what npm run docs:asyncapi makes of docs/asyncapi.yaml now (run it and commit the page if not)', () => {
    const committed = existsSync(ASYNCAPI_HTML_PATH) ? readFileSync(ASYNCAPI_HTML_PATH, 'utf8') : '';
    expect(committed === html ? 'up to date' : `stale, ${firstDifference(html, committed)}`).toBe('up to date');
  });

  it('renders the same page twice', () => {
    expect(renderAsyncApiHtml(document) === html).toBe(true);
  });

  it('has an anchor for every server, channel, operation, message and security scheme, and every link lands on one', () => {
    const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
    const wanted = [
      ...document.servers().all().map((s) => `server-${s.id()}`),
      ...document.channels().all().map((c) => `channel-${c.id()}`),
      ...document.operations().all().map((o) => `operation-${o.id()}`),
      ...document.components().messages().all().map((m) => `message-${m.id()}`),
      ...document.components().securitySchemes().all().map((s) => `scheme-${s.id()}`),
    ];
    const dangling = [...new Set([...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]))].filter((id) => !ids.has(id));
    expect({ missing: wanted.filter((id) => !ids.has(id)), dangling }).toEqual({ missing: [], dangling: [] });
  });

  it('is self-contained: no script, stylesheet link, image or frame to fetch', () => {
    expect(html.match(/<(script|link|img|iframe|object|embed)\b[^>]*>/gi) ?? []).toEqual([]);
  });

  it('shows who may write each partner topic, and the retired shared topic as deprecated', () => {
    const partnerRows = [...html.matchAll(/<tr><td><code>(niryat\.partner\.\w+\.orders\.v1)<\/code><\/td><td>(.*?)<\/td>/g)].map((m) => [
      m[1],
      [...m[2].matchAll(/<code>([^<]+)<\/code>/g)].map((c) => c[1]),
    ]);
    expect(partnerRows).toEqual([
      ['niryat.partner.amazon.orders.v1', ['partner-amazon', 'niryat-exports']],
      ['niryat.partner.flipkart.orders.v1', ['partner-flipkart', 'niryat-exports']],
      ['niryat.partner.walmart.orders.v1', ['partner-walmart', 'niryat-exports']],
    ]);
    expect(html).toMatch(/<article id="channel-partnerOrdersLegacy" class="deprecated">/);
  });
});

describe('the Markdown of descriptions', () => {
  it('escapes markup and keeps code spans literal', () => {
    expect(renderInline('a <b> & `x **y** <z>` **bold** *it*')).toBe('a &lt;b&gt; &amp; <code>x **y** &lt;z&gt;</code> <strong>bold</strong> <em>it</em>');
  });

  it('links to the web only', () => {
    expect(renderInline('[spec](https://example.org/a) [x](javascript:alert(1))')).toBe('<a href="https://example.org/a">spec</a> [x](javascript:alert(1))');
  });

  it('renders headings below the section, lists with continuation lines, tables with escaped pipes, and fenced code', () => {
    const markdown = [
      '## Keys',
      '',
      '- one',
      '  continued',
      '- two',
      '',
      '| key | value |',
      '|---|---|',
      '| `a\\|b` | c |',
      '',
      '```',
      'x <y>',
      '```',
    ].join('\n');
    expect(renderMarkdown(markdown, 1)).toBe(
      [
        '<h3>Keys</h3>',
        '<ul><li>one\ncontinued</li><li>two</li></ul>',
        '<table><thead><tr><th>key</th><th>value</th></tr></thead><tbody><tr><td><code>a|b</code></td><td>c</td></tr></tbody></table>',
        '<pre><code>x &lt;y&gt;</code></pre>',
      ].join('\n'),
    );
  });
});
