const escapeToken = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The JSON pointer of the first string (value or member name) in `body` that is not well-formed
 * Unicode, that is, holds a lone UTF-16 surrogate (`"\ud800"` is valid JSON). Iterative, so a
 * deeply nested body cannot overflow the stack.
 */
export function malformedUnicodeAt(body: unknown): string | undefined {
  const pending: [unknown, string][] = [[body, '/body']];
  while (pending.length) {
    const [value, pointer] = pending.pop()!;
    if (typeof value === 'string') {
      if (!value.isWellFormed()) return pointer;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push([value[i], `${pointer}/${i}`]);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, member] of Object.entries(value)) {
        const at = `${pointer}/${escapeToken(key.toWellFormed())}`;
        if (!key.isWellFormed()) return at;
        pending.push([member, at]);
      }
    }
  }
  return undefined;
}
