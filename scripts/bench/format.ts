// Number formats of the report: thousands separated, `n/a` where a figure could not be measured.
export const fmt = (n: number, d = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : 'n/a';
export const ms = (n: number) => fmt(n, 2);
export const ratio = (n: number) => fmt(n, 2);
