// BENCH_BEFORE=<commit>: that commit's service, built from a git worktree of its own and run as one
// more side of the same interleaved rounds (`before`), on the same database file. Before/after
// figures for a change then come from one run on one machine state, paired round by round, instead
// of from two runs minutes apart on a machine whose speed drifts by up to 2x.
//
// The worktree borrows this checkout's node_modules: the figures are the code's, not its
// dependencies' (a different package-lock.json is reported). The commit must have `npm run build`
// (scripts/build.ts) and read the same database (no migration added since). It runs as its own
// `npm start` ran it (its package.json's start script, node's flags included).
import { spawnSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Processes } from './processes';
import { processCpu } from './rounds';
import { startService } from './servers';
import { serviceTarget } from './sides';
import { startArgv } from '../built';

function git(root: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/** The commit checked out and built in `dir`; the worktree is removed at cleanup. */
export function buildBefore(root: string, ref: string, dir: string, procs: Processes, log: (msg: string) => void) {
  const commit = git(root, ['rev-parse', '--verify', `${ref}^{commit}`]);
  const subject = git(root, ['log', '-1', '--format=%s', commit]);
  git(root, ['worktree', 'add', '--detach', '--quiet', dir, commit]);
  procs.onCleanup(() => void spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: root }));
  if (!existsSync(join(dir, 'scripts', 'build.ts'))) throw new Error(`BENCH_BEFORE=${ref}: that commit has no scripts/build.ts to build it with`);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  const lockChanged = spawnSync('git', ['diff', '--quiet', commit, '--', 'package-lock.json'], { cwd: root }).status !== 0;
  const migrationsAdded = git(root, ['diff', '--name-only', '--diff-filter=A', commit, '--', 'src/store']).split('\n').filter((f) => f.endsWith('.sql'));
  if (migrationsAdded.length) throw new Error(`BENCH_BEFORE=${ref}: migrations were added since (${migrationsAdded.join(', ')}); it cannot share the database`);
  log(`BENCH_BEFORE: building ${commit.slice(0, 7)} (${subject}) in ${dir}${lockChanged ? '; note: package-lock.json differs, this node_modules is used' : ''}`);
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/build.ts'], { cwd: dir, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`BENCH_BEFORE=${ref}: its build failed:\n${build.stdout}${build.stderr}`);
  // As that commit's `npm start` ran it, with its own node flags.
  const argv = startArgv(dir);
  argv.push(join(dir, argv.pop()!));
  return { commit, subject, lockChanged, argv };
}

export type Before = ReturnType<typeof buildBefore>;

/** The `before` build as a side of the rounds, pinned like the service. */
export async function startBeforeSide(procs: Processes, before: Before, env: NodeJS.ProcessEnv, cpu: string) {
  const running = await startService(procs, env, cpu, { argv: before.argv });
  return { running, ...(await serviceTarget('before', running, processCpu(() => [running.pid]))) };
}
