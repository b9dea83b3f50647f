/**
 * The Markdown of docs/asyncapi.yaml's descriptions as HTML, for asyncapi-html.ts: headings,
 * paragraphs, lists (nested by indentation), pipe tables, fenced code, and inline code, bold,
 * italics and links. What it does not know stays text, escaped: the output never carries markup
 * from the document.
 */

/** Text for element content. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text for a double-quoted attribute value. */
export function escapeAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;');
}

/** Links to the web or within the page only: a relative path would be relative to wherever the HTML is read. */
const SAFE_URL = /^(https?:\/\/|#)/;

/** Inline Markdown of one line or paragraph: code spans first, so nothing inside them is formatted. */
export function renderInline(text: string): string {
  const parts = text.split(/(`+)([\s\S]*?[^`])\1(?!`)/);
  let html = '';
  // split with two groups gives [text, ticks, code, text, ticks, code, …]
  for (let i = 0; i < parts.length; i += 3) {
    html += formatText(parts[i]);
    if (i + 2 < parts.length) html += `<code>${escapeHtml(parts[i + 2].replace(/^ (.*) $/, '$1'))}</code>`;
  }
  return html;
}

function formatText(text: string): string {
  return escapeHtml(text.replace(/\\([|*`\\[\]])/g, '$1'))
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label: string, url: string) =>
      SAFE_URL.test(url) ? `<a href="${url.replace(/"/g, '%22')}">${label}</a>` : whole,
    )
    .replace(/\*\*(\S(?:[\s\S]*?\S)?)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\w*])\*(\S(?:[^*]*?\S)?)\*(?![\w*])/g, '$1<em>$2</em>');
}

const FENCE = /^\s*```/;
const HEADING = /^(#{1,6})\s+(.*)$/;
const LIST_ITEM = /^(\s*)([-*]|\d+\.)\s+(.*)$/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_SEPARATOR = /^\s*\|(\s*:?-+:?\s*\|)+\s*$/;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function startsBlock(line: string, next: string | undefined): boolean {
  return FENCE.test(line) || HEADING.test(line.trim()) || LIST_ITEM.test(line) || (TABLE_ROW.test(line) && next !== undefined && TABLE_SEPARATOR.test(next));
}

/** A row's cells; `\|` is a pipe inside a cell, code spans included (as in GitHub's tables). */
function cellsOf(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/**
 * Block-level Markdown. `headingOffset` shifts heading levels so that a description's `##` sits
 * below the section that shows it.
 */
export function renderMarkdown(markdown: string, headingOffset = 0): string {
  const lines = markdown.replace(/\r\n?/g, '\n').replace(/\s+$/, '').split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (FENCE.test(line)) {
      const indent = indentOf(line);
      const code: string[] = [];
      for (i++; i < lines.length && !FENCE.test(lines[i]); i++) code.push(lines[i].slice(Math.min(indent, indentOf(lines[i]))));
      i++;
      out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = HEADING.exec(line.trim());
    if (heading) {
      const level = Math.min(6, heading[1].length + headingOffset);
      out.push(`<h${level}>${renderInline(heading[2])}</h${level}>`);
      i++;
      continue;
    }
    if (TABLE_ROW.test(line) && i + 1 < lines.length && TABLE_SEPARATOR.test(lines[i + 1])) {
      const head = cellsOf(line);
      const rows: string[][] = [];
      for (i += 2; i < lines.length && TABLE_ROW.test(lines[i]); i++) rows.push(cellsOf(lines[i]));
      out.push(
        '<table><thead><tr>' +
          head.map((cell) => `<th>${renderInline(cell)}</th>`).join('') +
          '</tr></thead><tbody>' +
          rows.map((row) => `<tr>${row.map((cell) => `<td>${renderInline(cell)}</td>`).join('')}</tr>`).join('') +
          '</tbody></table>',
      );
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      const listIndent = item[1].length;
      const ordered = /\d/.test(item[2]);
      const items: string[][] = [];
      while (i < lines.length) {
        const current = LIST_ITEM.exec(lines[i]);
        if (!current || current[1].length !== listIndent) break;
        const body = [current[3]];
        // The item goes on while lines are indented past its marker, or are lazy continuations of its text.
        for (i++; i < lines.length; i++) {
          const next = lines[i];
          if (next.trim() === '') {
            if (i + 1 < lines.length && indentOf(lines[i + 1]) > listIndent && lines[i + 1].trim() !== '') {
              body.push('');
              continue;
            }
            break;
          }
          if (indentOf(next) <= listIndent && (LIST_ITEM.test(next) || startsBlock(next, lines[i + 1]))) break;
          body.push(next.slice(Math.min(indentOf(next), listIndent + 2)));
        }
        items.push(body);
        while (i < lines.length && lines[i].trim() === '' && i + 1 < lines.length && LIST_ITEM.exec(lines[i + 1])?.[1].length === listIndent) i++;
      }
      const tag = ordered ? 'ol' : 'ul';
      out.push(`<${tag}>${items.map((body) => `<li>${unwrapParagraph(renderMarkdown(body.join('\n'), headingOffset))}</li>`).join('')}</${tag}>`);
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && lines[i].trim() !== '' && (paragraph.length === 0 || !startsBlock(lines[i], lines[i + 1]))) {
      paragraph.push(lines[i].trim());
      i++;
    }
    out.push(`<p>${renderInline(paragraph.join('\n'))}</p>`);
  }
  return out.join('\n');
}

/** A list item of one paragraph reads better without the paragraph's margins. */
function unwrapParagraph(html: string): string {
  const match = /^<p>([\s\S]*)<\/p>$/.exec(html);
  return match && !match[1].includes('<p>') ? match[1] : html;
}
