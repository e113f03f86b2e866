import type { components } from '../../../generated/openapi';

export interface UsageCounter {
  workspaceId: string;
  principalId: string;
  operationId: string;
  /** `2xx`, `4xx`, ... */
  statusClass: string;
  /** Minutes since the Unix epoch. */
  minute: number;
  count: number;
}

export interface UsageTotals {
  requests: number;
  errors: number;
}

export type UsageGroupBy = components['schemas']['UsageGroupBy'];

/** Half-open window [fromMinute, toMinute). */
export interface UsageWindow {
  workspaceId: string;
  fromMinute: number;
  toMinute: number;
}

export interface UsageStore {
  /** Adds the counts in one transaction. */
  add(counters: UsageCounter[]): void;
  totals(window: UsageWindow): UsageTotals;
  /** Non-empty buckets of `size` minutes counted from the window start, by index. */
  buckets(window: UsageWindow, size: number): (UsageTotals & { index: number })[];
  groups(window: UsageWindow, by: UsageGroupBy): (UsageTotals & { key: string })[];
}
