export const SLUG_MAX = 63;

/** `Café Paris!` -> `cafe-paris`; never empty, never longer than 63, no edge hyphens. */
export function deriveSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, SLUG_MAX)
    .replace(/^-+|-+$/g, '');
  return slug || 'project';
}

/** `base` with `-n` appended, shortened so the result still fits. */
export function suffixSlug(base: string, n: number): string {
  const suffix = `-${n}`;
  return base.slice(0, SLUG_MAX - suffix.length).replace(/-+$/, '') + suffix;
}
