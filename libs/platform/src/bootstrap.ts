import { DynamicModule, INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { migrate, serviceDataSourceOptions } from '@niryat/persistence';
import { DataSource } from 'typeorm';
import { databaseTlsOf } from './config/connections';
import { EnvValidationError, loadEnv, ServiceEnv } from './config/service-env';
import { requestGuards, securityHeaders } from './http/request-guards';
import { httpObservability } from './metrics/http-observability';
import { PlatformMetrics } from './metrics/platform-metrics';
import { PLATFORM_HTTP_OPTIONS, PlatformHttpOptions, PlatformModuleOptions, schemaOfService } from './platform.module';
import { startTracing } from './tracing/tracing';

export interface ServiceDefinition<T extends ServiceEnv> {
  name: string;
  envClass: new () => T;
  appModule: (env: T) => DynamicModule;
}

/** Bad configuration ends the process with one clear message instead of a stack trace. */
export function loadEnvOrExit<T extends ServiceEnv>(envClass: new () => T, name: string): T {
  return orExit(() => loadEnv(envClass, name));
}

function orExit<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof EnvValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * How every service's Nest app is created; a test that creates one itself passes the same
 * (`createNestApplication({ ...HTTP_APP_OPTIONS })`). `rawBody` keeps the bytes of a parsed body in
 * `req.rawBody`, which signed requests (the exports service's partner ingest) are verified against.
 */
export const HTTP_APP_OPTIONS = { rawBody: true } as const satisfies NestApplicationOptions;

/**
 * Applies what every service's HTTP side needs, in tests and in production alike; OpenAPI at /docs.
 * Swagger's routes are registered on the HTTP adapter directly, outside Nest's guards, so /docs
 * needs no credential. Call it before `init()` or `listen()`: the JSON body parser must be in place
 * before Nest registers its default one.
 */
export function configureHttp(app: INestApplication, name: string): INestApplication {
  // First of all: every request is counted, timed and traced, the ones refused below too.
  app.use(httpObservability(app.get(PlatformMetrics)));
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  useJsonBodyLimit(app, app.get<PlatformHttpOptions>(PLATFORM_HTTP_OPTIONS));
  // Before /docs is registered, so its pages get the headers too.
  (app.getHttpAdapter().getInstance() as { disable(setting: string): void }).disable('x-powered-by');
  app.use(securityHeaders);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Niryat ${name}`)
      .setDescription(`The ${name} service's HTTP API. Errors always have the shape { error: { code, message, fields? } }.`)
      .setVersion(process.env.APP_VERSION ?? 'dev')
      // Either scheme carries the same token, niryat_<id>_<secret>; routes marked @Public() need none.
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'niryat_<id>_<secret>' }, 'bearer')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
      .addSecurityRequirements('bearer')
      .addSecurityRequirements('api-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  // After the JSON parser, before every route: what no route may receive (see requestGuards).
  app.use(requestGuards(document));
  return app;
}

/**
 * The service's JSON parser with its size limit (a larger body is a 413 `REQUEST.TOO_LARGE` from the
 * error filter). Nest adds its default parser (100 kB) at `init()` only when none is registered yet,
 * so after `init()` this one would sit behind the routes and never run: that is refused loudly.
 */
function useJsonBodyLimit(app: INestApplication, { jsonBodyLimitBytes }: PlatformHttpOptions): void {
  const express = app.getHttpAdapter().getInstance() as { router?: { stack?: { handle?: { name?: string } }[] } };
  if (express.router?.stack?.some((layer) => layer.handle?.name === 'jsonParser')) {
    throw new Error('configureHttp must be called before app.init() or app.listen(): a JSON body parser is already registered');
  }
  // Through Nest, so the app's `rawBody` option applies to this parser as it would to the default one.
  (app as NestExpressApplication).useBodyParser('json', { limit: jsonBodyLimitBytes });
}

/**
 * Validates config (exits 1 with a clear message on bad config), registers the tracer provider
 * (before Nest creates anything that could start a span), boots the service, listens.
 */
export async function runService<T extends ServiceEnv>(definition: ServiceDefinition<T>): Promise<INestApplication> {
  const env = loadEnvOrExit(definition.envClass, definition.name);
  orExit(() => startTracing(definition.name));
  try {
    const app = configureHttp(await NestFactory.create(definition.appModule(env), { ...HTTP_APP_OPTIONS, bufferLogs: true }), definition.name);
    await app.listen(env.PORT, env.HOST);
    app.get(Logger).log(`${definition.name} listening on http://${env.HOST}:${env.PORT}`);
    return app;
  } catch (error) {
    process.stderr.write(`${definition.name}: failed to start: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  }
}

/** The migration step as its own process: `npm start` runs it before the services, Kubernetes as a Job. */
export async function runMigrations<T extends ServiceEnv>(
  definition: Omit<ServiceDefinition<T>, 'appModule'> & { migrations: PlatformModuleOptions['migrations'] },
): Promise<void> {
  const env = loadEnvOrExit(definition.envClass, definition.name);
  try {
    await migrateSchema(definition.name, env, definition.migrations);
  } catch (error) {
    process.stderr.write(`${definition.name}: migration failed: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

async function migrateSchema(name: string, env: ServiceEnv, migrations: PlatformModuleOptions['migrations']): Promise<void> {
  const schema = schemaOfService(name, env);
  const dataSource = new DataSource(
    serviceDataSourceOptions({ url: env.DATABASE_URL, schema, migrations, applicationName: `niryat-${name}-migrate`, ssl: databaseTlsOf(env) }),
  );
  await dataSource.initialize();
  try {
    const applied = await migrate(dataSource);
    process.stdout.write(`${name}: schema "${schema}" ${applied.length ? `migrated: ${applied.join(', ')}` : 'up to date'}\n`);
  } finally {
    await dataSource.destroy();
  }
}
