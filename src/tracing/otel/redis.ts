import { SpanKind, type Tracer } from '@opentelemetry/api';
import { ATTR_DB_OPERATION_NAME, ATTR_DB_SYSTEM_NAME, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT } from '@opentelemetry/semantic-conventions';
import type { Redis } from 'ioredis';
import { fail } from './spans';
import { recording } from './database';

type Command = { name?: string; promise?: Promise<unknown> };
type Send = (command: Command, ...rest: unknown[]) => unknown;

/**
 * Each command this client sends inside a traced request is a client span named after the command
 * (`EVALSHA`): every command, scripts and pipelines included, goes through `sendCommand`. Its
 * arguments (keys, counts) are not recorded.
 */
export function instrumentRedis(tracer: Tracer, redis: Redis): void {
  const send = redis.sendCommand.bind(redis) as unknown as Send;
  const server = { [ATTR_SERVER_ADDRESS]: redis.options.host ?? 'localhost', [ATTR_SERVER_PORT]: redis.options.port ?? 6379 };
  (redis as unknown as { sendCommand: Send }).sendCommand = (command, ...rest) => {
    const parent = recording();
    if (!parent || !command?.name || !command.promise) return send(command, ...rest);
    const operation = command.name.toUpperCase();
    const attributes = { 'db.system': 'redis', [ATTR_DB_SYSTEM_NAME]: 'redis', [ATTR_DB_OPERATION_NAME]: operation, ...server };
    const span = tracer.startSpan(operation, { kind: SpanKind.CLIENT, attributes }, parent);
    command.promise.then(
      () => span.end(),
      (err: unknown) => {
        fail(span, err);
        span.end();
      },
    );
    return send(command, ...rest);
  };
}
