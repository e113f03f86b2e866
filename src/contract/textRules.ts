/**
 * The contract's text rules, as the `pattern`s openapi.yaml states on its strings (see "Text and
 * instants" there), each with what it means in words: a detail or CLI message names the rule,
 * not the regular expression.
 */
const TEXT_RULES = new Map<string, string>([
  ['^[^\\x00-\\x1F\\x7F]*$', 'must not contain control characters'],
  ['^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]*$', 'must not contain control characters other than line breaks and tabs'],
  ['^[^\\S\\x00-\\x1F\\x7F]*[^\\s\\x00-\\x1F\\x7F][^\\x00-\\x1F\\x7F]*$', 'must not be only spaces or contain control characters'],
  ['^[\\x20-\\x7E]+$', 'must be printable ASCII'],
]);

/** The rule's words for a validator message `must match pattern "<p>"` of a text rule; else the message. */
export function inWords(message: string): string {
  const pattern = /^must match pattern "(.*)"$/s.exec(message)?.[1];
  return (pattern !== undefined && TEXT_RULES.get(pattern)) || message;
}
