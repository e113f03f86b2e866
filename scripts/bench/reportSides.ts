// The report's section on the other builds of the service: PostgreSQL + Redis, and several
// workers. Each says how its CPU figure was taken, because what it counts differs.
import type { BenchOptions } from './options';
import { pairedRatio, summarize, type ScenarioResult, type Side, type Summary } from './rounds';
import { fmt, ms, ratio } from './format';

export interface SidesInfo {
  /** PostgreSQL's version and host, when the `pg` side ran. */
  postgres?: { version: string; host: string };
  workers: number;
}

const pct = (share: number) => `${fmt(share * 100)}%`;

function rowsOf(results: ScenarioResult[], side: Side) {
  return results
    .filter((r) => r.rounds[side])
    .map((r) => ({ r, s: summarize(r.rounds[side]!), full: summarize(r.rounds.full!), bare: summarize(r.rounds.bare!) }));
}

function postgres(opts: BenchOptions, results: ScenarioResult[], info: SidesInfo['postgres']): string[] {
  if (!info) {
    return ['Not measured in this run: set `DATABASE_URL` and `REDIS_URL` (or `BENCH_DATABASE_URL` and `BENCH_REDIS_URL`) to measure it.', ''];
  }
  const md = [
    `The same service and settings with \`DATABASE_URL\` on PostgreSQL ${info.version} at ${info.host} (a schema of the run's own as ` +
      '`search_path`, dropped at the end) and rate limits in Redis (`REDIS_URL`, `RATE_LIMIT_STORE=redis`, a key prefix of the run\'s own, ' +
      `deleted at the end), seeded through the store with the same users and ${fmt(opts.projects)} projects. The service is pinned like ` +
      'the SQLite one; PostgreSQL and Redis are not, so they take CPU where the scheduler puts them, the load generator\'s core included.',
    '',
    'CPU per response: *service* is the service process\'s own time from `/proc`, as for the other sides, and does not include the ' +
      'databases. *PostgreSQL* is the time of the backends serving the service\'s connections (found by `application_name` in ' +
      '`pg_stat_activity`, read from `/proc/<pid>/stat` of each), without PostgreSQL\'s shared background processes (WAL writer, ' +
      'checkpointer). *Redis* is `used_cpu_user + used_cpu_sys` of `INFO cpu`: the whole Redis server, including any other client ' +
      'it served meanwhile. *All* is their sum: the CPU one response costs the machine.',
    '',
    '| endpoint | req/s | x bare Express | x SQLite | x SQLite, paired | p99 ms SQLite, PostgreSQL | service CPU µs/response SQLite, PostgreSQL | PostgreSQL µs/response | Redis µs/response | all µs/response |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const { r, s, full, bare } of rowsOf(results, 'pg')) {
    const all = s.cpuUs + s.postgresCpuUs + s.redisCpuUs;
    md.push(`| \`${r.scenario.title}\` | ${fmt(s.rps)} | **${ratio(s.rps / bare.rps)}** | **${ratio(s.rps / full.rps)}** | ` +
      `${ratio(pairedRatio(r.rounds.pg!, r.rounds.full!, (x) => x.rps))} | ${ms(full.p99)}, ${ms(s.p99)} | ${fmt(full.cpuUs)}, ${fmt(s.cpuUs)} | ` +
      `${fmt(s.postgresCpuUs)} | ${fmt(s.redisCpuUs)} | ${fmt(all)} |`);
  }
  md.push('');
  return md;
}

