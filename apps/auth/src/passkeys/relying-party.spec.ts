import { AuthEnv } from '@app/config';
import { RelyingParty } from './relying-party';

describe(RelyingParty.name, () => {
  it('reads the RP id, name and every listed origin, without blanks or trailing slashes', () => {
    const sut = new RelyingParty({
      WEBAUTHN_RP_ID: 'mamori.example',
      WEBAUTHN_RP_NAME: 'Mamori',
      WEBAUTHN_ORIGINS: 'https://portal.mamori.example/, https://admin.mamori.example ,,',
    } as AuthEnv);
    expect(sut).toMatchObject({
      id: 'mamori.example',
      name: 'Mamori',
      origins: ['https://portal.mamori.example', 'https://admin.mamori.example'],
    });
  });
});
