// What the report says about the machine and the code measured.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';

export type Machine = ReturnType<typeof machine>;

export function machine(root: string, nproc: number) {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
  } catch {
    /* not Linux */
  }
  const git = (...args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8' }).stdout?.trim() ?? '';
  const dirty = git('status', '--porcelain', '--', 'src', 'openapi.yaml', 'package-lock.json');
  return {
    commit: `${git('rev-parse', '--short', 'HEAD') || 'unknown'}${dirty ? ` with uncommitted changes in ${dirty.split('\n').length} file(s) under src/, openapi.yaml or package-lock.json` : ''}`,
    nproc,
    cpuModel,
    memGiB: totalmem() / 2 ** 30,
    node: process.version,
    kernel: release(),
  };
}
