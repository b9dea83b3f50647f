import { loadAsyncApi, objectAt } from './asyncapi-document';
import { ALLOWED_DIAGNOSTICS, describeDiagnostic, isAllowed, isError, parseAsyncApi, ParsedAsyncApi, pathOf } from './asyncapi-parser';

/**
 * docs/asyncapi.yaml as AsyncAPI tooling reads it: the official parser validates it against the
 * AsyncAPI 3 schema and its rules. Partners feed the document to the same parser (the generator,
 * Studio), so what it reports they would see. asyncapi.spec.ts holds the document to the code.
 */

let parsed: ParsedAsyncApi;

beforeAll(async () => {
  parsed = await parseAsyncApi();
});

describe('AsyncAPI document through @asyncapi/parser', () => {
  it('parses into a document with no errors', () => {
    expect(parsed.diagnostics.filter(isError).map(describeDiagnostic)).toEqual([]);
    expect(parsed.document).toBeDefined();
  });

  it('reports no warning, information or hint that ALLOWED_DIAGNOSTICS does not allow with a reason', () => {
    expect(parsed.diagnostics.filter((d) => !isAllowed(d)).map(describeDiagnostic)).toEqual([]);
  });

  it('still reports every diagnostic ALLOWED_DIAGNOSTICS allows (a stale allowance hides the next one)', () => {
    const stale = ALLOWED_DIAGNOSTICS.filter((a) => !parsed.diagnostics.some((d) => String(d.code) === a.code && pathOf(d) === a.path));
    expect(stale.map((a) => `${a.code} at ${a.path} is allowed but no longer reported`)).toEqual([]);
    expect(ALLOWED_DIAGNOSTICS.filter((a) => a.reason.trim().length < 20).map((a) => `${a.code}: give a reason`)).toEqual([]);
  });

  it('reads every server, channel, operation, message and security scheme the YAML declares', () => {
    const raw = loadAsyncApi();
    const document = parsed.document;
    if (!document) throw new Error('no document');
    const ids = (items: { id(): string | undefined }[]) => items.map((item) => String(item.id())).sort();
    expect({
      servers: ids(document.servers().all()),
      channels: ids(document.channels().all()),
      operations: ids(document.operations().all()),
      messages: ids(document.components().messages().all()),
      securitySchemes: ids(document.components().securitySchemes().all()),
    }).toEqual({
      servers: Object.keys(objectAt(raw, 'servers')).sort(),
      channels: Object.keys(objectAt(raw, 'channels')).sort(),
      operations: Object.keys(objectAt(raw, 'operations')).sort(),
      messages: Object.keys(objectAt(raw, 'components', 'messages')).sort(),
      securitySchemes: Object.keys(objectAt(raw, 'components', 'securitySchemes')).sort(),
    });
  });
});
