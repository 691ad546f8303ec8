import {
  affectsAddress,
  classifyDsnRecipient,
  classifySmtpReply,
  classifyStatus,
  complaint,
} from './bounce-classifier';
import { dsnFixture } from './fixtures';
import { parseBounceReport } from './report-parser';
import { messageIdFromVerp, verpAddress } from './verp';

const values = {
  messageId: '8d3f0c2e-4b7a-4c55-9a41-1f2e3d4c5b6a',
  recipient: 'Taro.Yamada@example.jp',
  bounceTo: 'bounces+8d3f0c2e-4b7a-4c55-9a41-1f2e3d4c5b6a@mamori.example',
};

describe('RFC 3463 status codes', () => {
  it.each([
    ['5.1.1', 'hard', 'no_such_mailbox'],
    ['5.1.10', 'hard', 'no_such_mailbox'],
    ['5.2.2', 'hard', 'mailbox_full'],
    ['4.2.2', 'soft', 'mailbox_full'],
    ['5.2.1', 'hard', 'mailbox_disabled'],
    ['4.4.1', 'soft', 'other'],
    ['5.7.1', 'hard', 'other'],
  ])('%s is %s (%s)', (status, type, kind) => {
    expect(classifyStatus(status)).toEqual({ type, kind, status });
  });

  it.each(['2.0.0', '6.1.1', '5.1', 'x', ''])('%p is no bounce', (status) => {
    expect(classifyStatus(status)).toBeNull();
  });
});

describe('SMTP replies at send time', () => {
  it('takes the enhanced code from the reply text', () => {
    expect(classifySmtpReply(550, '550 5.1.1 <a@b.jp>: Recipient address rejected: User unknown')).toEqual({
      type: 'hard',
      kind: 'no_such_mailbox',
      status: '5.1.1',
    });
    expect(classifySmtpReply(452, '452-4.2.2 The email account is over quota')).toMatchObject({
      type: 'soft',
      kind: 'mailbox_full',
    });
  });

  it('falls back on the reply code: 5xx hard, 4xx soft; the code wins over a contradicting text', () => {
    expect(classifySmtpReply(554)).toEqual({ type: 'hard', kind: 'other', status: '554' });
    expect(classifySmtpReply(451, '451 local error')).toEqual({ type: 'soft', kind: 'other', status: '451' });
    expect(classifySmtpReply(450, '450 5.1.1 odd server')).toEqual({
      type: 'soft',
      kind: 'other',
      status: '450',
    });
    expect(classifySmtpReply(250)).toBeNull();
  });
});

describe('which bounces say something about the address', () => {
  it.each([
    ['5.1.1', true],
    ['5.2.2', true],
    ['4.2.2', true],
    ['5.0.0', true],
    ['550', true],
    ['452', true],
    ['5.7.1', false],
    ['4.3.0', false],
    ['5.4.4', false],
    ['554', false],
    ['535', false],
  ])('%s: %s', (status, expected) => {
    const type = status.startsWith('4') ? 'soft' : 'hard';
    expect(affectsAddress({ type, kind: 'other', status })).toBe(expected);
  });

  it('a complaint never marks an address', () => {
    expect(affectsAddress(complaint())).toBe(false);
  });
});

describe('DSN recipients (RFC 3464)', () => {
  it('a delayed report is soft even when it quotes a permanent code', () => {
    expect(classifyDsnRecipient({ action: 'delayed', status: '5.2.2' })).toMatchObject({ type: 'soft' });
  });

  it('a delivered or relayed report is no bounce', () => {
    expect(classifyDsnRecipient({ action: 'delivered', status: '2.0.0' })).toBeNull();
    expect(classifyDsnRecipient({ action: 'relayed', status: '2.0.0' })).toBeNull();
  });

  it('reads the Diagnostic-Code when the Status is missing, and a bare failure is hard', () => {
    expect(classifyDsnRecipient({ action: 'failed', diagnosticCode: 'smtp; 550 5.1.1 unknown' })).toEqual({
      type: 'hard',
      kind: 'no_such_mailbox',
      status: '5.1.1',
    });
    expect(classifyDsnRecipient({ action: 'failed' })).toEqual({
      type: 'hard',
      kind: 'other',
      status: '5.0.0',
    });
  });
});

