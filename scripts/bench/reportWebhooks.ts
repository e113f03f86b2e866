// The report's webhooks section (scripts/bench/webhooks.ts): delivery rate, and the API's
// throughput with and without an active endpoint, with the method of each.
import type { BenchOptions } from './options';
import { pairedRatio, summarize } from './rounds';
import { fmt, ms, ratio } from './format';
import { median } from './stats';
import { FANOUT_BATCH } from '../../src/store/shared/webhookRows';
import type { RateRun, SideRounds, WebhooksResult } from './webhooks';

const TARGET = 0.9;

function rates(opts: BenchOptions, w: WebhooksResult): string[] {
  const md = [
    '### Deliveries per second',
    '',
    `A backlog of about ${fmt(opts.webhookDeliveries)} deliveries, all due at once: \`project.created\` events (each with its project) written ` +
      'in one transaction through the store\'s outbox `append`, as `POST /v1/projects` writes them, from the bench process into the running ' +
      'service\'s database file; the worker finds them at its next poll. With several endpoints (one workspace, each endpoint to a path of its own) ' +
      'the events are fewer and each goes to every endpoint. Rate: (deliveries - 1) / (last arrival - first arrival), on the receiver\'s clock. ' +
      'CPU: user + system time from `/proc` from the commit to the last arrival, divided by the deliveries. ' +
      `${opts.rounds} backlogs per row, rows interleaved; medians (min-max of the rate).`,
    '',
    '| endpoints | in flight at most | deliveries/s | server CPU µs/delivery | receiver CPU µs/delivery | server cores busy | ms per delivery in flight | first arrival after commit, ms |',
    '|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const { endpoints, runs } of w.rates) {
    const m = (f: (r: RateRun) => number) => median(runs.map(f));
    const inFlight = Math.min(16, 2 * endpoints);
    const perSecond = runs.map((r) => r.perSecond);
    md.push(`| ${endpoints} | ${inFlight} | **${fmt(m((r) => r.perSecond))}** (${fmt(Math.min(...perSecond))}-${fmt(Math.max(...perSecond))}) | ` +
      `${fmt(m((r) => r.serverCpuUs))} | ${fmt(m((r) => r.receiverCpuUs))} | ${fmt((m((r) => r.perSecond) * m((r) => r.serverCpuUs)) / 1e6, 2)} | ` +
      `${ms((inFlight * 1000) / m((r) => r.perSecond))} | ${fmt(m((r) => r.firstAfterMs))} |`);
  }
  const verified = w.rates.reduce((n, r) => n + r.runs.reduce((k, x) => k + x.verified, 0), 0);
  md.push('', `Every delivery arrived once and the service had none pending afterwards; ${fmt(verified)} sampled deliveries (every 50th) ` +
    'were verified with `standardwebhooks`, none failed. "Server cores busy" is rate x CPU per delivery: below 1, the worker waits on its ' +
    'concurrency bounds (per endpoint 2) and on the round trips, not on its core. "ms per delivery in flight" is the bound / rate: the time ' +
    'one slot takes per delivery (claim, address check, sign, send on a kept-alive connection, record).', '');
  return md;
}

function sides(opts: BenchOptions, w: WebhooksResult): string[] {
  const md = [
    '### The API with and without an active endpoint',
    '',
    'One service, interleaved rounds (each round: side A, then side B, then a wait until all of B\'s deliveries are done, so that neither side ' +
      'pays for the other\'s). `POST /v1/projects`: side A writes into a workspace without endpoints (the event is recorded, nothing is queued), ' +
      'side B into one with an enabled `*` endpoint to the receiver, so every response marks its event, which the worker fans out and delivers during the load. ' +
      `\`GET /v1/projects?limit=20\`: the same URL on both sides; before each B round a backlog of ${fmt(w.backlogForReads)} deliveries ` +
      '(about a round\'s worth at the rate above) is queued for that endpoint, and the round starts once the first has arrived, so the worker delivers ' +
      'throughout the round. "Incl. drain": B\'s CPU per response adding what the service spent after the round until its deliveries were all done.',
    '',
    '| endpoint | A req/s | B req/s | B/A | B/A paired | p99 ms A, B | server CPU µs/response A, B | B incl. drain | deliveries/s during B |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const s of w.sides) {
    const [a, b] = [summarize(s.a), summarize(s.b)];
    const drain = median(s.b.map((r, i) => r.serverCpuUs + s.drainCpuUs[i]));
    const during = median(s.b.map((r, i) => s.deliveredInRound[i] / r.seconds));
    md.push(`| \`${s.title}\` | ${fmt(a.rps)} | ${fmt(b.rps)} | **${ratio(b.rps / a.rps)}** | ${ratio(pairedRatio(s.b, s.a, (x) => x.rps))} | ` +
      `${ms(a.p99)}, ${ms(b.p99)} | ${fmt(a.cpuUs)}, ${fmt(b.cpuUs)} | ${fmt(drain)} | ${fmt(during)} |`);
  }
  md.push('', '#### Target', '');
  for (const s of w.sides) {
    const r = summarize(s.b).rps / summarize(s.a).rps;
    md.push(`- ${r >= TARGET ? 'MET' : 'NOT MET'}: \`${s.title}\` with an active \`*\` endpoint >= ${TARGET} of its throughput without (measured ${ratio(r)}).`);
  }
  md.push('', ...why(opts, w), '');
  return md;
}

