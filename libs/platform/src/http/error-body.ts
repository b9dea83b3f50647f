import { ArgumentMetadata, ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Injectable, Logger, PipeTransform, ValidationPipe } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { Response } from 'express';
import { flattenValidationErrors } from '@niryat/contracts';
import { isTransientDbError } from '@niryat/persistence';
import { DomainError } from './domain-error';

/** Every error response has this shape: `{ error: { code, message, fields?, ...details } }`. */
export interface ErrorBody {
  error: { code: string; message: string; [detail: string]: unknown };
}

export class RequestValidationError extends DomainError {}

/** Validates request bodies and queries; all failing fields are reported at once, nothing else runs. */
export function requestValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = flattenValidationErrors(errors);
      return new RequestValidationError(
        'REQUEST.VALIDATION_FAILED',
        `${fields.length} field(s) failed validation`,
        HttpStatus.BAD_REQUEST,
        { fields },
      );
    },
  });
}

/** What terminus answers /health with: which part is up or down, with its details. */
interface HealthBody {
  status: string;
  details: Record<string, unknown>;
}

function isHealthBody(value: unknown): value is HealthBody {
  const body = value as Partial<HealthBody> | null;
  return typeof body === 'object' && body !== null && typeof body.status === 'string' && typeof body.details === 'object' && body.details !== null;
}

function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as Partial<ErrorBody> | null)?.error;
  return typeof error === 'object' && error !== null && typeof error.code === 'string' && typeof error.message === 'string';
}

const STATUS_CODES: Record<number, string> = {
  400: 'REQUEST.BAD_REQUEST',
  401: 'AUTH.UNAUTHENTICATED',
  403: 'AUTH.FORBIDDEN',
  404: 'REQUEST.NOT_FOUND',
  405: 'REQUEST.METHOD_NOT_ALLOWED',
  413: 'REQUEST.TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  429: 'REQUEST.RATE_LIMITED',
};

/** Maps domain, HTTP and unexpected errors to one JSON shape; never leaks internals on a 500. */
@Catch()
export class ErrorBodyFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const [status, body] = this.toBody(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    // The database away for a moment (a restart, a failover): worth a retry, and the client is told when.
    if (status === HttpStatus.SERVICE_UNAVAILABLE && (body as ErrorBody).error?.code === 'SERVICE.UNAVAILABLE') response.setHeader('Retry-After', '2');
    response.status(status).json(body);
  }

  private toBody(exception: unknown): [number, ErrorBody | HealthBody] {
    if (exception instanceof DomainError) {
      return [exception.status, { error: { code: exception.code, message: exception.message, ...exception.details } }];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      // Already in this shape (the auth guard's 401 and 403): passed on as it is.
      if (isErrorBody(raw)) return [status, raw];
      // /health's 503: the part that is down, and why, is the answer.
      if (isHealthBody(raw)) return [status, raw];
      const message = typeof raw === 'string' ? raw : String((raw as { message?: unknown }).message ?? exception.message);
      return [status, { error: { code: STATUS_CODES[status] ?? `HTTP.${status}`, message } }];
    }
    // body-parser errors (malformed JSON, body too large) arrive as plain errors with a status.
    const status = Number((exception as { status?: unknown })?.status);
    if (status >= 400 && status < 500) {
      return [status, { error: { code: STATUS_CODES[status] ?? `HTTP.${status}`, message: (exception as Error).message } }];
    }
    if (isTransientDbError(exception)) {
      return [HttpStatus.SERVICE_UNAVAILABLE, { error: { code: 'SERVICE.UNAVAILABLE', message: 'the database is not answering for a moment; send the request again shortly' } }];
    }
    return [HttpStatus.INTERNAL_SERVER_ERROR, { error: { code: 'INTERNAL', message: 'internal error' } }];
  }
}

/**
 * A path parameter that must be a UUID: anything else is a 400 naming the parameter (`isUuid`),
 * before a query could fail on it. Use as `@Param('id', UuidParam)`.
 */
@Injectable()
export class UuidParam implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && isUUID(value)) return value;
    const field = metadata.data ?? 'id';
    throw new RequestValidationError('REQUEST.VALIDATION_FAILED', '1 field(s) failed validation', HttpStatus.BAD_REQUEST, {
      fields: [{ field, code: 'isUuid', message: `${field} must be a UUID` }],
    });
  }
}
