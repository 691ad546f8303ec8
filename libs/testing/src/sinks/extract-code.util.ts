/**
 * The security code in a message: the only run of exactly six digits (API.md "Running"). Throws when
 * there is none or more than one, so a test never guesses which number was the code.
 */
export function extractCode(text: string): string {
  const runs = text.match(/(?<!\d)\d{6}(?!\d)/g) ?? [];
  if (runs.length !== 1) {
    throw new Error(`expected exactly one 6-digit run, found ${runs.length}`);
  }
  return runs[0];
}
