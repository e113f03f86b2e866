import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Failed logins all end at the same time after they start, whatever made them fail. A wrong
 * password for an account hashed at an older (cheaper) cost verifies in milliseconds, while an
 * unknown email pays a decoy at the current cost; without this, the difference tells an attacker
 * which accounts exist. The floor is the slowest of the recent verifications at the current cost,
 * so it follows the machine's load.
 */
export interface LoginTiming {
  /** A clock reading, to pass to `record` or `pad`. */
  start(): number;
  /** Records a verification at the current cost that began at `startedMs`. */
  record(startedMs: number): void;
  /** True until the first verification at the current cost has been recorded. */
  readonly empty: boolean;
  /** Waits until `floor` milliseconds have passed since `startedMs` (a `clock()` reading). */
  pad(startedMs: number): Promise<void>;
}

const WINDOW = 16;

export function createLoginTiming(
  clock: () => number = () => performance.now(),
  wait: (ms: number) => Promise<unknown> = sleep,
): LoginTiming {
  const samples: number[] = [];
  return {
    start: clock,
    record(startedMs) {
      samples.push(clock() - startedMs);
      if (samples.length > WINDOW) samples.shift();
    },
    get empty() {
      return samples.length === 0;
    },
    async pad(startedMs) {
      const remaining = startedMs + Math.max(0, ...samples) - clock();
      if (remaining > 0) await wait(remaining);
    },
  };
}
