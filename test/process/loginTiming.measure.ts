// Issue #11 item 4: do login failures tell which accounts exist? Medians of wrong-password logins
// against the real server (src/main.ts) for an account hashed at an older, cheaper cost, one at
// the current cost, and an unknown email, interleaved. Run: npm run measure:login-timing
// (about a minute: every attempt costs one scrypt at N=2^17).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript, startServer } from './run';

const OLD_COST = '12';
const CURRENT_COST = '17';
const ROUNDS = Number(process.env.ROUNDS ?? 15);
const PASSWORD = 'correct horse battery staple';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'cloud-api-timing-'));
  const env = { DATA_DIR: dataDir, NODE_ENV: 'production', RATE_LIMIT_MULTIPLIER: '1000', LOG_LEVEL: 'warn' };
  try {
    for (const [email, cost] of [['old@example.com', OLD_COST], ['current@example.com', CURRENT_COST]]) {
      const made = await runScript('scripts/cli.ts', ['create-user', '--email', email, '--password', PASSWORD], {
        ...env,
        PASSWORD_HASH_COST: cost,
      });
      if (made.code !== 0) throw new Error(made.stderr);
    }
    const server = await startServer({ ...env, LOG_LEVEL: 'info', PASSWORD_HASH_COST: CURRENT_COST });
    const cases = { 'known email, older cost (2^12)': 'old@example.com', 'known email, current cost (2^17)': 'current@example.com', 'unknown email': 'nobody@example.com' };
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
    try {
      for (let round = -1; round < ROUNDS; round++) {
        for (const [label, email] of Object.entries(cases)) {
          const started = performance.now();
          const res = await fetch(`${server.url}/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email, password: 'a wrong password' }),
          });
          if (res.status !== 401) throw new Error(`${label}: ${res.status} ${await res.text()}`);
          if (round >= 0) times[label].push(performance.now() - started); // round -1 warms up
        }
      }
    } finally {
      await server.stop();
    }
    console.log(`wrong-password login, ${ROUNDS} interleaved rounds, median (min-max) ms:`);
    for (const [label, xs] of Object.entries(times)) {
      console.log(`  ${label.padEnd(34)} ${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)})`);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
