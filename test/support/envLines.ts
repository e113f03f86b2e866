/** `KEY=value` lines (values possibly in double quotes), as `generate-secrets` prints them. */
export function parseEnvLines(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((line) => {
        const [, key, value] = /^([A-Z_]+)=(.*)$/.exec(line)!;
        return [key, value.replace(/^"|"$/g, '')];
      }),
  );
}
