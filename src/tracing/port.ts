// What the service asks of tracing, with no runtime dependency: with tracing off (no OTLP endpoint
// configured) nothing implements it, nothing of OpenTelemetry is loaded, and every caller skips
// its hook. src/tracing/otel/ implements it when src/tracing/start.ts is asked to.
import type { Db } from '../store/sqlite/db';
import type { Pool } from 'pg';
import type { Redis } from 'ioredis';
import type { RequestContext } from '../pipeline/context';
import type { ClaimedDelivery } from '../store/ports';

/** The work of `fn` as a span named `name`, child of the active one (a new trace where none is). */
export type Around = <T>(name: string, fn: () => Promise<T>, attributes?: Record<string, string | number>) => Promise<T>;

/** One delivery of a webhook event, as the delivery worker traces it. */
export interface DeliveryTracing {
  /**
   * The whole delivery (the attempt and its recording) as the root of a trace of its own, linked to
   * the request that emitted the event when that request was traced.
   */
  delivery<T>(delivery: ClaimedDelivery, fn: () => Promise<T>): Promise<T>;
  /** The HTTP request to the receiver, a client span; `fn` returns the status (null: no answer) and the failure. */
  attempt<T extends { status: number | null; error: string | null }>(url: URL, fn: () => Promise<T>): Promise<T>;
}

export interface Tracing extends DeliveryTracing {
  /**
   * Runs the request's handling inside its server span: continues a W3C `traceparent` the caller
   * sent, names the span `METHOD route` once the route is known and ends it when the response does.
   */
  serve(ctx: RequestContext, handle: () => void): void;
  around: Around;
  /** Every statement on this SQLite connection (prepared from now on) as a child span. */
  instrumentSqlite(db: Db): void;
  /** Every statement on the pool's connections as a child span. */
  instrumentPg(pool: Pool): void;
  /** Every command of this client as a child span. */
  instrumentRedis(redis: Redis): void;
  /** `trace_id` and `span_id` of the active span, for each log line; empty outside one. */
  logFields(): Record<string, string>;
  /** Exports what is buffered and stops: on shutdown. */
  shutdown(): Promise<void>;
}
