import { AuditEvent, AUDIT_STREAM } from '@app/contracts';
import { natsSettingsAs } from '@app/testing';
import { AuditTailCommand, AuditTailOptions } from '@app/cli/audit/audit-tail.command';
import { newAuditEvent, StreamHarness, uniqueName } from './support/audit-harness';

jest.setTimeout(60_000);

/**
 * `audit:tail` (AUDIT-4), the example consumer, against the real AUDIT stream as the NATS user `cli`
 * (so its permissions are the ones production gives it). The stream is shared with whatever else
 * this run publishes: each test waits for its own events, marked with a tenant of its own.
 */
describe('audit:tail', () => {
  let stream: StreamHarness;
  const durables: string[] = [];

  beforeAll(async () => {
    stream = await StreamHarness.connect();
  });

  afterAll(async () => {
    for (const name of durables) {
      await stream.deleteConsumer(name);
    }
    await stream.close();
  });

  /** Runs the command until it has printed every id in `until` (or `limit` events); the lines. */
  async function tail(options: AuditTailOptions, until: string[] = []): Promise<AuditEvent[]> {
    const printed: AuditEvent[] = [];
    const stop = new AbortController();
    const errors: string[] = [];
    const timer = setTimeout(() => stop.abort(), 20_000);
    const code = await new AuditTailCommand(natsSettingsAs('cli'), {
      out: (line) => {
        const event = JSON.parse(line) as AuditEvent;
        printed.push(event);
        if (until.length > 0 && until.every((id) => printed.some((e) => e.id === id))) {
          stop.abort();
        }
      },
      err: (line) => errors.push(line),
    }).run(options, stop.signal);
    clearTimeout(timer);
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    return printed;
  }

  it('replays from a time the events of a type pattern, one JSON line each, as published', async () => {
    const tenant = uniqueName('tail');
    const since = new Date(Date.now() - 1000);
    const wanted = [
      newAuditEvent({ type: 'auth.login.failed', outcome: 'failure', actor: { tenant } }),
      newAuditEvent({ type: 'auth.login.succeeded', actor: { tenant } }),
    ];
    const other = newAuditEvent({ type: 'auth.session.started', actor: { tenant } });
    for (const event of [wanted[0], other, wanted[1]]) {
      await stream.publish(event);
    }
    // Published before the command starts: it is a replay.
    const printed = await tail(
      { type: 'auth.login.*', since },
      wanted.map((e) => e.id),
    );
    expect(printed.every((e) => e.type.startsWith('auth.login.'))).toBe(true);
    expect(printed.some((e) => e.id === other.id)).toBe(false);
    const mine = printed.filter((e) => e.actor.tenant === tenant);
    expect(mine).toEqual(wanted);
  });

  it('prints events published while it runs', async () => {
    const tenant = uniqueName('live');
    const event = newAuditEvent({ type: 'auth.session.ended', actor: { tenant } });
    const running = tail({ type: 'auth.session.>' }, [event.id]);
    // The consumer starts at new events: publish once it is there.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await stream.publish(event);
    const printed = await running;
    expect(printed.filter((e) => e.actor.tenant === tenant)).toEqual([event]);
  });

  it('with --durable, acks what it printed and goes on there the next time', async () => {
    const tenant = uniqueName('durable');
    const durable = uniqueName('tail-test');
    durables.push(durable);
    const since = new Date(Date.now() - 1000);
    // A type no other test publishes, so the consumer sees only these.
    const events = Array.from({ length: 5 }, () =>
      newAuditEvent({ type: 'case-management.portal_links.updated', actor: { tenant } }),
    );
    for (const event of events) {
      await stream.publish(event);
    }
    const type = 'case-management.portal_links.updated';
    const first = await tail({ type, since, durable, limit: 2 });
    const second = await tail({ type, since, durable, limit: 3 });
    const mine = (list: AuditEvent[]) => list.filter((e) => e.actor.tenant === tenant).map((e) => e.id);
    expect([...mine(first), ...mine(second)]).toEqual(events.map((e) => e.id));
    const info = await stream.jsm.consumers.info(AUDIT_STREAM, durable);
    expect(info.num_ack_pending).toBe(0);
    expect(info.config.filter_subject).toBe(`audit.${type}`);
  });

  it('keeps no consumer behind without --durable', async () => {
    const before = new Set<string>();
    for await (const c of stream.jsm.consumers.list(AUDIT_STREAM)) {
      before.add(c.name);
    }
    await tail({ type: 'auth.login.*', since: new Date(Date.now() - 60_000), limit: 1 }, []).catch(() => []);
    const after: string[] = [];
    for await (const c of stream.jsm.consumers.list(AUDIT_STREAM)) {
      if (!before.has(c.name) && c.config.durable_name) {
        after.push(c.name);
      }
    }
    expect(after).toEqual([]);
  });
});
