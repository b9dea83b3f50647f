import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';

type Row = Record<string, unknown>;

const NUMBER = /^-?\d+(\.\d+)?$/;
/** What a spreadsheet would run as a formula: a cell starting with = + - @, a tab or a carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. Text a
 * spreadsheet would take for a formula (a seller named "=HYPERLINK(…)") gets a leading `'`, as
 * OWASP advises; numbers, negative ones included, stay numbers.
 */
function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  const raw = typeof value === 'object' ? JSON.stringify(value) : String(value);
  const text = FORMULA_START.test(raw) && !NUMBER.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV: the header is every key seen, in first-seen order; nested values as JSON. */
export function toCsv(rows: readonly Row[]): string {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const lines = [columns.map(field).join(','), ...rows.map((row) => columns.map((c) => field(row[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

/** The table in an answer: an array, or the array under `rows` or `items`. */
export function tableOf(body: unknown): Row[] | undefined {
  if (Array.isArray(body)) return body as Row[];
  if (body && typeof body === 'object') {
    const { rows, items } = body as { rows?: unknown; items?: unknown };
    if (Array.isArray(rows)) return rows as Row[];
    if (Array.isArray(items)) return items as Row[];
  }
  return undefined;
}

/**
 * Any table endpoint as a CSV download when the client asks with `Accept: text/csv`: the same
 * rows, filters and access rules as the JSON answer.
 */
@Injectable()
export class CsvInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    if (!(request.headers.accept ?? '').includes('text/csv')) return next.handle();
    return next.handle().pipe(
      map((body) => {
        const table = tableOf(body);
        if (!table) return body;
        const response = http.getResponse<Response>();
        const name = request.path.split('/').filter(Boolean).slice(-1)[0] ?? 'report';
        response.setHeader('Content-Type', 'text/csv; charset=utf-8');
        response.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
        return toCsv(table);
      }),
    );
  }
}