describe('bounce reports as MTAs write them', () => {
  it('Postfix: user unknown, the original headers quoted as text/rfc822-headers', () => {
    const report = parseBounceReport(dsnFixture('postfix-user-unknown', values));
    expect(report).toMatchObject({ type: 'delivery-status', messageId: values.messageId });
    expect(report?.recipients).toEqual([
      expect.objectContaining({ address: values.recipient, action: 'failed', status: '5.1.1' }),
    ]);
    expect(report?.returnedTo).toContain(values.bounceTo);
    expect(classifyDsnRecipient(report!.recipients[0])).toEqual({
      type: 'hard',
      kind: 'no_such_mailbox',
      status: '5.1.1',
    });
  });

  it('Exim: a delay warning for a full mailbox is soft', () => {
    const report = parseBounceReport(dsnFixture('exim-delayed-over-quota', values));
    expect(report).toMatchObject({ type: 'delivery-status', messageId: values.messageId });
    expect(report?.recipients).toHaveLength(1);
    expect(classifyDsnRecipient(report!.recipients[0])).toEqual({
      type: 'soft',
      kind: 'mailbox_full',
      status: '4.2.2',
    });
  });

  it('Gmail: no such user, the whole original returned as message/rfc822, a folded Diagnostic-Code', () => {
    const report = parseBounceReport(dsnFixture('gmail-no-such-user', values));
    expect(report).toMatchObject({ type: 'delivery-status', messageId: values.messageId });
    expect(report?.recipients[0]).toMatchObject({ address: values.recipient, status: '5.1.1' });
    expect(report?.recipients[0].diagnosticCode).toMatch(/^smtp; 550-5\.1\.1 The email account/);
    expect(classifyDsnRecipient(report!.recipients[0])).toMatchObject({ type: 'hard' });
  });

  it('ARF: a complaint names the original recipient and message', () => {
    const report = parseBounceReport(dsnFixture('arf-complaint', values));
    expect(report).toEqual({
      type: 'feedback',
      recipients: [{ address: values.recipient }],
      messageId: values.messageId,
      returnedTo: expect.arrayContaining([values.bounceTo]),
    });
  });

  it('without the quoted headers, the VERP return path still names the message', () => {
    const raw = dsnFixture('postfix-user-unknown', values).replace(/X-Mamori-Message-Id: .*\r\n/, '');
    const report = parseBounceReport(raw);
    expect(report?.messageId).toBeUndefined();
    const ids = report!.returnedTo.map((a) => messageIdFromVerp('bounces@mamori.example', a));
    expect(ids).toContain(values.messageId);
  });

  it('an ordinary mail, or garbage, is no report', () => {
    expect(parseBounceReport('From: a@b\r\nSubject: hello\r\n\r\nhi\r\n')).toBeNull();
    expect(parseBounceReport('')).toBeNull();
    expect(parseBounceReport(Buffer.from([0, 1, 2, 255]))).toBeNull();
  });
});

describe('VERP return paths', () => {
  it('round-trips a message id and refuses other addresses', () => {
    const address = verpAddress('bounces@mamori.example', values.messageId);
    expect(address).toBe(values.bounceTo);
    expect(messageIdFromVerp('bounces@mamori.example', address)).toBe(values.messageId);
    expect(messageIdFromVerp('bounces@mamori.example', 'bounces+x@other.example')).toBeUndefined();
    expect(messageIdFromVerp('bounces@mamori.example', 'someone@mamori.example')).toBeUndefined();
    expect(verpAddress('bounces@mamori.example', 'has space')).toBe('bounces@mamori.example');
  });
});
