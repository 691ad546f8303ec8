/**
 * Reads a bounce report: a DSN (RFC 3464, `multipart/report; report-type=delivery-status`) or a
 * complaint (RFC 5965 ARF, `report-type=feedback-report`), as Postfix, Exim, Gmail and others send
 * them. A small MIME walker of its own: general mail parsers drop or inline exactly the parts a
 * report is made of (`message/delivery-status`, `text/rfc822-headers`, an embedded `message/rfc822`).
 *
 * Nothing read here is logged or stored as is: the caller keeps the message id, a status code and the
 * recipient's keyed hash.
 */
export interface ReportRecipient {
  /** Final-Recipient (else Original-Recipient), without its `rfc822;` type. */
  address?: string;
  action?: string;
  status?: string;
  diagnosticCode?: string;
}

export interface BounceReport {
  type: 'delivery-status' | 'feedback';
  recipients: ReportRecipient[];
  /** `X-Mamori-Message-Id` of the returned message (its headers or the whole of it), if quoted. */
  messageId?: string;
  /** Where the report was sent: a VERP return path (`bounces+<id>@…`) ties it to the message. */
  returnedTo: string[];
}

interface Part {
  headers: Map<string, string[]>;
  body: string;
}

/** Reports are small; anything bigger is not read past this (the returned message is cut off). */
export const MAX_REPORT_BYTES = 1024 * 1024;
const MAX_DEPTH = 5;
const MAX_PARTS = 50;

/** The report in a raw message, or null when the message is not a bounce report we can read. */
export function parseBounceReport(raw: Buffer | string): BounceReport | null {
  const text = (typeof raw === 'string' ? raw : raw.subarray(0, MAX_REPORT_BYTES).toString('latin1')).replace(
    /\r\n/g,
    '\n',
  );
  const top = splitPart(text);
  const parts: Part[] = [];
  collect(top, 0, parts);

  const returnedTo = ['to', 'delivered-to', 'x-original-to', 'envelope-to', 'x-envelope-to']
    .flatMap((name) => top.headers.get(name) ?? [])
    .flatMap(addressesIn);

  const feedback = parts.find((p) => mediaType(p) === 'message/feedback-report');
  const status = parts.find((p) => mediaType(p) === 'message/delivery-status');
  const messageId = findMessageId(parts);
  if (feedback) {
    const fields = fieldGroups(feedback.body)[0] ?? new Map<string, string[]>();
    const rcpt = first(fields, 'original-rcpt-to');
    const mailFrom = first(fields, 'original-mail-from');
    return {
      type: 'feedback',
      recipients: rcpt ? [{ address: stripAngle(rcpt) }] : [{}],
      ...(messageId ? { messageId } : {}),
      returnedTo: [...returnedTo, ...(mailFrom ? [stripAngle(mailFrom)] : [])],
    };
  }
  if (!status) {
    return null;
  }
  const [perMessage, ...perRecipient] = fieldGroups(status.body);
  const sender = perMessage ? first(perMessage, 'x-postfix-sender') : undefined;
  const recipients = perRecipient.map((fields) => {
    const address = first(fields, 'final-recipient') ?? first(fields, 'original-recipient');
    const recipient: ReportRecipient = {};
    if (address) {
      recipient.address = stripAngle(address.replace(/^[^;]*;\s*/, ''));
    }
    const action = first(fields, 'action');
    if (action) {
      recipient.action = action;
    }
    const statusCode = first(fields, 'status');
    if (statusCode) {
      recipient.status = statusCode;
    }
    const diagnostic = first(fields, 'diagnostic-code');
    if (diagnostic) {
      recipient.diagnosticCode = diagnostic;
    }
    return recipient;
  });
  return {
    type: 'delivery-status',
    recipients,
    ...(messageId ? { messageId } : {}),
    returnedTo: [...returnedTo, ...(sender ? [stripAngle(sender.replace(/^[^;]*;\s*/, ''))] : [])],
  };
}

/** The message id our sender put into every mail, from the returned message's headers. */
function findMessageId(parts: Part[]): string | undefined {
  for (const part of parts) {
    const type = mediaType(part);
    if (type !== 'text/rfc822-headers' && type !== 'message/rfc822' && type !== 'message/rfc822-headers') {
      continue;
    }
    const original = splitPart(decodeBody(part));
    const id = original.headers.get('x-mamori-message-id')?.[0]?.trim();
    if (id && /^[\w.:@-]{1,200}$/.test(id)) {
      return id;
    }
  }
  return undefined;
}

function collect(part: Part, depth: number, into: Part[]): void {
  if (into.length >= MAX_PARTS) {
    return;
  }
  into.push(part);
  const { type, params } = contentType(part);
  if (!type.startsWith('multipart/') || depth >= MAX_DEPTH || !params.boundary) {
    return;
  }
  const delimiter = `--${params.boundary}`;
  const lines = part.body.split('\n');
  let current: string[] | null = null;
  for (const line of lines) {
    const trimmed = line.replace(/[ \t]+$/, '');
    if (trimmed === delimiter || trimmed === `${delimiter}--`) {
      if (current) {
        collect(splitPart(current.join('\n')), depth + 1, into);
      }
      if (trimmed === `${delimiter}--`) {
        return;
      }
      current = [];
    } else if (current) {
      current.push(line);
    }
  }
  if (current && current.length > 0) {
    collect(splitPart(current.join('\n')), depth + 1, into);
  }
}

/** Headers (unfolded, names lower-cased) and the body after the first empty line. */
function splitPart(text: string): Part {
  const end = text.search(/\n\n/);
  const head = end === -1 ? text : text.slice(0, end);
  const body = end === -1 ? '' : text.slice(end + 2);
  return { headers: parseFields(head), body };
}

function parseFields(block: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  const unfolded = block.replace(/\n[ \t]+/g, ' ');
  for (const line of unfolded.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      continue;
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    fields.set(name, [...(fields.get(name) ?? []), value]);
  }
  return fields;
}

/** RFC 3464 §2.1: a per-message group, then one per recipient, separated by empty lines. */
function fieldGroups(body: string): Map<string, string[]>[] {
  return body
    .split(/\n[ \t]*\n/)
    .map((group) => group.trim())
    .filter((group) => group.length > 0)
    .map(parseFields);
}

function contentType(part: Part): { type: string; params: Record<string, string> } {
  const raw = part.headers.get('content-type')?.[0] ?? 'text/plain';
  const [type, ...rest] = raw.split(';');
  const params: Record<string, string> = {};
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq > 0) {
      params[param.slice(0, eq).trim().toLowerCase()] = param
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
    }
  }
  return { type: type.trim().toLowerCase(), params };
}

function mediaType(part: Part): string {
  return contentType(part).type;
}

function decodeBody(part: Part): string {
  const encoding = part.headers.get('content-transfer-encoding')?.[0]?.trim().toLowerCase();
  if (encoding === 'base64') {
    return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('latin1').replace(/\r\n/g, '\n');
  }
  if (encoding === 'quoted-printable') {
    return part.body
      .replace(/=\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
  return part.body;
}

function first(fields: Map<string, string[]>, name: string): string | undefined {
  return fields.get(name)?.[0];
}

function stripAngle(value: string): string {
  return value
    .trim()
    .replace(/^<(.*)>$/, '$1')
    .trim();
}

function addressesIn(value: string): string[] {
  return [...value.matchAll(/[^\s<>,;"]+@[^\s<>,;"]+/g)].map((m) => m[0]);
}
