import { DynamicModule, Logger, Module } from '@nestjs/common';
import { PARTNER_AUTH_OPTIONS, PartnerAuthOptions } from './partner-auth.options';
import { PartnerKeyCipher } from './partner-key-cipher';
import { PartnerKeysController } from './partner-keys.controller';
import { PartnerKeysService } from './partner-keys.service';
import { PartnerRateLimitGuard } from './partner-rate-limit.guard';
import { PartnerRateLimiter } from './partner-rate-limiter';
import { PartnerReplayCache } from './partner-replay-cache';
import { PartnerReplayRelease } from './partner-replay-release.interceptor';
import { PartnerSignatureGuard } from './partner-signature.guard';

/**
 * Partner keys (operator API) and what `@PartnerSigned()` routes need: the signature guard, the
 * rate limiter and the key cache. Global, so a controller in any module of the app can use the
 * decorator; one rate limiter and one key cache per app.
 */
@Module({})
export class PartnerAuthModule {
  static forRoot(options: PartnerAuthOptions): DynamicModule {
    return {
      module: PartnerAuthModule,
      global: true,
      controllers: [PartnerKeysController],
      providers: [
        { provide: PARTNER_AUTH_OPTIONS, useValue: options },
        {
          provide: PartnerKeyCipher,
          useFactory: () => {
            const cipher = new PartnerKeyCipher(options.encryptionKey);
            if (!cipher.configured) {
              new Logger('partner-auth').warn(
                'PARTNER_KEY_ENCRYPTION_KEY is not set: partner keys cannot be created and signed partner requests get 503 PARTNER_AUTH.NOT_CONFIGURED',
              );
            }
            return cipher;
          },
        },
        { provide: PartnerRateLimiter, useFactory: () => new PartnerRateLimiter(options.ratePerMinute) },
        { provide: PartnerReplayCache, useFactory: () => new PartnerReplayCache(options.toleranceSeconds) },
        PartnerReplayRelease,
        PartnerKeysService,
        PartnerSignatureGuard,
        PartnerRateLimitGuard,
      ],
      exports: [PARTNER_AUTH_OPTIONS, PartnerKeyCipher, PartnerRateLimiter, PartnerReplayCache, PartnerReplayRelease, PartnerKeysService, PartnerSignatureGuard, PartnerRateLimitGuard],
    };
  }
}
