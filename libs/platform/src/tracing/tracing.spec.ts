import { tracingConfigOf } from './tracing';

describe('tracing configuration (standard OTEL_* variables)', () => {
  it('is off by default, with the service name the services have on Kafka', () => {
    expect(tracingConfigOf('exports', {})).toEqual({ exporter: 'none', serviceName: 'niryat-exports', scheduleDelayMs: 5000 });
  });

  it('exports over OTLP/HTTP when asked, to the standard endpoint variables', () => {
    expect(
      tracingConfigOf('reporting', { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SERVICE_NAME: 'reporting-eu', OTEL_BSP_SCHEDULE_DELAY: '200' }),
    ).toEqual({ exporter: 'otlp', serviceName: 'reporting-eu', scheduleDelayMs: 200 });
  });

  it('refuses to start on a mistake, naming every bad variable in one message', () => {
    expect(() =>
      tracingConfigOf('training', {
        OTEL_TRACES_EXPORTER: 'jaeger',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_TRACES_SAMPLER: 'sometimes',
        OTEL_TRACES_SAMPLER_ARG: '2',
        OTEL_BSP_SCHEDULE_DELAY: 'soon',
      }),
    ).toThrow(
      [
        'training: invalid configuration, refusing to start:',
        '  - OTEL_TRACES_EXPORTER: must be none (the default) or otlp, not jaeger',
        '  - OTEL_EXPORTER_OTLP_ENDPOINT: must be an http:// or https:// URL, not collector:4318',
        '  - OTEL_EXPORTER_OTLP_PROTOCOL: the services export OTLP over HTTP as JSON: http/json or unset, not grpc',
        '  - OTEL_TRACES_SAMPLER: must be one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio, not sometimes',
        '  - OTEL_TRACES_SAMPLER_ARG: must be a ratio from 0 to 1, not 2',
        '  - OTEL_BSP_SCHEDULE_DELAY: must be a whole number of milliseconds, at least 1, not soon',
      ].join('\n'),
    );
  });
});
