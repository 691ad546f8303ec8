import { Language, TemplateName, TemplateParams } from '@app/contracts';

/** What a template needs beyond its parameters. */
export interface TemplateContext {
  /** Display name of the message's sender (e.g. `Security Advisory Center`), used as the signature; may be empty. */
  senderName: string;
  /** `<PUBLIC_URL>/`: the portal, the only site a message may link to. */
  portalUrl: string;
}

/** One message type in one language: an e-mail (subject + plain text) and a short SMS text. */
export interface LocalizedTemplate<P> {
  subject(params: P, ctx: TemplateContext): string;
  /** Plain text; paragraphs separated by a blank line. The HTML part is made from it (see html-part.ts). */
  email(params: P, ctx: TemplateContext): string;
  sms(params: P, ctx: TemplateContext): string;
}

/**
 * A message type: its text in every language, and the checks of the parameters a job brings. The
 * producer is typed, but the queue is not: anyone who can write to Redis could put anything in a job,
 * so a value that would mislead the recipient (a foreign link, a number that is no case number) is
 * refused with a TemplateError before anything is sent.
 */
export type MessageTemplate<T extends TemplateName> = Record<
  Language,
  LocalizedTemplate<TemplateParams[T]>
> & {
  /** Throws TemplateError when a parameter is unfit; runs before rendering. */
  check?(params: TemplateParams[T], ctx: TemplateContext): void;
  /** Throws TemplateError when the rendered subject + text are unfit (e.g. a code that is not unique). */
  checkRendered?(rendered: string, params: TemplateParams[T]): void;
};

/** Every template by name; a mapped type, so `TEMPLATES[name]` and `params` stay correlated. */
export type TemplateCatalog = { [T in TemplateName]: MessageTemplate<T> };
