import type { AsyncAPIDocumentInterface, ChannelInterface, MessageInterface, OperationInterface, SecuritySchemeInterface, ServerInterface } from '@asyncapi/parser';
import { topicsOf } from './asyncapi-channels';
import { isObject, Json, JsonObject, objectAt } from './asyncapi-document';
import { escapeAttribute, escapeHtml, renderInline, renderMarkdown } from './asyncapi-markdown';

/**
 * docs/asyncapi.yaml, as @asyncapi/parser reads it, to one self-contained HTML page (no scripts,
 * no fetches): servers, security schemes with what each principal may do, channels with the
 * topics they stand for and who may write and read each, operations, messages with their headers,
 * key and payload, and the shared schemas. The output depends on the document only, so a test can
 * regenerate it and compare it with the committed file.
 */

export interface HtmlRenderOptions {
  /** Where the document is, as the page names it. */
  readonly source: string;
  /** The command that regenerates the page. */
  readonly command: string;
}

const DEFAULT_OPTIONS: HtmlRenderOptions = { source: 'docs/asyncapi.yaml', command: 'npm run docs:asyncapi' };

type Model = { json(): unknown };

const fieldsOf = (model: Model): JsonObject => objectAt(model.json() as Json);
const text = (model: Model, key: string): string | undefined => {
  const value = fieldsOf(model)[key];
  return typeof value === 'string' ? value : undefined;
};
const anchor = (kind: string, id: string) => `${kind}-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
const link = (kind: string, id: string, label: string = escapeHtml(id)) => `<a href="#${anchor(kind, id)}">${label}</a>`;
const code = (value: string) => `<code>${escapeHtml(value)}</code>`;
const json = (value: unknown) => escapeHtml(JSON.stringify(value, null, 2));
const SCHEMA_ID = 'x-parser-schema-id';
/** Operations of the root `operations` object always have their key as id. */
const opId = (op: OperationInterface) => op.id() ?? '';

/** Lines of the form `<dt>label</dt><dd>value</dd>`, skipping empty values. */
function facts(entries: [string, string | undefined][]): string {
  const shown = entries.filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '');
  return shown.length === 0 ? '' : `<dl class="facts">${shown.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${value}</dd>`).join('')}</dl>`;
}

function tagsOf(model: Model): string {
  const tags = fieldsOf(model)['tags'];
  if (!Array.isArray(tags) || tags.length === 0) return '';
  return `<p class="tags">${tags
    .filter(isObject)
    .map((tag) => `<span class="tag${tag['name'] === 'deprecated' ? ' deprecated' : ''}" title="${escapeAttribute(String(tag['description'] ?? ''))}">${escapeHtml(String(tag['name']))}</span>`)
    .join(' ')}</p>`;
}

/** The first paragraph of a description: enough beside a link to the whole. */
function firstParagraph(description: string | undefined): string {
  return description ? description.trim().split(/\n\s*\n/)[0] : '';
}

export class AsyncApiHtmlRenderer {
  private readonly componentSchemas: Set<string>;
  /** Component schemas shown as a message's payload, which is where their anchor is. */
  private readonly payloadSchemas = new Set<string>();
  private readonly schemeIds = new Map<string, string>();

  constructor(
    private readonly document: AsyncAPIDocumentInterface,
    private readonly options: HtmlRenderOptions = DEFAULT_OPTIONS,
  ) {
    this.componentSchemas = new Set(document.components().schemas().all().map((s) => s.id()));
    for (const message of document.components().messages().all()) {
      const id = objectAt(fieldsOf(message), 'payload')[SCHEMA_ID];
      if (typeof id === 'string' && this.componentSchemas.has(id)) this.payloadSchemas.add(id);
    }
    // A requirement's scheme comes dereferenced, without its name: known by its content.
    for (const scheme of document.components().securitySchemes().all()) this.schemeIds.set(JSON.stringify(scheme.json()), scheme.id());
  }

  render(): string {
    const info = this.document.info();
    const title = `${info.title()} ${info.version()}`;
    const sections = [this.overview(), this.servers(), this.securitySchemes(), this.channels(), this.operations(), this.messages(), this.schemas()];
    return [
      '<!DOCTYPE html>',
      '<html lang="en">',
      '<head>',
      '<meta charset="utf-8">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<meta name="generator" content="${escapeAttribute(this.options.command)} (@asyncapi/parser)">`,
      `<title>${escapeHtml(title)} · AsyncAPI</title>`,
      `<style>${STYLE}</style>`,
      '</head>',
      '<body>',
      this.navigation(),
      '<main>',
      ...sections,
      '</main>',
      '</body>',
      '</html>',
      '',
    ].join('\n');
  }

