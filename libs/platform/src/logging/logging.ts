import { LoggerModule } from 'nestjs-pino';
import { IncomingMessage } from 'node:http';
import type { Options } from 'pino-http';
import type { RequestWithPrincipal } from '@niryat/auth';

/**
 * Personal and financial identifiers and credentials never reach the logs, wherever they appear in
 * a logged object. Paths are pino's redaction syntax. (The request serializer below logs no
 * headers at all; the header paths guard against someone widening it.)
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  '*.pan',
  '*.gstin',
  '*.bankAccount',
  '*.accountNumber',
  '*.ifsc',
  '*.email',
  '*.mobile',
  '*.password',
  '*.secret',
  '*.token',
];

/**
 * The id of the credential that made the request (never the token), on the request's completion
 * line. Not in `customProps`: pino-http evaluates those once before the guard has run and again at
 * completion, which would bind the correlation id twice.
 */
function withPrincipal(req: IncomingMessage, line: object): object {
  const principalId = (req as RequestWithPrincipal).principal?.id;
  return principalId ? { ...line, principalId } : line;
}

/** pino-http options for a service: service name and version, correlation id, principal id, redaction. */
export function httpLoggerOptions(service: string, version: string, level: string): Options {
  return {
    level,
    base: { service, version },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    genReqId: (req: IncomingMessage) => String(req.headers['x-correlation-id'] ?? crypto.randomUUID()),
    customProps: (req: IncomingMessage) => ({ correlationId: (req as { id?: unknown }).id }),
    customSuccessObject: (req, _res, line: object) => withPrincipal(req, line),
    customErrorObject: (req, _res, _error, line: object) => withPrincipal(req, line),
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

export function loggerModule(service: string, version: string, level: string) {
  return LoggerModule.forRoot({ pinoHttp: httpLoggerOptions(service, version, level) });
}
