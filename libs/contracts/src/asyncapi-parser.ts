import { AsyncAPIDocumentInterface, Diagnostic, DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { readFileSync } from 'node:fs';
import { ASYNCAPI_PATH } from './asyncapi-document';

/**
 * docs/asyncapi.yaml through the official parser (`@asyncapi/parser`): its JSON Schema for AsyncAPI
 * 3, its Spectral rules and its model, which the HTML renderer reads. Tooling and tests only: not
 * exported from the library's index, and the parser is a devDependency.
 */

/** A diagnostic the document is allowed to produce, and why it is left as it is. */
export interface AllowedDiagnostic {
  readonly code: string;
  /** The diagnostic's path, joined with `.`; `''` is the document's root. */
  readonly path: string;
  readonly reason: string;
}

/**
 * Every diagnostic the parser may report for the document without failing its test. Anything else
 * (an error, a warning, even an information or a hint) fails `asyncapi-parser.spec.ts`, and so
 * does an entry here the parser no longer reports.
 */
export const ALLOWED_DIAGNOSTICS: readonly AllowedDiagnostic[] = [
  {
    code: 'asyncapi-latest-version',
    path: 'asyncapi',
    reason:
      'The document stays on AsyncAPI 3.0.0: partners generate code from it with their own tooling, ' +
      'not all of which reads 3.1 yet, and 3.1 adds nothing this contract uses.',
  },
];

export interface ParsedAsyncApi {
  /** Undefined when the parser found errors it cannot build a model past. */
  readonly document: AsyncAPIDocumentInterface | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export async function parseAsyncApi(path = ASYNCAPI_PATH): Promise<ParsedAsyncApi> {
  const { document, diagnostics } = await new Parser().parse(readFileSync(path, 'utf8'), { source: path });
  return { document, diagnostics };
}

const SEVERITY_NAMES: Record<number, string> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'information',
  [DiagnosticSeverity.Hint]: 'hint',
};

export function pathOf(diagnostic: Diagnostic): string {
  return diagnostic.path.map(String).join('.');
}

/** `warning some-rule at channels.x.address (line 12): message`, for a failure message or a log. */
export function describeDiagnostic(diagnostic: Diagnostic): string {
  const line = diagnostic.range.start.line + 1;
  return `${SEVERITY_NAMES[diagnostic.severity] ?? diagnostic.severity} ${diagnostic.code} at ${pathOf(diagnostic) || '(root)'} (line ${line}): ${diagnostic.message}`;
}

export function isAllowed(diagnostic: Diagnostic, allowed: readonly AllowedDiagnostic[] = ALLOWED_DIAGNOSTICS): boolean {
  return allowed.some((a) => a.code === String(diagnostic.code) && a.path === pathOf(diagnostic));
}

export function isError(diagnostic: Diagnostic): boolean {
  return diagnostic.severity === DiagnosticSeverity.Error;
}