function workers(opts: BenchOptions, results: ScenarioResult[], n: number): string[] {
  if (n < 2) return ['Not measured in this run (`BENCH_WORKERS=1`).', ''];
  const rows = rowsOf(results, 'workers').map((x) => ({ ...x, one: summarize(x.r.rounds.oneWorker!) }));
  const loadShare = Math.max(...rows.map((x) => x.s.loadCpuShare));
  const md = [
    `The SQLite service with \`WORKERS=${n}\` (node:cluster: a primary hands connections to ${n} workers) and, as its reference, with ` +
      '`WORKERS=1`, both on the same database file as the service above and with rate-limit counters in the database ' +
      '(`RATE_LIMIT_STORE=database`): with several workers the service refuses in-memory counters, so every request also updates its ' +
      'counter in SQLite. The reference separates what the counters cost (`WORKERS=1` against the service above, which counts in memory) ' +
      `from what the workers do (\`WORKERS=${n}\` against \`WORKERS=1\`). Server CPU sums the primary and its workers (the primary's ` +
      'children, from `/proc`).',
    '',
    `Pinning: \`WORKERS=1\` is pinned like the service above; the ${n} workers are ${opts.pin ? `not pinned, while the load generator stays on CPU ${opts.loadCpu}` : 'not pinned either'}. ` +
      'Pinned to one core, the workers would only take turns on it, which measures the cost of the cluster and nothing of its use; ' +
      `unpinned, a worker can use what the load generator leaves of the other core. On ${opts.nproc} CPUs no core is left for the load ` +
      `generator alone: it used up to ${pct(loadShare)} of a core in the ${n}-worker rounds, and the workers share the rest with ` +
      'whatever else runs. So the throughput below is what this machine gives, not what ' +
      `${n} workers can serve (the last column shows how many cores were busy). CPU per response does not depend on that and is the ` +
      `figure to compare: \`WORKERS=1\` over \`WORKERS=${n}\` of it is the change in what one core serves, and ${n} times that is the ` +
      `throughput ${n} cores given to the service alone would reach relative to one (a projection, not a measurement).`,
    '',
    `| endpoint | req/s WORKERS=1, ${n} | ${n}/1 throughput, paired | p99 ms WORKERS=1, ${n} | server CPU µs/response: memory counters, ` +
      `WORKERS=1, WORKERS=${n} | WORKERS 1/${n} CPU per response | projected ${n} cores / 1 core | cores busy at WORKERS=${n}: server, load generator |`,
    '|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const { r, s, full, one } of rows) {
    md.push(`| \`${r.scenario.title}\` | ${fmt(one.rps)}, ${fmt(s.rps)} | ${ratio(pairedRatio(r.rounds.workers!, r.rounds.oneWorker!, (x) => x.rps))} | ` +
      `${ms(one.p99)}, ${ms(s.p99)} | ${fmt(full.cpuUs)}, ${fmt(one.cpuUs)}, ${fmt(s.cpuUs)} | **${ratio(one.cpuUs / s.cpuUs)}** | ` +
      `${ratio((n * one.cpuUs) / s.cpuUs)} | ${fmt((s.rps * s.cpuUs) / 1e6, 2)}, ${fmt(s.loadCpuShare, 2)} |`);
  }
  md.push('');
  return md;
}

function everyRound(results: ScenarioResult[], n: number): string[] {
  const names = { pg: 'PostgreSQL + Redis', oneWorker: 'WORKERS=1', workers: `WORKERS=${n}` };
  const sides = (['pg', 'oneWorker', 'workers'] as const).filter((side) => results[0]?.rounds[side]);
  if (sides.length === 0) return [];
  const head = sides.map((side) => `${names[side]} rounds`).join(' | ');
  const md = ['Requests/s of every round:', '', `| endpoint | ${head} |`, `|---|${sides.map(() => '---|').join('')}`];
  for (const r of results) md.push(`| \`${r.scenario.title}\` | ${sides.map((side) => r.rounds[side]!.map((x) => fmt(x.rps)).join(', ')).join(' | ')} |`);
  md.push('');
  return md;
}

export function sidesSection(opts: BenchOptions, results: ScenarioResult[], info: SidesInfo): string[] {
  return [
    `## PostgreSQL + Redis, and WORKERS=${Math.max(info.workers, 2)}`,
    '',
    'The same endpoints, measured in the same interleaved rounds as the table above (each round visits every side in turn).',
    '',
    '### PostgreSQL + Redis',
    '',
    ...postgres(opts, results, info.postgres),
    `### WORKERS=${Math.max(info.workers, 2)}`,
    '',
    ...workers(opts, results, info.workers),
    ...everyRound(results, info.workers),
  ];
}
