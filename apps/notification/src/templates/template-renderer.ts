import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, NotificationEnv } from '@app/config';
import { Language, NotificationChannel, TemplateName, TemplateParams } from '@app/contracts';
import { htmlPart } from './html-part';
import { MailSenders } from './mail-senders';
import { MessageTemplate, TemplateContext } from './message-template';
import { TEMPLATES } from './template-catalog';
import { TemplateError } from './template.error';
import { senderDisplayName } from './template-text.util';

export interface RenderedMessage {
  /** E-mail only. */
  subject?: string;
  text: string;
  /** E-mail only: the same text as HTML (escaped, nothing remote), sent as multipart/alternative. */
  html?: string;
  /** E-mail only: the sender of this message type. */
  from?: string;
}

export interface RenderRequest<T extends TemplateName> {
  channel: NotificationChannel;
  template: T;
  language: Language;
  params: TemplateParams[T];
}

/**
 * Messages per type and language (NOTIF-3): e-mail as plain text with an HTML twin, SMS as short
 * text, signed with the display name of the type's sender. The templates are in TEMPLATES.
 */
@Injectable()
export class TemplateRenderer {
  private readonly senders: MailSenders;
  private readonly portalUrl: string;

  constructor(@Inject(APP_CONFIG) config: NotificationEnv) {
    this.senders = new MailSenders(config.MAIL_FROM, config.MAIL_FROM_BY_TYPE);
    // Every reset link starts with `<PUBLIC_URL>/password-reset/`, as auth makes them.
    this.portalUrl = `${(config.PUBLIC_URL ?? '').replace(/\/+$/, '')}/`;
  }

  render<T extends TemplateName>(request: RenderRequest<T>): RenderedMessage {
    // The queue is untyped: the name may be anything, including an Object.prototype key.
    const template = (
      Object.hasOwn(TEMPLATES, request.template) ? TEMPLATES[request.template] : undefined
    ) as MessageTemplate<T> | undefined;
    if (!template) {
      throw new TemplateError('unknown_template');
    }
    const localized = Object.hasOwn(template, request.language) ? template[request.language] : undefined;
    if (!localized) {
      throw new TemplateError('unknown_language');
    }
    if (typeof request.params !== 'object' || request.params === null) {
      throw new TemplateError('invalid_parameters');
    }
    const from = this.senders.from(request.template);
    const ctx: TemplateContext = { senderName: senderDisplayName(from), portalUrl: this.portalUrl };
    template.check?.(request.params, ctx);
    let message: RenderedMessage;
    if (request.channel === 'email') {
      const subject = localized.subject(request.params, ctx);
      const text = localized.email(request.params, ctx);
      message = { subject, text, html: htmlPart(subject, text, request.language, this.portalUrl), from };
    } else {
      message = { text: localized.sms(request.params, ctx) };
    }
    template.checkRendered?.(`${message.subject ?? ''}\n${message.text}`, request.params);
    return message;
  }
}
