// The baseline for scripts/bench.ts: bare Express 5, started the same way as the service (plain
// node running compiled JavaScript, its own process, loopback), with no middleware but what a
// route needs. The GET routes answer with `res.json` of the very bodies the full stack produced
// (read from BENCH_BODIES, a JSON file {"list": "...", "get": "...", "usage": "..."} of raw
// response texts), so both sides serialize the same bytes; POST parses JSON and answers a 201
// shaped like the service's. It also reports its event-loop delay, as the service's /metrics does.
//
// Prints {"msg":"listening","url":...} on stdout once listening (PORT=0 picks a free port).
import express from 'express';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { BARE_LOOP_PATH } from './eventLoop';

const bodies = JSON.parse(readFileSync(process.env.BENCH_BODIES ?? '', 'utf8')) as Record<'list' | 'get' | 'usage', string>;

/** `res.json(parsed)` when that reproduces the raw bytes exactly, else the raw text as JSON. */
function fixed(raw: string): express.RequestHandler {
  const parsed: unknown = JSON.parse(raw);
  if (JSON.stringify(parsed) === raw) return (_req, res) => void res.json(parsed);
  process.stderr.write('bare: a body does not round-trip through JSON.stringify; sending the raw text\n');
  return (_req, res) => void res.type('application/json').send(raw);
}

const app = express();
app.get('/v1/projects', fixed(bodies.list));
app.get('/v1/projects/:id', fixed(bodies.get));
app.get('/v1/usage', fixed(bodies.usage));

// The event-loop delay over a round (scripts/bench/eventLoop.ts), as prom-client samples the service's.
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
app.get(BARE_LOOP_PATH, (_req, res) => {
  res.json({ p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 });
  loop.reset();
});

let seq = 0;
app.post('/v1/projects', express.json({ limit: '100kb' }), (req, res) => {
  const body = req.body as { name?: unknown; slug?: unknown; description?: unknown };
  if (typeof body?.name !== 'string') {
    res.status(400).json({ error: { code: 'validation_failed', message: 'name is required' } });
    return;
  }
  const now = new Date().toISOString();
  const id = `prj_${(Date.now().toString(32) + (++seq).toString(32) + randomBytes(8).toString('hex')).toUpperCase().slice(0, 26).padEnd(26, '0')}`;
  const slug = typeof body.slug === 'string' ? body.slug : body.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const description = typeof body.description === 'string' ? body.description : null;
  res
    .status(201)
    .location(`/v1/projects/${id}`)
    .json({ data: { id, name: body.name, slug, description, created_at: now, updated_at: now } });
});

const server = app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(JSON.stringify({ level: 'info', msg: 'listening', url: `http://127.0.0.1:${port}` }) + '\n');
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
