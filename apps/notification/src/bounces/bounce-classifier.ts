/**
 * One classifier for every bounce source (NOTIF-6): the SMTP server's answer at send time, a DSN
 * (RFC 3464) read from the bounce mailbox or posted to the webhook, and a JSON event.
 *
 * RFC 3463 enhanced status codes `class.subject.detail`: class 5 is permanent (a hard bounce), class 4
 * persistent but transient (a soft bounce, tried again), class 2 a success. Without an enhanced code
 * the basic SMTP reply code (RFC 5321) decides the same way: 5xx hard, 4xx soft.
 */
export type BounceType = 'hard' | 'soft' | 'complaint';

/** What went wrong, for the audit fact and the operator: never the server's own words. */
export type BounceKind = 'no_such_mailbox' | 'mailbox_full' | 'mailbox_disabled' | 'complaint' | 'other';

export interface BounceClass {
  type: BounceType;
  kind: BounceKind;
  /** The enhanced status (`5.1.1`) or the SMTP reply code (`550`); `complaint` for a complaint. */
  status: string;
}

const ENHANCED = /^([245])\.(\d{1,3})\.(\d{1,3})$/;
/** An enhanced code inside an SMTP reply or a Diagnostic-Code: `550 5.1.1 <a@b>: …`, `550-5.1.1 …`. */
const ENHANCED_IN_TEXT = /(?:^|[\s-])([245]\.\d{1,3}\.\d{1,3})(?=\s|$)/;
const REPLY_CODE = /^\s*([2-5]\d\d)(?=[\s-]|$)/;

/** An RFC 3463 status such as `5.1.1`; null for a success, a malformed code or anything else. */
export function classifyStatus(status: string): BounceClass | null {
  const match = ENHANCED.exec(status.trim());
  if (!match) {
    return null;
  }
  const [, cls, subject, detail] = match;
  if (cls === '2') {
    return null;
  }
  return { type: cls === '5' ? 'hard' : 'soft', kind: kindOf(subject, detail), status: match[0] };
}

/**
 * An SMTP reply at send time: its code, and (when the server gave one) the enhanced status found in
 * its text. The text itself is only searched, never kept: it often quotes the recipient.
 */
export function classifySmtpReply(responseCode: number, responseText = ''): BounceClass | null {
  if (!Number.isInteger(responseCode) || responseCode < 400 || responseCode > 599) {
    return null;
  }
  const enhanced = ENHANCED_IN_TEXT.exec(responseText.slice(0, 512));
  const fromEnhanced = enhanced ? classifyStatus(enhanced[1]) : null;
  // A class that disagrees with the reply code is a confused server: the reply code wins (RFC 3463 §2).
  if (fromEnhanced && (fromEnhanced.type === 'hard') === responseCode >= 500) {
    return fromEnhanced;
  }
  return { type: responseCode >= 500 ? 'hard' : 'soft', kind: 'other', status: String(responseCode) };
}

/**
 * One recipient of a DSN (RFC 3464 §2.3): `Action` says whether delivery failed for good (`failed`)
 * or is still being tried (`delayed`); `Status` and `Diagnostic-Code` say why. `delivered`,
 * `relayed` and `expanded` are no bounce.
 */
export function classifyDsnRecipient(fields: {
  action?: string;
  status?: string;
  diagnosticCode?: string;
}): BounceClass | null {
  const action = fields.action?.trim().toLowerCase();
  if (action && action !== 'failed' && action !== 'delayed') {
    return null;
  }
  const fromStatus = fields.status ? classifyStatus(fields.status.split(/\s/)[0] ?? '') : null;
  const diagnostic = fields.diagnosticCode?.replace(/^\s*smtp\s*;\s*/i, '') ?? '';
  const reply = REPLY_CODE.exec(diagnostic);
  const enhanced = ENHANCED_IN_TEXT.exec(diagnostic);
  const fromDiagnostic = reply
    ? classifySmtpReply(Number(reply[1]), diagnostic.slice(reply[0].length))
    : enhanced
      ? classifyStatus(enhanced[1])
      : null;
  const found = fromStatus ?? fromDiagnostic;
  if (!found) {
    // `failed` without any code is still a refusal for good (RFC 3464 §2.3.3).
    return action === 'failed' ? { type: 'hard', kind: 'other', status: '5.0.0' } : null;
  }
  if (action === 'delayed' && found.type === 'hard') {
    // The reporting MTA keeps trying: not final, whatever code it quotes.
    return { ...found, type: 'soft' };
  }
  return found;
}

/**
 * Whether a bounce says something about the address itself, so it may mark it undeliverable: RFC 3463
 * subjects 1 (addressing) and 2 (mailbox), the generic `x.0.0` of a JSON event or a bare DSN failure,
 * or a bare reply code that RFC 5321 ties to the mailbox (550, 551, 553; 450, 452). A refusal for
 * policy, content, the network or the server's own trouble (`5.7.1` spam block, `4.3.0`, `554`
 * without a code, `535` authentication) says nothing about the mailbox: were it counted, one
 * misconfigured relay would mark every address it refused. A complaint never marks an address.
 */
export function affectsAddress(bounce: BounceClass): boolean {
  if (bounce.type === 'complaint') {
    return false;
  }
  const enhanced = ENHANCED.exec(bounce.status);
  if (enhanced) {
    return enhanced[2] === '1' || enhanced[2] === '2' || /^[45]\.0\.0$/.test(bounce.status);
  }
  return ['550', '551', '553', '450', '452'].includes(bounce.status);
}

/** A feedback report (RFC 5965, ARF): the recipient marked the message as spam. */
export function complaint(): BounceClass {
  return { type: 'complaint', kind: 'complaint', status: 'complaint' };
}

/** RFC 3463 §3: subject 1 addressing, 2 mailbox status. */
function kindOf(subject: string, detail: string): BounceKind {
  if (subject === '1' && ['1', '2', '3', '6', '10'].includes(detail)) {
    // Bad destination mailbox, system, mailbox syntax; moved; no such address (null MX, RFC 7505).
    return 'no_such_mailbox';
  }
  if (subject === '2' && detail === '2') {
    return 'mailbox_full';
  }
  if (subject === '2' && detail === '1') {
    return 'mailbox_disabled';
  }
  return 'other';
}
