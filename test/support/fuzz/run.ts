import { takeViolations, type Violation } from '../contractCheck';
import type { TestApp } from '../../helpers';
import { listen, type WireRequest, type WireResponse } from './client';
import { logLinesOf, problemOf, violationFailures, type Failure } from './check';
import type { FuzzRequest } from './requests';
import { buildWorld, type World } from './world';

/** FUZZ_SEED, or a fresh random seed (printed by the tests, so a failing run replays). */
export function fuzzSeed(): number {
  const given = process.env.FUZZ_SEED;
  if (given !== undefined && given !== '') {
    if (!/^-?\d+$/.test(given)) throw new Error(`FUZZ_SEED must be an integer, got '${given}'`);
    return Number(given);
  }
  return Math.floor(Math.random() * 2 ** 31);
}

export interface Exchange {
  req: FuzzRequest;
  wire: WireRequest;
  res: WireResponse;
}

/** An app listening on 127.0.0.1 with its world built: what the fuzz and differential tests send to. */
export async function fuzzTarget(t: TestApp) {
  const world: World = await buildWorld(t);
  const client = await listen(t.app);
  const lines = () => t.rawLog().split('\n').filter(Boolean);
  const unclaimed: Violation[] = [];

  /** The contract violations of this request, found by its method and URL among those recorded meanwhile. */
  function violationsOf(wire: WireRequest): Violation[] {
    unclaimed.push(...takeViolations());
    const request = `${wire.method.toUpperCase()} ${wire.url}`;
    const mine = unclaimed.filter((v) => v.request === request);
    unclaimed.splice(0, unclaimed.length, ...unclaimed.filter((v) => v.request !== request));
    return mine;
  }

  /** Sends one generated request; returns the exchange and what broke the fuzz rules. */
  async function exchange(req: FuzzRequest): Promise<Exchange & { failures: Failure[] }> {
    const wire = world.resolve(req);
    let res: WireResponse;
    try {
      res = await client.send(wire);
    } catch (err) {
      // The server closed or reset the connection without an answer.
      const failure: Failure = { rule: 'transport', problem: (err as Error).message, req, wire, status: 0 };
      return { req, wire, res: { status: 0, headers: {}, text: '', json: undefined }, failures: [failure] };
    }
    const failures = violationFailures(violationsOf(wire), req, wire, res);
    const problem = problemOf(res);
    if (problem) {
      const requestId = res.headers['x-request-id'] as string | undefined;
      failures.push({ ...problem, req, wire, status: res.status, code: res.json?.error?.code, log: res.status >= 500 ? logLinesOf(lines, requestId) : undefined });
    }
    world.observe(res);
    return { req, wire, res, failures };
  }

  return { world, exchange, close: client.close, unclaimed };
}

export type FuzzTarget = Awaited<ReturnType<typeof fuzzTarget>>;

/** Counts a response under its status, and its error code for an error (`200`, `400 validation_failed`). */
export function countStatus(counts: Map<string, number>, res: WireResponse): void {
  const key = res.status >= 400 ? `${res.status} ${res.json?.error?.code ?? '?'}` : String(res.status);
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Most frequent first. */
export const sorted = (counts: Map<string, number>) => new Map([...counts].sort((a, b) => b[1] - a[1]));
