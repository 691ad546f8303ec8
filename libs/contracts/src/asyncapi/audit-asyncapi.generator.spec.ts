import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AUDIT_EVENT_TYPES } from '../events/audit-event';
import { auditAsyncApiText, generateAuditAsyncApi } from './audit-asyncapi.generator';

const COMMITTED = path.resolve(__dirname, '../../../../docs/asyncapi.json');

/**
 * docs/asyncapi.json is generated from the contracts and must not drift from them.
 * `npm run asyncapi` (UPDATE_ASYNCAPI=1) rewrites it after a change of the event types.
 */
describe('the AsyncAPI document of the AUDIT stream', () => {
  it('is the committed docs/asyncapi.json (run `npm run asyncapi` after changing the event types)', () => {
    const generated = auditAsyncApiText();
    if (process.env.UPDATE_ASYNCAPI === '1') {
      writeFileSync(COMMITTED, generated);
    }
    expect(readFileSync(COMMITTED, 'utf8')).toBe(generated);
  });

  it('has one channel, message and schema per event type, on its subject', () => {
    const doc = generateAuditAsyncApi() as any;
    expect(doc.asyncapi).toBe('3.0.0');
    for (const type of AUDIT_EVENT_TYPES) {
      expect(doc.channels[type].address).toBe(`audit.${type}`);
      expect(doc.components.messages[type].payload).toEqual({ $ref: `#/components/schemas/${type}` });
      const schema = doc.components.schemas[type];
      expect(schema.properties.type).toEqual({ type: 'string', const: type });
      expect(schema.allOf).toEqual([{ $ref: '#/components/schemas/AuditEvent' }]);
    }
    expect(Object.keys(doc.channels.all.messages)).toHaveLength(AUDIT_EVENT_TYPES.length);
  });

  it('reads the payload from the AuditEvent interface, formats and descriptions included', () => {
    const schema = (generateAuditAsyncApi() as any).components.schemas.AuditEvent;
    expect(schema.properties.id).toMatchObject({ type: 'string', format: 'uuid' });
    expect(schema.properties.occurredAt).toMatchObject({ type: 'string', format: 'date-time' });
    expect(schema.properties.outcome).toMatchObject({
      type: 'string',
      enum: ['success', 'failure', 'denied', 'info'],
    });
    expect(schema.properties.actor.properties.userId).toMatchObject({ type: 'string', format: 'uuid' });
    expect(schema.properties.target).toMatchObject({
      type: 'object',
      properties: { type: { type: 'string' }, id: { type: 'string' } },
      required: ['type', 'id'],
    });
    expect(schema.properties.reasons).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(schema.required).toEqual(['id', 'type', 'occurredAt', 'actor', 'outcome', 'correlationId']);
    expect(schema.properties.type).toMatchObject({
      type: 'string',
      enum: expect.arrayContaining(['auth.login.failed']),
    });
  });

  it("takes an event type's JSDoc as its description", () => {
    const doc = generateAuditAsyncApi() as any;
    expect(doc.components.messages['auth.send_cap.reached'].summary).toMatch(/^NOTIF-7/);
  });
});
