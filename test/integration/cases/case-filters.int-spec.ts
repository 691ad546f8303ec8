import { CaseFilterView } from '@app/contracts';
import { errorCode, expectStatus } from '@app/testing';
import { CasePlatform, Customer } from './case-platform';

describe('saved case filters (CASE-8)', () => {
  let platform: CasePlatform;
  let admin: Customer;
  let alice: Customer;
  let bob: Customer;

  beforeAll(async () => {
    platform = await CasePlatform.create();
    admin = await platform.customer(undefined, 'admin');
    alice = await platform.customer(admin.tenant);
    bob = await platform.customer(admin.tenant);
  });
  afterAll(() => platform.close());

  const filter = JSON.stringify([[{ field: 'status', op: 'in', value: ['new', 'in_progress'] }]]);

  async function save(who: Customer, body: Record<string, unknown>) {
    return platform.api('POST', '/case-filters', { token: who.token, body });
  }

  it('creates, overwrites by name and visibility, and keeps private filters to their owner', async () => {
    const created = await save(alice, { name: 'Mine', visibility: 'private', filter, sort: '-updated' });
    expectStatus(created, 201);
    const again = await save(alice, { name: 'Mine', visibility: 'private', view: 'action_required' });
    expectStatus(again, 200);
    expect((again.body as CaseFilterView).id).toBe((created.body as CaseFilterView).id);
    expect(again.body).toMatchObject({ view: 'action_required', filter: null, owner: { id: alice.user.id } });
    // Bob's filter of the same name is his own; he never sees Alice's.
    expectStatus(await save(bob, { name: 'Mine', visibility: 'private' }), 201);
    const bobs = (await platform.api('GET', '/case-filters', { token: bob.token })).body as CaseFilterView[];
    expect(bobs.map((f) => f.owner.id)).toEqual([bob.user.id]);
    const id = (created.body as CaseFilterView).id;
    for (const [method, body] of [
      ['PUT', { name: 'x', visibility: 'private' }],
      ['DELETE', undefined],
    ] as const) {
      const answer = await platform.api(method, `/case-filters/${id}`, { token: bob.token, body });
      expect([method, answer.status, errorCode(answer)]).toEqual([method, 404, 'not_found']);
    }
  });

  it('lets only the creator or a tenant admin overwrite, change or delete a tenant filter', async () => {
    const shared = await save(alice, { name: 'Team', visibility: 'tenant', filter });
    expectStatus(shared, 201);
    const id = (shared.body as CaseFilterView).id;
    const seen = (await platform.api('GET', '/case-filters', { token: bob.token })).body as CaseFilterView[];
    expect(seen.map((f) => f.id)).toContain(id);
    const overwrite = await save(bob, { name: 'Team', visibility: 'tenant' });
    expect([overwrite.status, errorCode(overwrite)]).toEqual([403, 'forbidden']);
    const change = await platform.api('PUT', `/case-filters/${id}`, {
      token: bob.token,
      body: { name: 'Team', visibility: 'tenant' },
    });
    expect([change.status, errorCode(change)]).toEqual([403, 'forbidden']);
    expectStatus(await save(admin, { name: 'Team', visibility: 'tenant', view: 'alerts' }), 200);
    expectStatus(await platform.api('DELETE', `/case-filters/${id}`, { token: admin.token }), 204);
    const stranger = await platform.customer();
    expect((await platform.api('GET', '/case-filters', { token: stranger.token })).body).toEqual([]);
  });

  it('refuses a filter, sort or q that GET /cases would refuse', async () => {
    for (const body of [
      { name: 'bad', visibility: 'private', filter: '[[{"field":"nope","op":"eq","value":"x"}]]' },
      { name: 'bad', visibility: 'private', sort: 'secret' },
      { name: 'bad', visibility: 'everyone' },
    ]) {
      const answer = await save(alice, body);
      expect([answer.status, errorCode(answer)]).toEqual([400, 'validation_failed']);
    }
  });
});
