import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { EnvValidationError } from '../config/service-env';

/**
 * The standard OpenTelemetry variables a service reads (and checks here, so a mistake stops the boot
 * with one message like the rest of the environment). The exporter reads the endpoint and its
 * headers itself; the SDK reads the sampler.
 */
export const TRACING_VARIABLES = [
  'OTEL_TRACES_EXPORTER',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'OTEL_EXPORTER_OTLP_HEADERS',
  'OTEL_SERVICE_NAME',
  'OTEL_RESOURCE_ATTRIBUTES',
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
  'OTEL_BSP_SCHEDULE_DELAY',
] as const;

export interface TracingConfig {
  /** `none` (the default): spans are made, so trace ids propagate and reach the logs, and sent nowhere. */
  exporter: 'none' | 'otlp';
  serviceName: string;
  /** Milliseconds between two exports of the finished spans (OTEL_BSP_SCHEDULE_DELAY, 5000 by default). */
  scheduleDelayMs: number;
}

const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'];

/** Reads and checks the OTEL_* variables; throws one EnvValidationError naming every bad one. */
export function tracingConfigOf(service: string, source: Record<string, string | undefined> = process.env): TracingConfig {
  const value = (name: (typeof TRACING_VARIABLES)[number]) => {
    const raw = source[name]?.trim();
    return raw ? raw : undefined;
  };
  const problems: string[] = [];
  const exporter = (value('OTEL_TRACES_EXPORTER') ?? 'none').toLowerCase();
  if (exporter !== 'none' && exporter !== 'otlp') problems.push(`OTEL_TRACES_EXPORTER: must be none (the default) or otlp, not ${exporter}`);
  for (const name of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] as const) {
    const url = value(name);
    if (url !== undefined && !/^https?:\/\/[^\s/]+/.test(url)) problems.push(`${name}: must be an http:// or https:// URL, not ${url}`);
  }
  for (const name of ['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'] as const) {
    const protocol = value(name);
    if (protocol !== undefined && protocol !== 'http/json') problems.push(`${name}: the services export OTLP over HTTP as JSON: http/json or unset, not ${protocol}`);
  }
  const sampler = value('OTEL_TRACES_SAMPLER');
  if (sampler !== undefined && !SAMPLERS.includes(sampler)) problems.push(`OTEL_TRACES_SAMPLER: must be one of ${SAMPLERS.join(', ')}, not ${sampler}`);
  const ratio = value('OTEL_TRACES_SAMPLER_ARG');
  if (ratio !== undefined && !(Number(ratio) >= 0 && Number(ratio) <= 1)) problems.push(`OTEL_TRACES_SAMPLER_ARG: must be a ratio from 0 to 1, not ${ratio}`);
  const delay = value('OTEL_BSP_SCHEDULE_DELAY') ?? '5000';
  if (!/^\d+$/.test(delay) || Number(delay) < 1) problems.push(`OTEL_BSP_SCHEDULE_DELAY: must be a whole number of milliseconds, at least 1, not ${delay}`);
  if (problems.length > 0) throw new EnvValidationError(`${service}: invalid configuration, refusing to start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return { exporter: exporter as TracingConfig['exporter'], serviceName: value('OTEL_SERVICE_NAME') ?? `niryat-${service}`, scheduleDelayMs: Number(delay) };
}

let provider: NodeTracerProvider | undefined;

/**
 * Registers the process's tracer provider, context manager (AsyncLocalStorage) and W3C propagator:
 * call it before the Nest app is created (runService does), once per process; later calls keep the
 * first. With the exporter off the provider is real all the same: requests and consumers get spans
 * with real ids, parented to what called them, so `traceparent` flows through every record and the
 * ids reach the logs; the spans are only not sent anywhere.
 */
export function startTracing(service: string, source: Record<string, string | undefined> = process.env): TracingConfig {
  const config = tracingConfigOf(service, source);
  if (provider) return config;
  const spanProcessors: SpanProcessor[] = config.exporter === 'otlp' ? [new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: config.scheduleDelayMs })] : [];
  const resource = resourceFromAttributes({ 'service.name': config.serviceName, 'service.namespace': 'niryat', 'service.version': process.env.APP_VERSION ?? 'dev' }).merge(
    detectResources({ detectors: [envDetector] }),
  );
  provider = new NodeTracerProvider({ resource, spanProcessors });
  provider.register();
  return config;
}

/** Sends the spans finished so far (at shutdown, so the last ones are not lost); nothing without an exporter. */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush().catch(() => undefined);
}
