// The report's sections for issue #15's runtime targets: before/after (BENCH_BEFORE), the latency
// tail with the event-loop delay under both load generators, memory, and the targets themselves.
import type { BenchOptions } from './options';
import { pairedRatio, summarize, type ScenarioResult } from './rounds';
import { fmt, ms, ratio } from './format';
import { median } from './stats';
import type { Before } from './before';
import type { WrkResult, WrkRound } from './wrk';

export interface Memory {
  fullAfterMain: number;
  fullEnd: number;
  bare: number;
  /** The `before` build's, when BENCH_BEFORE ran. */
  before?: number;
}

const mib = (kib: number) => fmt(kib / 1024, 1);
const med = (rs: WrkRound[], f: (r: WrkRound) => number) => median(rs.map(f));

export function beforeAfterSection(results: ScenarioResult[], before: Before | undefined, wrk: WrkResult | undefined): string[] {
  if (!before) return [];
  const md = [
    '## Before and after',
    '',
    `\`before\` is commit ${before.commit.slice(0, 7)} ("${before.subject}"), built in a git worktree of its own and run as one more side ` +
      'of the same interleaved rounds (`BENCH_BEFORE`, scripts/bench/before.ts), pinned like the service, on the same database file' +
      `${before.lockChanged ? ' (with this checkout\'s node_modules: its package-lock.json differs)' : ''}. ` +
      'Paired: the median over rounds of after/before within the same round.',
    '',
    '| endpoint | server CPU µs/response before, after | after/before CPU, paired | after/before throughput, paired | p99 ms before, after | event-loop delay p99 ms before, after |',
    '|---|--:|--:|--:|--:|--:|',
  ];
  for (const r of results) {
    const [b, a] = [r.rounds.before!, r.rounds.full!];
    const [sb, sa] = [summarize(b), summarize(a)];
    md.push(`| \`${r.scenario.title}\` | ${fmt(sb.cpuUs)}, ${fmt(sa.cpuUs)} | **${ratio(pairedRatio(a, b, (x) => x.serverCpuUs))}** | ` +
      `${ratio(pairedRatio(a, b, (x) => x.rps))} | ${ms(sb.p99)}, ${ms(sa.p99)} | ${fmt(sb.loopP99, 1)}, ${fmt(sa.loopP99, 1)} |`);
  }
  const w = wrk?.rounds;
  if (w?.before && w.full) {
    md.push(`| \`GET /v1/projects?limit=20\` under wrk | ${fmt(med(w.before, (x) => x.serverCpuUs))}, ${fmt(med(w.full, (x) => x.serverCpuUs))} | ` +
      `**${ratio(median(w.full.map((x, i) => x.serverCpuUs / w.before![i].serverCpuUs)))}** | ${ratio(median(w.full.map((x, i) => x.rps / w.before![i].rps)))} | ` +
      `${ms(med(w.before, (x) => x.p99))}, ${ms(med(w.full, (x) => x.p99))} | ${fmt(med(w.before, (x) => x.loopP99), 1)}, ${fmt(med(w.full, (x) => x.loopP99), 1)} |`);
  }
  md.push('');
  return md;
}

