import { LoggerModule } from 'nestjs-pino';
import { IncomingMessage } from 'node:http';

/**
 * Personal and financial identifiers never reach the logs, wherever they appear in a logged object.
 * Paths are pino's redaction syntax.
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
];

export function loggerModule(service: string, version: string, level: string) {
  return LoggerModule.forRoot({
    pinoHttp: {
      level,
      base: { service, version },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      genReqId: (req: IncomingMessage) => String(req.headers['x-correlation-id'] ?? crypto.randomUUID()),
      customProps: (req: IncomingMessage) => ({ correlationId: (req as { id?: unknown }).id }),
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  });
}
