import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ASYNCAPI_PATH } from './asyncapi-document';
import { renderAsyncApiHtml } from './asyncapi-html';
import { describeDiagnostic, isAllowed, isError, parseAsyncApi } from './asyncapi-parser';

/**
 * `npm run docs:asyncapi`: parses docs/asyncapi.yaml with @asyncapi/parser and writes
 * docs/asyncapi.html. `-- --check` writes nothing and exits 1 when the committed page is stale.
 * A document with parser errors is not rendered (exit 2); other diagnostics are printed, and
 * asyncapi-parser.spec.ts decides whether they are allowed.
 */

export const ASYNCAPI_HTML_PATH = join(ASYNCAPI_PATH, '..', 'asyncapi.html');

async function main(argv: readonly string[]): Promise<number> {
  const check = argv.includes('--check');
  const { document, diagnostics } = await parseAsyncApi();
  for (const diagnostic of diagnostics.filter((d) => !isAllowed(d))) console.error(describeDiagnostic(diagnostic));
  if (!document || diagnostics.some(isError)) {
    console.error(`${relative(process.cwd(), ASYNCAPI_PATH)} has errors: not rendered`);
    return 2;
  }
  const html = renderAsyncApiHtml(document);
  const target = relative(process.cwd(), ASYNCAPI_HTML_PATH);
  if (check) {
    const current = readOptional(ASYNCAPI_HTML_PATH);
    if (current === html) return 0;
    console.error(`${target} is stale: run npm run docs:asyncapi and commit it`);
    return 1;
  }
  writeFileSync(ASYNCAPI_HTML_PATH, html);
  console.log(`wrote ${target} (${Math.round(Buffer.byteLength(html) / 1024)} KiB)`);
  return 0;
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 2;
    },
  );
}