  private navigation(): string {
    const list = (kind: string, items: { id: string; label: string }[]) =>
      `<ul>${items.map((item) => `<li>${link(kind, item.id, escapeHtml(item.label))}</li>`).join('')}</ul>`;
    return [
      '<nav>',
      `<p class="nav-title"><a href="#overview">${escapeHtml(this.document.info().title())}</a> <span class="version">${escapeHtml(this.document.info().version())}</span></p>`,
      `<p><a href="#servers">Servers</a></p>`,
      list('server', this.document.servers().all().map((s) => ({ id: s.id(), label: s.id() }))),
      `<p><a href="#security">Security</a></p>`,
      `<p><a href="#channels">Channels</a></p>`,
      list('channel', this.document.channels().all().map((c) => ({ id: c.id(), label: c.address() ?? c.id() }))),
      `<p><a href="#operations">Operations</a></p>`,
      list('operation', this.document.operations().all().map((o) => ({ id: opId(o), label: opId(o) }))),
      `<p><a href="#messages">Messages</a></p>`,
      list('message', this.document.components().messages().all().map((m) => ({ id: m.id(), label: m.id() }))),
      `<p><a href="#schemas">Schemas</a></p>`,
      '</nav>',
    ].join('\n');
  }

  private overview(): string {
    const info = this.document.info();
    return [
      '<section id="overview">',
      `<h1>${escapeHtml(info.title())}</h1>`,
      facts([
        ['version', code(info.version())],
        ['AsyncAPI', code(this.document.version())],
        ['id', info.hasId() ? code(info.id() ?? '') : undefined],
        ['default content type', this.document.defaultContentType() ? code(this.document.defaultContentType() ?? '') : undefined],
      ]),
      `<p class="generated">Generated from ${code(this.options.source)} by ${code(this.options.command)}; edit the YAML, not this page.</p>`,
      renderMarkdown(info.description() ?? '', 1),
      '</section>',
    ].join('\n');
  }

  private schemeLinks(requirements: { scheme(): SecuritySchemeInterface }[][]): string {
    const ids = requirements.flatMap((requirement) => requirement.map((r) => this.schemeIdOf(r.scheme())));
    return ids.map((id) => `${link('scheme', id)} (${code(this.principalOf(id))})`).join(', ');
  }

  private schemeIdOf(scheme: SecuritySchemeInterface): string {
    return scheme.id() || this.schemeIds.get(JSON.stringify(scheme.json())) || '(unnamed)';
  }

  private schemeField(schemeId: string, key: string): Json | undefined {
    const scheme = this.document.components().securitySchemes().get(schemeId);
    return scheme ? fieldsOf(scheme)[key] : undefined;
  }

  private principalOf(schemeId: string): string {
    return String(this.schemeField(schemeId, 'x-niryat-principal') ?? schemeId);
  }

  private servers(): string {
    const server = (s: ServerInterface) =>
      [
        `<article id="${anchor('server', s.id())}">`,
        `<h3>${escapeHtml(s.id())}${text(s, 'title') ? ` · ${escapeHtml(text(s, 'title') ?? '')}` : ''}</h3>`,
        tagsOf(s),
        facts([
          ['host', code(s.host())],
          ['protocol', code(s.protocol() + (s.protocolVersion() ? ` ${s.protocolVersion()}` : ''))],
          ['security', s.security().length > 0 ? this.schemeLinks(s.security().map((r) => r.all())) : '<em>none</em>'],
        ]),
        renderMarkdown(s.description() ?? '', 3),
        '</article>',
      ]
        .filter((part) => part !== '')
        .join('\n');
    return ['<section id="servers">', '<h2>Servers</h2>', ...this.document.servers().all().map(server), '</section>'].join('\n');
  }

