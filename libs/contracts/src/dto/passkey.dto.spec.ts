import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { PasskeyLoginDto, RegisterPasskeyDto } from './passkey.dto';

const credential = {
  id: 'Y3JlZGVudGlhbA',
  rawId: 'Y3JlZGVudGlhbA',
  type: 'public-key',
  response: { clientDataJSON: 'e30', attestationObject: 'oA', transports: ['internal'] },
  clientExtensionResults: {},
};

async function failures(cls: new () => object, body: object): Promise<string[]> {
  const errors = await validate(plainToInstance(cls, body), { whitelist: true, forbidNonWhitelisted: true });
  const flat = (list: typeof errors, prefix = ''): string[] =>
    list.flatMap((e) => [
      ...(e.constraints ? [`${prefix}${e.property}`] : []),
      ...flat(e.children ?? [], `${prefix}${e.property}.`),
    ]);
  return flat(errors);
}

describe('passkey DTOs', () => {
  it('accepts a credential and keeps its response untouched for the verifier', async () => {
    const dto = plainToInstance(RegisterPasskeyDto, { name: '  Laptop ', credential });
    expect(await validate(dto, { whitelist: true, forbidNonWhitelisted: true })).toEqual([]);
    expect(dto.name).toBe('Laptop');
    expect(dto.credential.response).toEqual(credential.response);
  });

  it('refuses a missing, non-object or oversized credential', async () => {
    const flowId = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(await failures(PasskeyLoginDto, { flowId })).toContain('credential');
    expect(await failures(PasskeyLoginDto, { flowId, credential: 'x' })).toContain('credential');
    expect(await failures(PasskeyLoginDto, { flowId, credential: [] })).toContain('credential');
    expect(
      await failures(PasskeyLoginDto, {
        flowId,
        credential: { ...credential, response: { big: 'x'.repeat(33_000) } },
      }),
    ).toEqual(['credential.response']);
    expect(await failures(PasskeyLoginDto, { flowId, credential: { ...credential, response: [] } })).toEqual([
      'credential.response',
    ]);
    expect(await failures(PasskeyLoginDto, { flowId, credential: { ...credential, id: 'a+b/' } })).toEqual([
      'credential.id',
    ]);
    expect(await failures(PasskeyLoginDto, { flowId: 'nope', credential })).toEqual(['flowId']);
  });

  it('refuses a blank or too long name', async () => {
    expect(await failures(RegisterPasskeyDto, { name: '   ', credential })).toEqual(['name']);
    expect(await failures(RegisterPasskeyDto, { name: 'x'.repeat(101), credential })).toEqual(['name']);
    expect(await failures(RegisterPasskeyDto, { name: 'x'.repeat(100), credential })).toEqual([]);
  });
});
