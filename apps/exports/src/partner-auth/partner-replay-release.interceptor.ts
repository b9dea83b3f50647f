import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { DomainError } from '@niryat/platform';
import { catchError, Observable, throwError } from 'rxjs';
import { PartnerReplayCache } from './partner-replay-cache';
import { PartnerSignedRequest } from './partner-signed-request';

/**
 * A signed request the service failed on (a 5xx: Kafka unreachable, say) may be sent again as it
 * was: its claim in the replay cache is given back. A refused one (4xx) stays claimed, so
 * replaying it is cheap too.
 */
@Injectable()
export class PartnerReplayRelease implements NestInterceptor {
  constructor(private readonly replays: PartnerReplayCache) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const fingerprint = context.switchToHttp().getRequest<PartnerSignedRequest>().replayFingerprint;
    return next.handle().pipe(
      catchError((error: unknown) => {
        const serverFault = !(error instanceof DomainError) || error.status >= 500;
        if (fingerprint && serverFault) this.replays.release(fingerprint);
        return throwError(() => error);
      }),
    );
  }
}