/** Where side B's extra CPU per POST goes: the mark in the outbox, the fan-out, the claims and the deliveries. */
function why(opts: BenchOptions, w: WebhooksResult): string[] {
  const post = w.sides.find((s) => s.key === 'create');
  const one = w.rates.find((r) => r.endpoints === 1);
  if (!post || !one) return [];
  const a = summarize(post.a).cpuUs;
  const bAll = median(post.b.map((r, i) => r.serverCpuUs + post.drainCpuUs[i]));
  const deliveredShare = median(post.b.map((r, i) => post.deliveredInRound[i] / r.responses));
  const perDelivery = median(one.runs.map((r) => r.serverCpuUs));
  const mark = w.outbox.withUs - w.outbox.withoutUs;
  const inRound = summarize(post.b).cpuUs - a;
  const claims = w.claims.map((c) => `${fmt(c.claimUs)} µs with ${fmt(c.backlog)} pending`).join(', ');
  return [
    `Where the difference goes (\`POST\`): side B costs ${fmt(inRound)} µs more server CPU per response than side A during the round, ` +
      `${fmt(bAll - a)} µs counting the drain. Measured apart, through the store without HTTP and with the service stopped:`,
    '',
    `- The outbox (a project and its event per transaction, ${fmt(w.outbox.transactions)} each, tight loop): ${fmt(w.outbox.withoutUs)} µs ` +
      `without an endpoint, ${fmt(w.outbox.withUs)} µs with one: marking the event for fan-out adds ${fmt(mark)} µs per request.`,
    `- The worker's fan-out of those marked events, in its claims (up to ${FANOUT_BATCH} events each): ${fmt(w.outbox.fanOutUs)} µs per delivery queued.`,
    `- The worker's claim (\`claimDue\`) when the only endpoint is already at its bound, so that it starts nothing: ${claims}. It reads ` +
      'the endpoints with pending deliveries one index probe each, so its cost does not grow with the backlog.',
    `- One delivery, measured alone above with one endpoint and a backlog of ${fmt(opts.webhookDeliveries)}: ${fmt(perDelivery)} µs of server CPU, ` +
      'with the claim, the address check, signing, sending on a kept-alive connection and recording the attempt.',
    '',
    `During the B rounds ${fmt(deliveredShare * 100)}% of the events were delivered before the round ended. On one core the worker and ` +
      'the requests take turns: whatever the worker spends on deliveries during the round, the requests do not get; the rest is spent in the drain.',
  ];
}

export function webhooksSection(opts: BenchOptions, w: WebhooksResult | undefined): string[] {
  const head = ['## Webhooks', ''];
  if (!w) return [...head, 'Not measured in this run (`BENCH_WEBHOOKS=0`).', ''];
  return [
    ...head,
    'The service as above (SQLite, production settings) with `WEBHOOK_ALLOW_PRIVATE=true` so that it may deliver to loopback, and the webhook ' +
      'settings at their defaults: `WEBHOOK_CONCURRENCY=16`, `WEBHOOK_ENDPOINT_CONCURRENCY=2`, `WEBHOOK_POLL_INTERVAL_MS=1000`, ' +
      `\`WEBHOOK_TIMEOUT_MS=15000\`; its own data directory, pinned to CPU ${opts.serverCpu}${opts.pin ? '' : ' (pinning off)'}. ` +
      'The receiver (`scripts/bench/receiver.ts`) is a process of its own on 127.0.0.1, ' +
      `pinned with the load generator${opts.pin ? ` to CPU ${opts.loadCpu}` : ''}: HTTPS, because production refuses plain \`http\` URLs, with a ` +
      'self-signed EC P-256 certificate the service trusts through `NODE_EXTRA_CA_CERTS`; it answers every delivery `204` at once and counts it. ' +
      'The service keeps connections to receivers alive (an agent per origin and checked addresses, idle sockets closed after 4 s), so a ' +
      'TLS handshake is paid per new connection, not per delivery. A write marks its event; the worker\'s claim turns marked events into ' +
      'deliveries in batches (the fan-out), so a request writes no delivery row.',
    '',
    ...rates(opts, w),
    ...sides(opts, w),
  ];
}
