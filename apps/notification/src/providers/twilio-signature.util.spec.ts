import { twilioSignature, twilioSignatureValid } from './twilio-signature.util';

describe('twilioSignature', () => {
  // Twilio's documented example: this URL, these parameters and this auth token give this signature.
  const token = '12345';
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+14158675310',
    Digits: '1234',
    From: '+14158675310',
    To: '+18005551212',
  };

  it("matches Twilio's documented example", () => {
    expect(twilioSignature(token, url, params)).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
    expect(twilioSignatureValid(token, url, params, 'GvWf1cFY/Q7PnoempGyD5oXAezc=')).toBe(true);
  });

  it('refuses another URL, another value, another key, or a signature of another length', () => {
    const good = twilioSignature(token, url, params);
    expect(twilioSignatureValid(token, `${url}&baz=3`, params, good)).toBe(false);
    expect(twilioSignatureValid(token, url, { ...params, Digits: '1235' }, good)).toBe(false);
    expect(twilioSignatureValid('54321', url, params, good)).toBe(false);
    expect(twilioSignatureValid(token, url, params, 'short')).toBe(false);
    expect(twilioSignatureValid(token, url, params, '')).toBe(false);
  });
});
