import { Language } from '@app/contracts';
import { TemplateContext } from './message-template';

const NO_REPLY: Record<Language, string> = {
  ja: '※このメールは送信専用のアドレスからお送りしています。ご返信いただいてもお答えできませんので、あらかじめご了承ください。',
  en: 'This message was sent from a no-reply address; replies are not read.',
};

/** The end of every e-mail: the no-reply notice and the sender's name. */
export function emailFooter(language: Language, ctx: TemplateContext): string[] {
  return [NO_REPLY[language], ctx.senderName];
}

/** `【Sender】` / `Sender: ` before an SMS, so the recipient knows who writes. */
export function smsPrefix(language: Language, ctx: TemplateContext): string {
  if (!ctx.senderName) {
    return '';
  }
  return language === 'ja' ? `【${ctx.senderName}】` : `${ctx.senderName}: `;
}
