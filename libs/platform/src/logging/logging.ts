import { LoggerModule } from 'nestjs-pino';
import { IncomingMessage } from 'node:http';
import type { Options } from 'pino-http';
import type { RequestWithPrincipal } from '@niryat/auth';
import { maskPersonalData } from '@niryat/india';
import { activeTraceIds, currentMessageContext } from '@niryat/messaging';
import { isOperationalPath, requestIdOf, requestTraceIds } from '../metrics/http-observability';

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
 * The id of the credential that made the request (never the token) and the request's trace, on its
 * completion line. Not in `customProps`: pino-http evaluates those once before the guard has run and
 * again at completion, which would bind the correlation id twice.
 */
function withPrincipal(req: IncomingMessage, line: object): object {
  const principalId = (req as RequestWithPrincipal).principal?.id;
  return { ...line, ...requestTraceIds(req), ...(principalId ? { principalId } : {}) };
}

/**
 * On every line: the trace and span of the work in progress, and, in a consumer, the correlation
 * and causation ids of the events it applies (an HTTP request's logger binds its correlation id
 * itself). Searching the logs for a trace id finds every line of it in every service.
 */
export function traceMixin(): object {
  const cause = currentMessageContext();
  const ids = activeTraceIds();
  if (!cause || cause.boundByRequestLogger) return ids ?? {};
  return {
    ...ids,
    ...(cause.correlationId ? { correlationId: maskPersonalData(cause.correlationId) } : {}),
    ...(cause.causationId ? { causationId: maskPersonalData(cause.causationId) } : {}),
  };
}

/** Keys whose values never reach a log line, at any depth, whatever the logged object. */
const SENSITIVE_KEYS = new Set(
  ['pan', 'gstin', 'udyamNumber', 'iec', 'bankAccount', 'accountNumber', 'ifsc', 'email', 'mobile', 'contact', 'password', 'secret', 'token', 'authorization', 'x-api-key', 'cookie', 'parameters', 'detail'].map(
    (key) => key.toLowerCase(),
  ),
);

const isPlain = (value: object) => {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/**
 * A logged value made safe: every string with anything that looks like personal data masked
 * (`maskPersonalData`), every sensitive key's value replaced, at any depth of plain objects and
 * arrays. Class instances (a request, a response) are left to their serializers.
 */
export function scrubbed(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonalData(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return errorLine(value);
  if (depth >= 10) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => scrubbed(item, depth + 1));
  if (!isPlain(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, SENSITIVE_KEYS.has(key.toLowerCase()) ? '[redacted]' : scrubbed(item, depth + 1)]));
}

/**
 * An error as a log line holds it: its type, code, message and stack, masked. Never its other
 * fields: a TypeORM QueryFailedError carries the query's parameters, a pg error the key values.
 */
function errorLine(error: Error): object {
  const code = (error as { code?: unknown }).code;
  return { type: error.name, ...(typeof code === 'string' ? { code } : {}), message: maskPersonalData(error.message), stack: error.stack && maskPersonalData(error.stack) };
}

/** pino-http options for a service: service name and version, correlation id, principal id, redaction. */
export function httpLoggerOptions(service: string, version: string, level: string): Options {
  return {
    level,
    base: { service, version },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // Every line, from the HTTP logger and from Nest's loggers alike (they write through this one).
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => scrubbed(arg)) as Parameters<typeof method>);
      },
    },
    mixin: traceMixin,
    // The id the first middleware gave the request (the caller's X-Correlation-Id or a new one): also its events' correlation id.
    genReqId: (req: IncomingMessage) => requestIdOf(req),
    customProps: (req: IncomingMessage) => ({ correlationId: (req as { id?: unknown }).id }),
    customSuccessObject: (req, _res, line: object) => withPrincipal(req, line),
    customErrorObject: (req, _res, _error, line: object) => withPrincipal(req, line),
    autoLogging: { ignore: (req: IncomingMessage) => isOperationalPath((req.url ?? '').split('?')[0]) },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      // An error logged as `err` (the hook above has made one logged as such already safe).
      err: (error: unknown) => (error instanceof Error ? errorLine(error) : error),
    },
  };
}

export function loggerModule(service: string, version: string, level: string) {
  return LoggerModule.forRoot({ pinoHttp: httpLoggerOptions(service, version, level) });
}
