import { Logger as NestLogger } from '@nestjs/common';
import type { Logger } from 'typeorm';

/** Enough of a statement to find it in the code; never its parameters. */
const QUERY_SHOWN = 300;

const shortened = (query: string) => {
  const flat = query.replace(/\s+/g, ' ').trim();
  return flat.length > QUERY_SHOWN ? `${flat.slice(0, QUERY_SHOWN)}…` : flat;
};

/**
 * TypeORM's log lines through the service's logger (JSON, with its redaction), and never a query's
 * parameters: they hold whatever the statement writes (a seller's PAN, GSTIN, contacts, bank
 * account), and TypeORM's own loggers print them in plain text on a failed query. A failure is
 * logged with Postgres's error code and message (not its `detail`, which quotes key values) and
 * the statement's first characters.
 */
export class ParameterFreeQueryLogger implements Logger {
  private readonly logger = new NestLogger('typeorm');

  logQuery(): void {
    // Queries are not logged one by one (the `logging` option asks for errors only).
  }

  logQueryError(error: string | Error, query: string): void {
    const code = typeof error === 'string' ? undefined : (error as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (error as { code?: string }).code;
    const message = typeof error === 'string' ? error : error.message;
    this.logger.error(`query failed${code ? ` (${code})` : ''}: ${message}; query: ${shortened(query)}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${shortened(query)}`);
  }

  logSchemaBuild(message: string): void {
    this.logger.log(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    if (level === 'warn') this.logger.warn(text);
    else this.logger.log(text);
  }
}
