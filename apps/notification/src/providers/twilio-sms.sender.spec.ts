import { FakeTwilioServer } from '@app/testing';
import { DeliveryError } from './delivery.error';
import { TwilioSmsSender } from './twilio-sms.sender';

describe(TwilioSmsSender.name, () => {
  const twilio = new FakeTwilioServer();
  let baseUrl: string;
  const message = {
    messageId: 'm-1',
    template: 'security-code' as const,
    to: ['+819012345678'],
    text: '123456',
  };
  const sender = (overrides: Partial<ConstructorParameters<typeof TwilioSmsSender>[0]> = {}) =>
    new TwilioSmsSender({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: '+15005550006',
      baseUrl,
      statusCallbackUrl: 'https://portal.example/api/v1/integrations/sms-status/twilio',
      ...overrides,
    });
  const failure = async (promise: Promise<unknown>): Promise<DeliveryError> => {
    try {
      await promise;
    } catch (error) {
      return error as DeliveryError;
    }
    throw new Error('expected a DeliveryError');
  };

  beforeAll(async () => {
    ({ baseUrl } = await twilio.start());
  });
  afterEach(() => twilio.clear());
  afterAll(() => twilio.stop());

  it("posts Twilio's form with basic auth and keeps the sid", async () => {
    const receipt = await sender().send(message);
    const [sms] = twilio.messages();
    expect(sms).toMatchObject({ to: '+819012345678', from: '+15005550006', body: '123456' });
    expect(sms.statusCallback).toBe(
      'https://portal.example/api/v1/integrations/sms-status/twilio?messageId=m-1',
    );
    expect(receipt).toEqual({ providerMessageId: sms.sid });
  });

  it('sends through a messaging service instead of a number', async () => {
    await sender({ from: undefined, messagingServiceSid: `MG${'a'.repeat(32)}` }).send(message);
    expect(twilio.messages()[0].from).toBe(`MG${'a'.repeat(32)}`);
  });

  it('maps refusals to permanent errors, everything else to retries', async () => {
    twilio.refuse('+819012345678', 21211);
    expect(await failure(sender().send(message))).toMatchObject({ reason: 'twilio_21211', permanent: true });
    twilio.clear();
    twilio.failNext(1);
    expect(await failure(sender().send(message))).toMatchObject({ reason: 'twilio_20500', permanent: false });
    expect(await failure(sender({ authToken: 'f'.repeat(32) }).send(message))).toMatchObject({
      reason: 'twilio_20003',
      permanent: false,
    });
    expect(await failure(sender({ baseUrl: 'http://127.0.0.1:1' }).send(message))).toMatchObject({
      reason: 'twilio_unreachable',
      permanent: false,
      unreachable: true,
    });
  });
});
