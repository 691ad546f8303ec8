import { Language, TemplateName, TemplateParams } from '@app/contracts';

/** What a template needs beyond its parameters. */
export interface TemplateContext {
  /** Display name of MAIL_FROM (e.g. `Security Advisory Center`), used as the signature; may be empty. */
  senderName: string;
}

/** One message type in one language: an e-mail (subject + plain text) and a short SMS text. */
export interface LocalizedTemplate<P> {
  subject(params: P, ctx: TemplateContext): string;
  email(params: P, ctx: TemplateContext): string;
  sms(params: P, ctx: TemplateContext): string;
}

export type MessageTemplate<T extends TemplateName> = Record<Language, LocalizedTemplate<TemplateParams[T]>>;

/** Every template by name; a mapped type, so `TEMPLATES[name]` and `params` stay correlated. */
export type TemplateCatalog = { [T in TemplateName]: MessageTemplate<T> };
