import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, NotificationEnv } from '@app/config';
import {
  CONTACT_FIELDS,
  CASE_UPDATE_EVENTS,
  Language,
  NotificationChannel,
  SMS_DISABLED_REASONS,
  TemplateName,
  TemplateParams,
} from '@app/contracts';
import { announcementTemplate, checkAnnouncementParams } from './announcement.template';
import { contactChangedTemplate } from './contact-changed.template';
import { TemplateCatalog, TemplateContext } from './message-template';
import { caseUpdateTemplate } from './case-update.template';
import { mfaResetTemplate } from './mfa-reset.template';
import { passwordChangedTemplate } from './password-changed.template';
import { passwordResetCompletedTemplate } from './password-reset-completed.template';
import { passwordResetLinkTemplate } from './password-reset-link.template';
import { passwordResetRefusedTemplate } from './password-reset-refused.template';
import { securityCodeTemplate } from './security-code.template';
import { smsDisabledTemplate } from './sms-disabled.template';
import { TemplateError } from './template.error';
import { workRequestAcceptedTemplate } from './work-request-accepted.template';
import { workRequestReceivedTemplate } from './work-request-received.template';
import { workRequestRejectedTemplate } from './work-request-rejected.template';
import { senderDisplayName, sixDigitRuns } from './template-text.util';

const TEMPLATES: TemplateCatalog = {
  'security-code': securityCodeTemplate,
  'password-reset-link': passwordResetLinkTemplate,
  'password-reset-refused': passwordResetRefusedTemplate,
  'password-reset-completed': passwordResetCompletedTemplate,
  'password-changed': passwordChangedTemplate,
  'sms-disabled': smsDisabledTemplate,
  'mfa-reset': mfaResetTemplate,
  'contact-changed': contactChangedTemplate,
  'case-update': caseUpdateTemplate,
  'work-request-received': workRequestReceivedTemplate,
  'work-request-accepted': workRequestAcceptedTemplate,
  'work-request-rejected': workRequestRejectedTemplate,
  announcement: announcementTemplate,
};

/** CASE-2: `CS` + 7 digits; anything else in a notice would be a value that is not a case number. */
const CASE_NUMBER = /^CS[0-9]{7}$/;

export interface RenderedMessage {
  /** E-mail only. */
  subject?: string;
  text: string;
}

export interface RenderRequest<T extends TemplateName> {
  channel: NotificationChannel;
  template: T;
  language: Language;
  params: TemplateParams[T];
}

/** Plain-text messages per template and language (NOTIF-3), signed with MAIL_FROM's display name. */
@Injectable()
export class TemplateRenderer {
  private readonly ctx: TemplateContext;
  /** Every reset link starts with this: `<PUBLIC_URL>/password-reset/`, as auth makes them. */
  private readonly resetLinkPrefix?: string;

  constructor(@Inject(APP_CONFIG) config: NotificationEnv) {
    this.ctx = { senderName: senderDisplayName(config.MAIL_FROM) };
    this.resetLinkPrefix = config.PUBLIC_URL && `${config.PUBLIC_URL.replace(/\/+$/, '')}/password-reset/`;
  }

  render<T extends TemplateName>(request: RenderRequest<T>): RenderedMessage {
    const catalog: TemplateCatalog[T] | undefined = TEMPLATES[request.template];
    if (!catalog) {
      throw new TemplateError('unknown_template');
    }
    const localized = catalog[request.language];
    if (!localized) {
      throw new TemplateError('unknown_language');
    }
    this.checkParams(request);
    const message: RenderedMessage =
      request.channel === 'email'
        ? {
            subject: localized.subject(request.params, this.ctx),
            text: localized.email(request.params, this.ctx),
          }
        : { text: localized.sms(request.params, this.ctx) };
    if (request.template === 'security-code') {
      this.checkCodeIsOnlySixDigitRun(message, (request.params as TemplateParams['security-code']).code);
    }
    return message;
  }

  /** The producer is typed, but the queue is not: a bad value must not reach a recipient. */
  private checkParams(request: RenderRequest<TemplateName>): void {
    if (typeof request.params !== 'object' || request.params === null) {
      throw new TemplateError('invalid_parameters');
    }
    if (request.template === 'security-code') {
      const params = request.params as TemplateParams['security-code'];
      if (typeof params.code !== 'string' || !/^\d{6}$/.test(params.code)) {
        throw new TemplateError('invalid_code_parameter');
      }
      if (typeof params.expiresInMinutes !== 'number' || !Number.isFinite(params.expiresInMinutes)) {
        throw new TemplateError('invalid_expiry_parameter');
      }
    }
    if (request.template === 'password-reset-link') {
      const params = request.params as TemplateParams['password-reset-link'];
      // Anyone who can put a job in Redis must not send users a link to another site: the link is
      // the portal's reset page and a token, nothing else.
      const prefix = this.resetLinkPrefix;
      const token =
        typeof params.link === 'string' && prefix && params.link.startsWith(prefix)
          ? params.link.slice(prefix.length)
          : undefined;
      if (token === undefined || !/^[A-Za-z0-9_-]{16,128}$/.test(token)) {
        throw new TemplateError('invalid_link_parameter');
      }
    }
    if (request.template === 'sms-disabled') {
      const params = request.params as TemplateParams['sms-disabled'];
      if (!(SMS_DISABLED_REASONS as readonly unknown[]).includes(params.reason)) {
        throw new TemplateError('invalid_reason_parameter');
      }
    }
    if (request.template === 'mfa-reset') {
      const params = request.params as TemplateParams['mfa-reset'];
      if (typeof params.caseNumber !== 'string' || !CASE_NUMBER.test(params.caseNumber)) {
        throw new TemplateError('invalid_case_number_parameter');
      }
    }
    if (request.template === 'contact-changed') {
      const params = request.params as TemplateParams['contact-changed'];
      if (!(CONTACT_FIELDS as readonly unknown[]).includes(params.field)) {
        throw new TemplateError('invalid_field_parameter');
      }
    }
    if (request.template === 'announcement') {
      checkAnnouncementParams(request.params as TemplateParams['announcement']);
    }
    if (request.template === 'case-update') {
      const params = request.params as TemplateParams['case-update'];
      if (typeof params.caseNumber !== 'string' || !CASE_NUMBER.test(params.caseNumber)) {
        throw new TemplateError('invalid_case_number_parameter');
      }
      if (!(CASE_UPDATE_EVENTS as readonly unknown[]).includes(params.event)) {
        throw new TemplateError('invalid_event_parameter');
      }
    }
    if (request.template === 'work-request-accepted') {
      const params = request.params as TemplateParams['work-request-accepted'];
      if (typeof params.caseNumber !== 'string' || !CASE_NUMBER.test(params.caseNumber)) {
        throw new TemplateError('invalid_case_number_parameter');
      }
    }
    if (request.template === 'work-request-received') {
      const params = request.params as TemplateParams['work-request-received'];
      if (!Array.isArray(params.fields)) {
        throw new TemplateError('invalid_fields_parameter');
      }
    }
  }

  /**
   * Readers (people and the e2e tests) find the code as the only 6-digit run (API.md "Running"). A
   * sender name or an expiry that adds another one would make the message ambiguous: refuse to send.
   */
  private checkCodeIsOnlySixDigitRun(message: RenderedMessage, code: string): void {
    const runs = sixDigitRuns(`${message.subject ?? ''}\n${message.text}`);
    if (runs.length !== 1 || runs[0] !== code) {
      throw new TemplateError('code_not_unique_in_message');
    }
  }
}
