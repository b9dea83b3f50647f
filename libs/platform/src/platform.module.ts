import { DynamicModule, Injectable, MiddlewareConsumer, Module, NestModule, OnApplicationShutdown, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@niryat/auth';
import { KafkaClient, OutboxWriter } from '@niryat/messaging';
import { migrate, serviceDataSourceOptions } from '@niryat/persistence';
import { DataSource, EntitySchema } from 'typeorm';
import { databaseTlsOf, messagingConfigOf } from './config/connections';
import { ServiceEnv } from './config/service-env';
import { HealthController } from './health/health.controller';
import { ConsumerMembershipIndicator } from './health/consumer-membership.indicator';
import { ConsumerPositionsIndicator } from './health/consumer-positions.indicator';
import { KafkaHealthIndicator } from './health/kafka-health.indicator';
import { SetAsideHealthIndicator } from './health/outbox-health.indicator';
import { ErrorBodyFilter, requestValidationPipe } from './http/error-body';
import { loggerModule } from './logging/logging';
import { KafkaLifecycle, OutboxRelayHost, SERVICE_ENV, SERVICE_NAME } from './messaging/messaging.providers';
import { RequestContextMiddleware } from './metrics/http-observability';
import { MetricsController } from './metrics/metrics.controller';
import { OutboxGauges } from './metrics/outbox-gauges';
import { PlatformMetrics } from './metrics/platform-metrics';
import { RetentionService } from './retention/retention.service';
import { flushTracing } from './tracing/tracing';

/** Nest's own default for JSON bodies, kept for services that declare no limit. */
export const DEFAULT_JSON_BODY_LIMIT_BYTES = 100 * 1024;

/** HTTP settings `configureHttp` applies before the app starts listening. */
export interface PlatformHttpOptions {
  /** Largest JSON request body in bytes; a larger one is a 413 `REQUEST.TOO_LARGE`. */
  jsonBodyLimitBytes: number;
}

/** Where `configureHttp` finds the service's `PlatformHttpOptions`. */
export const PLATFORM_HTTP_OPTIONS = Symbol('PLATFORM_HTTP_OPTIONS');

export interface PlatformModuleOptions {
  /** Service name: default schema, Kafka client id, CloudEvents source `/niryat/<name>`. */
  name: string;
  env: ServiceEnv;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: (Function | EntitySchema)[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  /** Defaults to Nest's: JSON bodies up to 100 KiB. */
  http?: Partial<PlatformHttpOptions>;
}

export function schemaOfService(name: string, env: ServiceEnv): string {
  return env.DB_SCHEMA ?? name;
}

/** The spans finished last are sent before the process ends (with an exporter on). */
@Injectable()
class TracingFlush implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await flushTracing();
  }
}

/**
 * What every service has: validated config, logging, its own Postgres schema, Kafka client with
 * outbox writer and relay, `/health` with the probes `/health/live` and `/health/ready`, `/metrics`,
 * traces of requests and events, one error shape for every HTTP failure, and authentication:
 * `AuthModule` registers `AuthGuard` as the global APP_GUARD, so every route needs `@Roles(...)`
 * or `@Public()`, and a route with neither is operator-only.
 */
@Module({})
export class PlatformModule implements NestModule {
  /** After every `app.use` (the body parser among them): the request's trace and message context, entered again for the route. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }

  static forRoot({ name, env, entities = [], migrations, http }: PlatformModuleOptions): DynamicModule {
    const schema = schemaOfService(name, env);
    const httpOptions: PlatformHttpOptions = { jsonBodyLimitBytes: http?.jsonBodyLimitBytes ?? DEFAULT_JSON_BODY_LIMIT_BYTES };
    return {
      module: PlatformModule,
      global: true,
      imports: [
        // /health finds the service's consumers among its providers.
        DiscoveryModule,
        loggerModule(name, process.env.APP_VERSION ?? 'dev', env.LOG_LEVEL),
        AuthModule.forRoot({ credentials: env.AUTH_CREDENTIALS }),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...serviceDataSourceOptions({
              url: env.DATABASE_URL,
              schema,
              entities,
              migrations,
              poolSize: env.DB_POOL_SIZE,
              applicationName: `niryat-${name}`,
              ssl: databaseTlsOf(env),
            }),
            retryAttempts: 5,
            retryDelay: 2_000,
          }),
          dataSourceFactory: async (options) => {
            if (!options) throw new Error('missing data source options');
            const dataSource = await new DataSource(options).initialize();
            if (env.DB_MIGRATE_ON_START) await migrate(dataSource);
            return dataSource;
          },
        }),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_ENV, useValue: env },
        { provide: SERVICE_NAME, useValue: name },
        { provide: PLATFORM_HTTP_OPTIONS, useValue: httpOptions },
        { provide: PlatformMetrics, useFactory: () => new PlatformMetrics(name) },
        {
          provide: KafkaClient,
          useFactory: () => new KafkaClient(messagingConfigOf(name, env)),
        },
        { provide: OutboxWriter, useFactory: () => new OutboxWriter(schema, `/niryat/${name}`) },
        KafkaLifecycle,
        OutboxRelayHost,
        KafkaHealthIndicator,
        ConsumerPositionsIndicator,
        ConsumerMembershipIndicator,
        SetAsideHealthIndicator,
        OutboxGauges,
        TracingFlush,
        RetentionService,
        { provide: APP_FILTER, useClass: ErrorBodyFilter },
        { provide: APP_PIPE, useFactory: requestValidationPipe },
      ],
      exports: [SERVICE_ENV, SERVICE_NAME, PLATFORM_HTTP_OPTIONS, KafkaClient, OutboxWriter, OutboxRelayHost, RetentionService, PlatformMetrics],
    };
  }
}