export function tailSection(opts: BenchOptions, results: ScenarioResult[], wrk: WrkResult | undefined): string[] {
  const md = [
    '## The latency tail and the event loop',
    '',
    'Event-loop delay: how long a timer due on the server waited behind other work (`perf_hooks.monitorEventLoopDelay`, ' +
      '10 ms resolution), over each round: the service reports it on its own `/metrics` (prom-client\'s `nodejs_eventloop_lag_*`, ' +
      'reset at each scrape; read before and after the round), bare Express through a route of the bench\'s with the same monitor. ' +
      'Medians over rounds.',
    '',
    '| endpoint (autocannon) | p99 ms bare, full | full/bare p99 | full/bare p99, paired | event-loop delay p50 ms bare, full | event-loop delay p99 ms bare, full |',
    '|---|--:|--:|--:|--:|--:|',
  ];
  for (const r of results) {
    const [b, f] = [summarize(r.rounds.bare!), summarize(r.rounds.full!)];
    md.push(`| \`${r.scenario.title}\` | ${ms(b.p99)}, ${ms(f.p99)} | **${ratio(f.p99 / b.p99)}** | ${ratio(pairedRatio(r.rounds.full!, r.rounds.bare!, (x) => x.p99))} | ` +
      `${fmt(b.loopP50, 1)}, ${fmt(f.loopP50, 1)} | ${fmt(b.loopP99, 1)}, ${fmt(f.loopP99, 1)} |`);
  }
  md.push('');
  if (!wrk) {
    md.push('wrk was not run (`BENCH_WRK=0`, or not installed and not installable here).', '');
    return md;
  }
  const { bare, full } = wrk.rounds as Required<WrkResult['rounds']>;
  md.push(
    `The list page again with ${wrk.version.split(' [')[0]} from Debian's packages as the load generator (one thread, ${opts.connections} connections, ` +
      `pinned like autocannon; \`--latency\`), ${opts.rounds} interleaved rounds of ${opts.duration} s after a ${opts.warmup} s warm-up per side:`,
    '',
    '| side | req/s | p50 ms | p99 ms | p99 / bare p99 | event-loop delay p99 ms | server CPU µs/response |',
    '|---|--:|--:|--:|--:|--:|--:|',
  );
  for (const [side, rs] of Object.entries(wrk.rounds)) {
    md.push(`| ${side} | ${fmt(med(rs, (x) => x.rps))} | ${ms(med(rs, (x) => x.p50))} | ${ms(med(rs, (x) => x.p99))} | ` +
      `**${ratio(med(rs, (x) => x.p99) / med(bare, (x) => x.p99))}** | ${fmt(med(rs, (x) => x.loopP99), 1)} | ${fmt(med(rs, (x) => x.serverCpuUs))} |`);
  }
  md.push('', `wrk p99 of every round: bare ${bare.map((x) => ms(x.p99)).join(', ')}; full ${full.map((x) => ms(x.p99)).join(', ')}.`, '');
  return md;
}

export function memorySection(opts: BenchOptions, m: Memory): string[] {
  return [
    '## Memory',
    '',
    `- Peak RSS (VmHWM) of the service: **${mib(m.fullAfterMain)} MiB** after the endpoint runs (bare Express: ${mib(m.bare)} MiB` +
      `${m.before !== undefined ? `; the \`before\` build: ${mib(m.before)} MiB` : ''}), ` +
      `${mib(m.fullEnd)} MiB at the end (after walking and paging the ${fmt(opts.deepRows)}-row workspace: SQLite's page cache and ` +
      'its mmap of the database file count as resident).',
    '',
  ];
}

/** One line of the report's targets: what is required, what was measured, whether it holds. */
interface Goal {
  text: string;
  value: string;
  met: boolean;
}

export function targetLines(results: ScenarioResult[], wrk: WrkResult | undefined, m: Memory): string[] {
  const list = results.find((x) => x.scenario.key === 'list')!;
  const [b, f] = [summarize(list.rounds.bare!), summarize(list.rounds.full!)];
  const targets: Goal[] = [
    { text: 'GET /v1/projects?limit=20 throughput >= 0.35 of bare Express (everything on, one core)', value: ratio(f.rps / b.rps), met: f.rps / b.rps >= 0.35 },
    { text: 'GET /v1/projects?limit=20 p99 <= 3x bare Express (autocannon)', value: `${ratio(f.p99 / b.p99)}x`, met: f.p99 / b.p99 <= 3 },
  ];
  if (wrk) {
    const p99 = (side: 'bare' | 'full') => med(wrk.rounds[side]!, (x) => x.p99);
    targets.push({ text: 'GET /v1/projects?limit=20 p99 <= 3x bare Express (wrk)', value: `${ratio(p99('full') / p99('bare'))}x`, met: p99('full') / p99('bare') <= 3 });
  }
  targets.push({ text: 'peak RSS after the endpoint runs <= 180 MiB', value: `${mib(m.fullAfterMain)} MiB`, met: m.fullAfterMain / 1024 <= 180 });
  return ['### Targets', '', ...targets.map((t) => `- ${t.met ? 'MET' : 'NOT MET'}: ${t.text} (measured ${t.value}).`), ''];
}
