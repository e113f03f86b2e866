// Deep pages: walk the cursor to a depth of the big workspace, then page 1 against the page there,
// one request at a time and under load. Keyset pagination should make them cost the same.
import { expectOk } from './client';
import type { BenchOptions } from './options';
import { checkClean, summarize, type createRounds, type Round, type Summary, type Target } from './rounds';
import { percentile } from './stats';

export interface DeepResult {
  walkRequests: number;
  walkSeconds: number;
  seqFirst: { p50: number; p99: number };
  seqDeep: { p50: number; p99: number };
  load: { first: Summary; deep: Summary };
}

const seqStats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99) };
};

export async function measureDeepPages(
  service: Pick<Target, 'url' | 'cpu'>,
  headers: Record<string, string>,
  opts: BenchOptions,
  rounds: ReturnType<typeof createRounds>,
  log: (msg: string) => void,
): Promise<DeepResult> {
  const get = (path: string, what: string) => expectOk(service.url + path, { headers }, what);
  log(`deep pages: walking ${opts.deepDepth.toLocaleString('en-US')} rows with limit=100`);
  const walkStart = process.hrtime.bigint();
  let cursor: string | null = null;
  let walked = 0;
  let walkRequests = 0;
  while (walked < opts.deepDepth) {
    const limit = Math.min(100, opts.deepDepth - walked);
    const r = await get(`/v1/projects?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, `walk at ${walked}`);
    walkRequests++;
    const page = JSON.parse(r.body) as { data: unknown[]; meta: { next_cursor: string | null } };
    walked += page.data.length;
    cursor = page.meta.next_cursor;
    if (!cursor) throw new Error(`the listing ended after ${walked} rows`);
    if (walkRequests % 1000 === 0) log(`  ${walked.toLocaleString('en-US')} rows, last page ${r.ms.toFixed(2)} ms`);
  }
  const walkSeconds = Number(process.hrtime.bigint() - walkStart) / 1e9;
  const paths = { first: '/v1/projects?limit=20', deep: `/v1/projects?limit=20&cursor=${cursor}` };
  const deepCheck = JSON.parse((await get(paths.deep, 'deep page')).body) as { data: { name: string }[] };
  const expectedName = `Deep project ${opts.deepRows - 1 - opts.deepDepth}`;
  if (deepCheck.data[0]?.name !== expectedName) throw new Error(`deep page starts with ${deepCheck.data[0]?.name}, expected ${expectedName}`);

  // Sequential, one connection, alternating, after a short warm-up: pure per-request latency.
  const seq = { first: [] as number[], deep: [] as number[] };
  for (let i = 0; i < 20; i++) {
    await get(paths.first, 'warm first');
    await get(paths.deep, 'warm deep');
  }
  for (let i = 0; i < opts.seqRequests; i++) {
    seq.first.push((await get(paths.first, 'page 1')).ms);
    seq.deep.push((await get(paths.deep, 'deep page')).ms);
  }
  const seqFirst = seqStats(seq.first);
  const seqDeep = seqStats(seq.deep);
  log(`  sequential: page 1 median ${seqFirst.p50.toFixed(2)} ms, at ${opts.deepDepth} median ${seqDeep.p50.toFixed(2)} ms`);

  // Under load: the same two URLs, interleaved rounds at the same concurrency.
  const spec = (which: 'first' | 'deep', duration: number) => ({ url: service.url + paths[which], headers, connections: opts.connections, duration });
  const deepRounds = { first: [] as Round[], deep: [] as Round[] };
  for (const which of ['first', 'deep'] as const) checkClean(await rounds.load(spec(which, opts.warmup)), 'full', `deep ${which} warm-up`);
  for (let round = 1; round <= opts.rounds; round++) {
    for (const which of ['first', 'deep'] as const) {
      const r = await rounds.loadRound(spec(which, opts.duration), service);
      checkClean(r, 'full', `deep ${which} round ${round}`);
      deepRounds[which].push(r);
      log(`  ${which === 'first' ? 'page 1' : `after ${opts.deepDepth}`} round ${round}: ${Math.round(r.rps)} req/s, p99 ${r.p99.toFixed(2)} ms`);
    }
  }
  return { walkRequests, walkSeconds, seqFirst, seqDeep, load: { first: summarize(deepRounds.first), deep: summarize(deepRounds.deep) } };
}