  private securitySchemes(): string {
    const rows = this.document
      .components()
      .securitySchemes()
      .all()
      .map((scheme) => {
        const fields = fieldsOf(scheme);
        const uses = this.document
          .operations()
          .all()
          .filter((op) => op.security().some((requirement) => requirement.all().some((r) => this.schemeIdOf(r.scheme()) === scheme.id())))
          .map((op) => `${op.action()} ${link('operation', opId(op))}`);
        return (
          `<tr id="${anchor('scheme', scheme.id())}"><td>${code(scheme.id())}</td><td>${code(scheme.type())}</td>` +
          `<td>${code(String(fields['x-niryat-principal'] ?? ''))}${fields['x-niryat-partner'] ? `<br>partner ${code(String(fields['x-niryat-partner']))}` : ''}</td>` +
          `<td>${renderMarkdown(scheme.description() ?? '')}</td><td>${uses.join('<br>') || '<em>no operation</em>'}</td></tr>`
        );
      });
    return [
      '<section id="security">',
      '<h2>Security schemes and principals</h2>',
      '<p>Each scheme is one Kafka principal (<code>x-niryat-principal</code>); an operation lists the principals that may perform it. A partner&#39;s scheme counts only on its own topic (<code>x-niryat-partner</code>).</p>',
      `<table><thead><tr><th>scheme</th><th>type</th><th>principal</th><th>description</th><th>operations</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
      '</section>',
    ].join('\n');
  }

  /** Who the operations on a channel say may send and receive, per topic of its address. */
  private access(channel: ChannelInterface): string {
    const address = channel.address() ?? '';
    const topics = topicsOf(address, objectAt(fieldsOf(channel), 'parameters')) ?? [{ topic: address, parameters: {} }];
    const operations = channel.operations().all();
    const principals = (op: OperationInterface, parameters: Readonly<Record<string, string>>) =>
      op
        .security()
        .flatMap((requirement) => requirement.all().map((r) => this.schemeIdOf(r.scheme())))
        .filter((id) => {
          const partner = this.schemeField(id, 'x-niryat-partner');
          return partner === undefined || parameters['partner'] === undefined || partner === parameters['partner'];
        })
        .map((id) => `${code(this.principalOf(id))} (${link('operation', opId(op))})`);
    const cell = (action: 'send' | 'receive', parameters: Readonly<Record<string, string>>) => {
      const entries = operations.filter((op) => op.action() === action).flatMap((op) => {
        const named = principals(op, parameters);
        return named.length > 0 ? named : [`<em>no principal named</em> (${link('operation', opId(op))})`];
      });
      return entries.join('<br>') || '<em>nobody</em>';
    };
    const rows = topics.map(({ topic, parameters }) => `<tr><td>${code(topic)}</td><td>${cell('send', parameters)}</td><td>${cell('receive', parameters)}</td></tr>`);
    return `<table class="access"><thead><tr><th>topic</th><th>may write</th><th>reads</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  }

  private channels(): string {
    const channel = (c: ChannelInterface) => {
      const fields = fieldsOf(c);
      const deprecated = objectAt(fields, 'x-deprecated');
      const kafka = objectAt(fields, 'bindings', 'kafka');
      const parameters = c.parameters().all();
      return [
        `<article id="${anchor('channel', c.id())}"${Object.keys(deprecated).length > 0 ? ' class="deprecated"' : ''}>`,
        `<h3>${code(c.address() ?? '')}</h3>`,
        `<p class="subtitle">${escapeHtml(text(c, 'title') ?? '')} <span class="id">channel ${escapeHtml(c.id())}</span></p>`,
        tagsOf(c),
        Object.keys(deprecated).length > 0
          ? `<p class="warning"><strong>Deprecated</strong> since ${code(String(deprecated['since'] ?? ''))}` +
            `${typeof deprecated['replacedBy'] === 'string' ? `; replaced by ${link('channel', deprecated['replacedBy'].replace('#/channels/', ''))}` : ''}` +
            `${typeof deprecated['migration'] === 'string' ? `; migration: ${code(deprecated['migration'])}` : ''}.</p>`
          : '',
        renderMarkdown(c.description() ?? '', 3),
        facts([
          ['partitions', kafka['partitions'] === undefined ? undefined : code(String(kafka['partitions']))],
          [
            'topic configuration',
            Object.entries(objectAt(kafka, 'topicConfiguration'))
              .map(([key, value]) => code(`${key}: ${Array.isArray(value) ? value.join(',') : String(value)}`))
              .join(' '),
          ],
        ]),
        parameters.length === 0
          ? ''
          : `<h4>Parameters</h4><table><thead><tr><th>name</th><th>values</th><th>description</th></tr></thead><tbody>${parameters
              .map((p) => {
                const values = objectAt(fieldsOf(p))['enum'];
                return `<tr><td>${code(p.id())}</td><td>${Array.isArray(values) ? values.map((v) => code(String(v))).join(' ') : '<em>any</em>'}</td><td>${renderMarkdown(p.description() ?? '')}</td></tr>`;
              })
              .join('')}</tbody></table>`,
        '<h4>Who may write and read</h4>',
        this.access(c),
        '<h4>Messages</h4>',
        `<ul>${c
          .messages()
          .all()
          .map((m) => `<li>${link('message', m.id())} ${this.ceTypeOf(m) ? code(this.ceTypeOf(m) ?? '') : ''}</li>`)
          .join('')}</ul>`,
        '</article>',
      ]
        .filter((part) => part !== '')
        .join('\n');
    };
    return ['<section id="channels">', '<h2>Channels</h2>', ...this.document.channels().all().map(channel), '</section>'].join('\n');
  }

  private operations(): string {
    const operation = (op: OperationInterface) => {
      const groups = objectAt(fieldsOf(op), 'bindings', 'kafka', 'groupId')['enum'];
      const channel = op.channels().all()[0];
      return [
        `<article id="${anchor('operation', opId(op))}">`,
        `<h3><span class="action ${op.action()}">${escapeHtml(op.action())}</span> ${escapeHtml(text(op, 'title') ?? opId(op))}</h3>`,
        `<p class="subtitle"><span class="id">operation ${escapeHtml(opId(op))}</span></p>`,
        tagsOf(op),
        facts([
          ['channel', channel ? link('channel', channel.id(), code(channel.address() ?? channel.id())) : undefined],
          ['principals', op.security().length > 0 ? this.schemeLinks(op.security().map((r) => r.all())) : '<em>none named</em>'],
          ['consumer group', Array.isArray(groups) ? groups.map((g) => code(String(g))).join(' ') : undefined],
          ['messages', op.messages().all().map((m) => link('message', m.id())).join(', ')],
        ]),
        renderMarkdown(op.description() ?? '', 3),
        '</article>',
      ]
        .filter((part) => part !== '')
        .join('\n');
    };
    return ['<section id="operations">', '<h2>Operations</h2>', ...this.document.operations().all().map(operation), '</section>'].join('\n');
  }

  private ceTypeOf(message: MessageInterface): string | undefined {
    const type = objectAt(fieldsOf(message), 'headers', 'properties', 'ce_type')['const'];
    return typeof type === 'string' ? type : undefined;
  }

  private messages(): string {
    const message = (m: MessageInterface) => {
      const fields = fieldsOf(m);
      const payload = fields['payload'];
      const key = objectAt(fields, 'bindings', 'kafka')['key'];
      const payloadId = isObject(payload) ? payload[SCHEMA_ID] : undefined;
      const examples = Array.isArray(fields['examples']) ? fields['examples'].filter(isObject) : [];
      const channels = this.document.channels().all().filter((c) => c.messages().all().some((cm) => cm.id() === m.id()));
      return [
        `<article id="${anchor('message', m.id())}">`,
        `<h3>${escapeHtml(m.id())}${m.title() ? ` · ${escapeHtml(m.title() ?? '')}` : ''}</h3>`,
        m.summary() ? `<p class="summary">${renderInline(m.summary() ?? '')}</p>` : '',
        tagsOf(m),
        facts([
          ['ce_type', this.ceTypeOf(m) ? code(this.ceTypeOf(m) ?? '') : undefined],
          ['content type', m.contentType() ? code(m.contentType() ?? '') : undefined],
          ['channels', channels.map((c) => link('channel', c.id(), code(c.address() ?? c.id()))).join(', ')],
        ]),
        renderMarkdown(m.description() ?? '', 3),
        isObject(fields['headers']) ? `<h4>Headers</h4>${this.schemaBody(fields['headers'])}` : '',
        isObject(key) ? `<h4>Key</h4>${this.schemaBody(key)}` : '',
        isObject(payload)
          ? `<h4${typeof payloadId === 'string' && this.payloadSchemas.has(payloadId) ? ` id="${anchor('schema', payloadId)}"` : ''}>Payload${
              typeof payloadId === 'string' && this.componentSchemas.has(payloadId) ? ` ${code(payloadId)}` : ''
            }</h4>${this.schemaBody(payload)}`
          : '',
        examples.length === 0 ? '' : `<h4>Examples</h4>${examples.map((e) => this.example(e)).join('\n')}`,
        '</article>',
      ]
        .filter((part) => part !== '')
        .join('\n');
    };
    return ['<section id="messages">', '<h2>Messages</h2>', ...this.document.components().messages().all().map(message), '</section>'].join('\n');
  }

  private example(example: JsonObject): string {
    const shown = Object.fromEntries(['headers', 'payload'].filter((k) => k in example).map((k) => [k, example[k]]));
    return (
      `<details><summary>${escapeHtml(String(example['name'] ?? 'example'))}` +
      `${example['summary'] ? `: ${renderInline(String(example['summary']))}` : ''}</summary><pre><code>${json(shown)}</code></pre></details>`
    );
  }

  private schemas(): string {
    const shown = this.document
      .components()
      .schemas()
      .all()
      .filter((s) => !this.payloadSchemas.has(s.id()));
    return [
      '<section id="schemas">',
      '<h2>Schemas</h2>',
      '<p>The schemas the messages share. A message&#39;s payload schema is shown with its message.</p>',
      ...shown.map((s) => `<article id="${anchor('schema', s.id())}"><h3>${escapeHtml(s.id())}</h3>${this.schemaBody(fieldsOf(s))}</article>`),
      '</section>',
    ].join('\n');
  }

  private isNamed(schema: JsonObject): schema is JsonObject & { [SCHEMA_ID]: string } {
    const id = schema[SCHEMA_ID];
    return typeof id === 'string' && this.componentSchemas.has(id);
  }

  /** One line for a schema where it is used: a link to a named one, else its type. */
  private typeOf(schema: JsonObject, linkNamed = true): string {
    if (linkNamed && this.isNamed(schema)) return `${link('schema', schema[SCHEMA_ID])} <span class="type">${this.typeOf(schema, false)}</span>`;
    const types = Array.isArray(schema['type']) ? schema['type'].map(String) : schema['type'] !== undefined ? [String(schema['type'])] : [];
    const items = schema['items'];
    let summary = types.map((t) => (t === 'array' && isObject(items) ? `array of ${this.typeOf(items)}` : escapeHtml(t))).join(' | ') || 'any';
    if (typeof schema['format'] === 'string') summary += ` (${escapeHtml(schema['format'])})`;
    return summary;
  }

  private constraintsOf(schema: JsonObject): string[] {
    const out: string[] = [];
    if (schema['const'] !== undefined) out.push(`always ${code(JSON.stringify(schema['const']))}`);
    if (Array.isArray(schema['enum'])) out.push(`one of ${schema['enum'].map((v) => code(JSON.stringify(v))).join(' ')}`);
    if (typeof schema['pattern'] === 'string') out.push(`pattern ${code(schema['pattern'])}`);
    const bounds: [string, string][] = [
      ['minLength', 'length ≥'],
      ['maxLength', 'length ≤'],
      ['minimum', '≥'],
      ['exclusiveMinimum', '>'],
      ['maximum', '≤'],
      ['exclusiveMaximum', '<'],
      ['minItems', 'items ≥'],
      ['maxItems', 'items ≤'],
    ];
    for (const [key, label] of bounds) if (typeof schema[key] === 'number') out.push(`${escapeHtml(label)} ${schema[key]}`);
    if (schema['uniqueItems'] === true) out.push('unique items');
    if (typeof schema['contentMediaType'] === 'string') out.push(`holds ${code(schema['contentMediaType'])}`);
    if (isObject(schema['not'])) out.push(`not ${this.constraintsOf(schema['not']).join(', ') || this.typeOf(schema['not'])}`);
    if (schema['additionalProperties'] === false && isObject(schema['properties'])) out.push('no other properties');
    return out;
  }

  private examplesOf(schema: JsonObject): string {
    const examples = schema['examples'];
    return Array.isArray(examples) && examples.length > 0 ? `<p class="examples">e.g. ${examples.map((e) => code(typeof e === 'string' ? e : JSON.stringify(e))).join(' ')}</p>` : '';
  }

  /** A schema in full: its type and rules, description, examples, and a table of its properties. */
  private schemaBody(schema: JsonObject): string {
    const constraints = this.constraintsOf(schema);
    const parts = [
      `<p class="schema-type">${this.typeOf(schema, false)}${constraints.length > 0 ? ` · ${constraints.join(' · ')}` : ''}</p>`,
      renderMarkdown(String(schema['description'] ?? ''), 4),
      this.examplesOf(schema),
    ];
    const properties = this.propertiesOf(schema);
    if (properties) parts.push(properties);
    const items = schema['items'];
    if (isObject(items) && !this.isNamed(items) && this.propertiesOf(items)) parts.push(`<p>Each item:</p>${this.propertiesOf(items)}`);
    return `<div class="schema">${parts.filter((p) => p !== '').join('\n')}</div>`;
  }

  private propertiesOf(schema: JsonObject): string | undefined {
    const properties = schema['properties'];
    if (!isObject(properties) || Object.keys(properties).length === 0) return undefined;
    const required = new Set(Array.isArray(schema['required']) ? schema['required'].map(String) : []);
    const rows = Object.entries(properties)
      .filter((entry): entry is [string, JsonObject] => isObject(entry[1]))
      .map(([name, property]) => {
        const named = this.isNamed(property);
        // A shared schema's rules and description are where it is defined; here its first paragraph.
        const constraints = named ? [] : this.constraintsOf(property);
        const description = named ? firstParagraph(String(property['description'] ?? '')) : String(property['description'] ?? '');
        const nested = named ? undefined : (this.propertiesOf(property) ?? (isObject(property['items']) && !this.isNamed(property['items']) ? this.propertiesOf(property['items']) : undefined));
        return (
          `<tr><td>${code(name)}${required.has(name) ? ' <span class="required">required</span>' : ''}</td>` +
          `<td>${this.typeOf(property)}${constraints.length > 0 ? `<br>${constraints.join('<br>')}` : ''}</td>` +
          `<td>${renderMarkdown(description, 4)}${named ? '' : this.examplesOf(property)}${nested ?? ''}</td></tr>`
        );
      });
    return `<table class="properties"><thead><tr><th>property</th><th>type and rules</th><th>description</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  }
}

export function renderAsyncApiHtml(document: AsyncAPIDocumentInterface, options: HtmlRenderOptions = DEFAULT_OPTIONS): string {
  return new AsyncApiHtmlRenderer(document, options).render();
}

const STYLE = `
:root { color-scheme: light; --fg: #1d232b; --muted: #5b6673; --line: #d8dee6; --bg-soft: #f5f7fa; --accent: #0b5cad; --warn: #8a4b00; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); display: flex; }
nav { position: sticky; top: 0; height: 100vh; overflow-y: auto; width: 19rem; flex: none; padding: 1rem; border-right: 1px solid var(--line); background: var(--bg-soft); font-size: 13px; }
nav ul { list-style: none; margin: 0 0 .5rem; padding-left: .75rem; }
nav p { margin: .6rem 0 .2rem; font-weight: 600; }
nav .nav-title { font-size: 15px; }
main { flex: 1; min-width: 0; max-width: 72rem; padding: 1rem 2rem 4rem; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
h1 { margin-top: .5rem; }
h2 { margin-top: 2.5rem; padding-bottom: .3rem; border-bottom: 2px solid var(--line); }
article { border: 1px solid var(--line); border-radius: 6px; padding: .2rem 1rem 1rem; margin: 1rem 0; }
article.deprecated { border-color: var(--warn); background: #fff8ef; }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--bg-soft); padding: 0 .2em; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: var(--bg-soft); padding: .75rem; border-radius: 4px; overflow-x: auto; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; margin: .5rem 0; width: 100%; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--bg-soft); }
td > p:first-child { margin-top: 0; } td > p:last-child { margin-bottom: 0; }
td table { font-size: 14px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
.subtitle, .generated, .examples, .type { color: var(--muted); }
.id { font-size: 13px; color: var(--muted); }
.tag { display: inline-block; font-size: 12px; padding: 0 .4rem; border: 1px solid var(--line); border-radius: 9px; }
.tag.deprecated, .warning { color: var(--warn); border-color: var(--warn); }
.required { font-size: 11px; color: #a11; text-transform: uppercase; }
.action { font-size: 12px; text-transform: uppercase; padding: .1rem .4rem; border-radius: 4px; color: #fff; background: #2e7d32; vertical-align: middle; }
.action.receive { background: #1565c0; }
.schema-type { font-weight: 600; }
details { margin: .3rem 0; } summary { cursor: pointer; }
@media (max-width: 900px) { body { display: block; } nav { position: static; width: auto; height: auto; } main { padding: 1rem; } }
`.trim();
