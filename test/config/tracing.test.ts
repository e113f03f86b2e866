import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';

const ON = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };

function refused(env: Record<string, string>, variable: string): string {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    assert.equal(err.variable, variable, err.message);
    return err.message;
  }
  assert.fail(`${JSON.stringify(env)} was accepted`);
}

describe('config: tracing from the standard OTEL_* variables', () => {
  it('off by default; on with either endpoint, over http/protobuf unless told http/json', () => {
    assert.equal(loadConfig({}).tracing, undefined);
    assert.deepEqual(loadConfig(ON).tracing, { protocol: 'http/protobuf' });
    assert.deepEqual(loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otel.example.com/v1/traces' }).tracing, { protocol: 'http/protobuf' });
    assert.deepEqual(loadConfig({ ...ON, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).tracing, { protocol: 'http/json' });
    // The traces-specific variable wins, as the specification says.
    assert.deepEqual(
      loadConfig({ ...ON, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' }).tracing,
      { protocol: 'http/protobuf' },
    );
  });

  it('OTEL_SDK_DISABLED=true and OTEL_TRACES_EXPORTER=none turn it off with an endpoint set', () => {
    assert.equal(loadConfig({ ...ON, OTEL_SDK_DISABLED: 'true' }).tracing, undefined);
    assert.equal(loadConfig({ ...ON, OTEL_TRACES_EXPORTER: 'none' }).tracing, undefined);
  });

  it('refuses what the SDK would ignore with a log line: grpc, unknown samplers, a ratio out of range or without a ratio sampler', () => {
    assert.match(refused({ ...ON, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_PROTOCOL'), /http\/protobuf, http\/json, got 'grpc'/);
    refused({ ...ON, OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT');
    refused({ ...ON, OTEL_TRACES_SAMPLER: 'jaeger_remote' }, 'OTEL_TRACES_SAMPLER');
    refused({ ...ON, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' }, 'OTEL_TRACES_SAMPLER_ARG');
    assert.match(refused({ ...ON, OTEL_TRACES_SAMPLER_ARG: '0.1' }, 'OTEL_TRACES_SAMPLER_ARG'), /only to the ratio samplers/);
    assert.doesNotThrow(() => loadConfig({ ...ON, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }));
  });

  it('refuses a batch larger than the queue, a bad delay and resource attributes that are not key=value pairs', () => {
    refused({ ...ON, OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '200' }, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE');
    refused({ ...ON, OTEL_BSP_SCHEDULE_DELAY: 'soon' }, 'OTEL_BSP_SCHEDULE_DELAY');
    refused({ ...ON, OTEL_RESOURCE_ATTRIBUTES: 'team' }, 'OTEL_RESOURCE_ATTRIBUTES');
    assert.doesNotThrow(() => loadConfig({ ...ON, OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod, team=core' }));
  });
});
