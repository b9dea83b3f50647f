import { DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { CredentialStore } from './credential-store';

export interface AuthModuleOptions {
  /** `AUTH_CREDENTIALS`: comma-separated `<id>:<role>:<sha256hex>[:<scope>]`. */
  credentials: string | undefined;
}

/** The credential store and `AuthGuard` as a global guard: every HTTP route of the app is checked. */
@Module({})
export class AuthModule {
  static forRoot({ credentials }: AuthModuleOptions): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [
        {
          provide: CredentialStore,
          useFactory: () => {
            const store = CredentialStore.fromConfig(credentials);
            if (store.size === 0) {
              new Logger('auth').warn('AUTH_CREDENTIALS is empty: every request to a route that is not @Public() will get 401');
            }
            return store;
          },
        },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [CredentialStore],
    };
  }
}
