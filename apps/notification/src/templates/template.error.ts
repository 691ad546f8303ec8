/**
 * A message that cannot be rendered safely (bad parameters, or a security code that would not be the
 * only 6-digit run). Retrying cannot fix it, so the delivery fails at once. The message is a short
 * code, never a parameter value.
 */
export class TemplateError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TemplateError';
  }
}
