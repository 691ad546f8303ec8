import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DomainError, ErrorCode, VerifyDto } from '@app/contracts';
import { fieldErrors, validationFailed } from './validation-errors.util';

describe('validationFailed', () => {
  it('gives validation_failed with messages per field, nested fields as parent.child', async () => {
    const errors = await validate(plainToInstance(VerifyDto, { method: 'fax', trustBrowser: { name: 12 } }));
    const error = validationFailed(errors);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe(ErrorCode.ValidationFailed);
    const fields = (error.details as { fields: Record<string, string[]> }).fields;
    expect(Object.keys(fields).sort()).toEqual(['method', 'trustBrowser.name']);
    expect(fields.method[0]).toMatch(/method must be one of/);
  });

  it('names a field even when a constraint gave no message', () => {
    expect(fieldErrors([{ property: 'x', children: [], constraints: {} }])).toEqual({ x: ['is invalid'] });
  });

  it('caps the number of fields reported', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({
      property: `p${i}`,
      children: [],
      constraints: { whitelist: 'should not exist' },
    }));
    const fields = (validationFailed(many).details as { fields: Record<string, string[]> }).fields;
    expect(Object.keys(fields)).toHaveLength(50);
  });
});
