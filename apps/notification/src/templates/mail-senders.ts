import { ConfigError } from '@app/config';
import { TemplateName } from '@app/contracts';
import { TEMPLATES } from './template-catalog';

/**
 * The sender of each message type: MAIL_FROM, or the one MAIL_FROM_BY_TYPE names for the type (a
 * deployment where case mail comes from the support desk and codes from the security centre).
 */
export class MailSenders {
  private readonly byType: Partial<Record<TemplateName, string>>;

  constructor(
    private readonly mailFrom: string,
    byTypeJson?: string,
  ) {
    const parsed = byTypeJson ? (JSON.parse(byTypeJson) as Record<string, string>) : {};
    const unknown = Object.keys(parsed).filter((name) => !Object.hasOwn(TEMPLATES, name));
    if (unknown.length > 0) {
      throw new ConfigError([
        `MAIL_FROM_BY_TYPE is invalid because it names no message type: ${unknown.join(', ')}`,
      ]);
    }
    this.byType = parsed;
  }

  from(template: TemplateName): string {
    return this.byType[template] ?? this.mailFrom;
  }
}
