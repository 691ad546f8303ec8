import { Answer, call, expectStatus } from '@app/testing';
import { AuditCapture } from './admin-harness';
import { AuthGateway } from './auth-gateway';
import { UserFixture } from './auth-test-app';

const TWO_MINUTES = 2 * 60 * 1000;

/** AUTH-13: app approval with number matching, through the gateway (login screen and phone app). */
describe('app approval (AUTH-13), through the gateway', () => {
  let platform: AuthGateway;
  // Audit facts as committed (see AuditCapture: another file's relay may publish our outbox rows).
  let audit: AuditCapture;

  beforeAll(async () => {
    platform = await AuthGateway.create();
    audit = await AuditCapture.start(platform);
  });
  afterAll(async () => {
    await audit.stop();
    await platform.close();
  });

  interface Approving {
    user: UserFixture;
    accessToken: string;
    approverId: string;
    approverToken: string;
  }

  /** A user (second step required) whose phone app "My phone" is registered as approver. */
  async function userWithApprover(name = 'My phone'): Promise<Approving> {
    const user = await platform.auth.newUser({ tenant: await platform.auth.newTenant(), mfaRequired: true });
    const { accessToken } = await platform.login(user);
    const answer = await platform.api('POST', '/me/mfa/approver', { token: accessToken, body: { name } });
    expectStatus(answer, 201);
    return { user, accessToken, ...answer.body };
  }

  async function loginFlow(user: UserFixture, ip?: string): Promise<{ flowId: string; methods: any[] }> {
    const first = await platform.passwordStep(user, { ip, userAgent: 'Firefox on the desk' });
    expect(first.status).toBe('second_factor_required');
    return first as { flowId: string; methods: any[] };
  }

  async function challengePush(flowId: string): Promise<{ matchNumber: number } & Record<string, any>> {
    const answer = await platform.api('POST', `/auth/login/${flowId}/challenge`, {
      body: { method: 'push' },
    });
    expectStatus(answer, 202);
    return answer.body;
  }

  function appRequests(approverToken: string): Promise<Answer> {
    return platform.api('GET', '/approver/requests', { headers: { 'x-approver-token': approverToken } });
  }

  function decide(approverToken: string, id: string, body: Record<string, unknown>): Promise<Answer> {
    return platform.api('POST', `/approver/requests/${id}`, {
      headers: { 'x-approver-token': approverToken },
      body,
    });
  }

  function status(flowId: string): Promise<Answer> {
    return platform.api('GET', `/auth/login/${flowId}`);
  }

  /** `token`: the session's access token, which the verify of a step-up flow needs. */
  function verifyPush(flowId: string, token?: string): Promise<Answer> {
    return platform.api('POST', `/auth/login/${flowId}/verify`, { body: { method: 'push' }, token });
  }

  /** The one request the app lists, checked to carry the right number among three. */
  async function theRequest(
    approverToken: string,
    matchNumber: number,
  ): Promise<{ id: string; candidates: number[] }> {
    const listed = await appRequests(approverToken);
    expectStatus(listed, 200);
    expect(listed.body).toHaveLength(1);
    const [request] = listed.body;
    expect(request.candidates).toHaveLength(3);
    expect(new Set(request.candidates).size).toBe(3);
    expect(request.candidates).toContain(matchNumber);
    return request;
  }

  it('registers an approver app (step-up), lists it without its token, and offers push at login', async () => {
    const user = await platform.auth.newUser({ tenant: await platform.auth.newTenant(), mfaRequired: true });
    const { accessToken } = await platform.login(user);
    platform.staleSecondStep();

    const refused = await platform.api('POST', '/me/mfa/approver', {
      token: accessToken,
      body: { name: 'Pixel' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('step_up_required');
    expect((await platform.api('GET', '/me/mfa/approvers', { token: accessToken })).body).toEqual([]);

    const fresh = await platform.stepUp(user, refused);
    const registered = await platform.api('POST', '/me/mfa/approver', {
      token: fresh.accessToken,
      body: { name: 'Pixel' },
    });
    expectStatus(registered, 201);
    expect(registered.body.approverToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const listed = await platform.api('GET', '/me/mfa/approvers', { token: fresh.accessToken });
    expect(listed.body).toEqual([
      { id: registered.body.approverId, name: 'Pixel', createdAt: expect.any(String), lastUsedAt: null },
    ]);
    const rows: { token_hmac: string }[] = await platform.auth.dataSource.query(
      `SELECT token_hmac FROM auth.push_approver WHERE user_id = $1`,
      [user.id],
    );
    expect(rows[0].token_hmac).not.toContain(registered.body.approverToken);

    const flow = await loginFlow(user);
    expect(flow.methods).toContainEqual({ type: 'push', destination: 'Pixel' });
    expect(await audit.events({ actorUserId: user.id, type: 'auth.push.approver_registered' })).toHaveLength(
      1,
    );
  });

  it('shows a number at login; the app approving with that number completes the login, once', async () => {
    const { user, approverToken } = await userWithApprover();
    const { flowId } = await loginFlow(user, '198.51.100.23');

    const challenge = await challengePush(flowId);
    expect(challenge).toMatchObject({ method: 'push', destination: 'My phone', resendAfter: 30 });
    expect(challenge.matchNumber).toBeGreaterThanOrEqual(10);
    expect(challenge.matchNumber).toBeLessThanOrEqual(99);
    expect(new Date(challenge.expiresAt).getTime() - platform.auth.clock.now().getTime()).toBe(TWO_MINUTES);
    expect((await status(flowId)).body).toEqual({ status: 'pending' });

    const listed = await appRequests(approverToken);
    expect(listed.body).toEqual([
      {
        id: expect.any(String),
        expiresAt: challenge.expiresAt,
        ip: '198.51.100.23',
        userAgent: 'Firefox on the desk',
        candidates: expect.arrayContaining([challenge.matchNumber]),
      },
    ]);
    const request = await theRequest(approverToken, challenge.matchNumber);

    // Waiting for the phone is not an answer: nothing is counted.
    const pending = await verifyPush(flowId);
    expect(pending.status).toBe(409);
    expect(pending.body.error.code).toBe('approval_pending');

    const approved = await decide(approverToken, request.id, {
      decision: 'approve',
      matchNumber: challenge.matchNumber,
    });
    expectStatus(approved, 200);
    expect(approved.body).toEqual({ status: 'approved' });
    expect((await status(flowId)).body).toEqual({ status: 'approved' });
    expect((await appRequests(approverToken)).body).toEqual([]);

    const verified = await verifyPush(flowId);
    expectStatus(verified, 200);
    expect(verified.body.status).toBe('authenticated');
    expect(verified.body.accessToken).toEqual(expect.any(String));

    // Used once: the flow is over.
    expect((await verifyPush(flowId)).status).toBe(410);
    // A decided request cannot be decided again.
    expect((await decide(approverToken, request.id, { decision: 'deny' })).status).toBe(409);

    const events = await audit.events({
      targetId: flowId,
      type: [
        'auth.push.requested',
        'auth.push.approved',
        'auth.second_factor.succeeded',
        'auth.second_factor.failed',
      ],
    });
    expect(events.map((e) => e.type)).toEqual([
      'auth.push.requested',
      'auth.push.approved',
      'auth.second_factor.succeeded',
    ]);
    expect(JSON.stringify(events)).not.toContain(approverToken);
  });

  it('denies on a wrong number: the verify fails (counted once), and an e-mail code still completes the flow', async () => {
    const { user, approverToken } = await userWithApprover();
    const { flowId } = await loginFlow(user);
    const challenge = await challengePush(flowId);
    const request = await theRequest(approverToken, challenge.matchNumber);
    const wrongNumber = request.candidates.find((n) => n !== challenge.matchNumber);

    const denied = await decide(approverToken, request.id, { decision: 'approve', matchNumber: wrongNumber });
    expectStatus(denied, 200);
    expect(denied.body).toEqual({ status: 'denied' });
    expect((await status(flowId)).body).toEqual({ status: 'denied' });
    // The right number afterwards changes nothing.
    const late = await decide(approverToken, request.id, {
      decision: 'approve',
      matchNumber: challenge.matchNumber,
    });
    expect(late.status).toBe(409);

    const failed = await verifyPush(flowId);
    expect(failed.status).toBe(401);
    expect(failed.body.error.code).toBe('invalid_code');
    // Counted once: the denial is used up.
    const again = await verifyPush(flowId);
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('code_expired');

    const events = await audit.events({
      targetId: flowId,
      type: ['auth.push.denied', 'auth.push.approved', 'auth.second_factor.failed'],
    });
    expect(events.map((e) => [e.type, e.reasons])).toEqual([
      ['auth.push.denied', ['number_mismatch']],
      ['auth.second_factor.failed', ['push']],
    ]);

    // Fallback to a security code on the same flow (AUTH-13).
    const fallback = await platform.codeStep(user, flowId, 'email');
    expect(fallback.status).toBe('authenticated');
  });

  it('denies when the app says deny, and when it approves without a number', async () => {
    const { user, approverToken } = await userWithApprover();
    for (const body of [{ decision: 'deny' }, { decision: 'approve' }]) {
      platform.auth.clock.advance(31_000);
      const { flowId } = await loginFlow(user);
      const challenge = await challengePush(flowId);
      const request = await theRequest(approverToken, challenge.matchNumber);
      expect((await decide(approverToken, request.id, body)).body).toEqual({ status: 'denied' });
      expect((await status(flowId)).body).toEqual({ status: 'denied' });
      expect((await verifyPush(flowId)).status).toBe(401);
    }
    const denials = await audit.events({ actorUserId: user.id, type: 'auth.push.denied' });
    expect(denials.map((e) => e.reasons)).toEqual([['denied_by_user'], ['number_mismatch']]);
  });

  it('expires after 2 minutes: status expired, verify 410, the app no longer lists or approves it', async () => {
    const { user, approverToken } = await userWithApprover();
    const { flowId } = await loginFlow(user);
    const challenge = await challengePush(flowId);
    const request = await theRequest(approverToken, challenge.matchNumber);

    platform.auth.clock.advance(TWO_MINUTES - 1);
    expect((await status(flowId)).body).toEqual({ status: 'pending' });
    platform.auth.clock.advance(1);
    expect((await status(flowId)).body).toEqual({ status: 'expired' });

    const verify = await verifyPush(flowId);
    expect(verify.status).toBe(410);
    expect(verify.body.error.code).toBe('code_expired');
    expect((await appRequests(approverToken)).body).toEqual([]);
    const late = await decide(approverToken, request.id, {
      decision: 'approve',
      matchNumber: challenge.matchNumber,
    });
    expect(late.status).toBe(410);

    // A new request on the same flow works again.
    const second = await challengePush(flowId);
    const again = await theRequest(approverToken, second.matchNumber);
    expectStatus(
      await decide(approverToken, again.id, { decision: 'approve', matchNumber: second.matchNumber }),
      200,
    );
    expectStatus(await verifyPush(flowId), 200);
  });

  it('an approval not used within the request life is expired too', async () => {
    const { user, approverToken } = await userWithApprover();
    const { flowId } = await loginFlow(user);
    const challenge = await challengePush(flowId);
    const request = await theRequest(approverToken, challenge.matchNumber);
    expectStatus(
      await decide(approverToken, request.id, { decision: 'approve', matchNumber: challenge.matchNumber }),
      200,
    );
    platform.auth.clock.advance(TWO_MINUTES);
    expect((await status(flowId)).body).toEqual({ status: 'expired' });
    expect((await verifyPush(flowId)).status).toBe(410);
  });

  it('does not let an approval through once its app was revoked (as an MFA reset does)', async () => {
    const { user, approverToken } = await userWithApprover();
    const { flowId } = await loginFlow(user);
    const challenge = await challengePush(flowId);
    const request = await theRequest(approverToken, challenge.matchNumber);
    expectStatus(
      await decide(approverToken, request.id, { decision: 'approve', matchNumber: challenge.matchNumber }),
      200,
    );
    // The statement of the operator's MFA reset (AUTH-19).
    await platform.auth.dataSource.query(
      `UPDATE auth.push_approver SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`,
      [user.id],
    );
    const verify = await verifyPush(flowId);
    expect(verify.status).toBe(410);
    expect(verify.body.error.code).toBe('code_expired');
  });

  it('asks again only after the resend wait, and the new request replaces the old one', async () => {
    const { user, approverToken } = await userWithApprover();
    const { flowId } = await loginFlow(user);
    const first = await challengePush(flowId);
    const old = await theRequest(approverToken, first.matchNumber);

    const tooSoon = await platform.api('POST', `/auth/login/${flowId}/challenge`, {
      body: { method: 'push' },
    });
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.body.error.code).toBe('resend_too_soon');

    platform.auth.clock.advance(31_000);
    const second = await challengePush(flowId);
    const current = await theRequest(approverToken, second.matchNumber);
    expect(current.id).not.toBe(old.id);
    // Approving the replaced request does not let the flow through.
    expect(
      (await decide(approverToken, old.id, { decision: 'approve', matchNumber: first.matchNumber })).status,
    ).toBe(410);
    expect((await verifyPush(flowId)).body.error.code).toBe('approval_pending');
  });

  it("keeps each user's requests to their own approvers; unknown and revoked tokens see nothing", async () => {
    const alice = await userWithApprover('Alice phone');
    const bob = await userWithApprover('Bob phone');
    const { flowId } = await loginFlow(alice.user);
    const challenge = await challengePush(flowId);
    const request = await theRequest(alice.approverToken, challenge.matchNumber);

    expect((await appRequests(bob.approverToken)).body).toEqual([]);
    const foreign = await decide(bob.approverToken, request.id, {
      decision: 'approve',
      matchNumber: challenge.matchNumber,
    });
    expect(foreign.status).toBe(404);
    expect((await status(flowId)).body).toEqual({ status: 'pending' });

    for (const token of ['not-a-token', `${alice.approverToken}x`]) {
      const unknown = await appRequests(token);
      expect(unknown.status).toBe(401);
      expect(unknown.body.error.code).toBe('unauthorized');
    }
    expect((await platform.api('GET', '/approver/requests')).status).toBe(401);

    // Revoking Alice's approver (step-up) shuts its token out and stops offering push.
    platform.staleSecondStep();
    const refused = await platform.api('DELETE', `/me/mfa/approvers/${alice.approverId}`, {
      token: alice.accessToken,
    });
    expect(refused.body.error.code).toBe('step_up_required');
    expect(refused.body.error.details.methods).toContainEqual({ type: 'push', destination: 'Alice phone' });
    const fresh = await platform.stepUp(alice.user, refused);
    // Bob cannot revoke Alice's approver.
    const bobFresh = await platform.stepUp(
      bob.user,
      await platform.api('DELETE', `/me/mfa/approvers/${alice.approverId}`, { token: bob.accessToken }),
    );
    expect(
      (await platform.api('DELETE', `/me/mfa/approvers/${alice.approverId}`, { token: bobFresh.accessToken }))
        .status,
    ).toBe(404);
    expectStatus(
      await platform.api('DELETE', `/me/mfa/approvers/${alice.approverId}`, { token: fresh.accessToken }),
      204,
    );
    expect((await appRequests(alice.approverToken)).status).toBe(401);
    expect((await platform.api('GET', '/me/mfa/approvers', { token: fresh.accessToken })).body).toEqual([]);
    const after = await loginFlow(alice.user);
    expect(after.methods.map((m) => m.type)).not.toContain('push');
    const noPush = await platform.api('POST', `/auth/login/${after.flowId}/challenge`, {
      body: { method: 'push' },
    });
    expect(noPush.status).toBe(422);
    expect(noPush.body.error.code).toBe('method_not_available');
  });

  it('completes a step-up with an approval', async () => {
    const { accessToken, approverToken } = await userWithApprover();
    platform.staleSecondStep();
    const refused = await platform.api('POST', '/me/mfa/approver', {
      token: accessToken,
      body: { name: 'Tablet' },
    });
    expect(refused.body.error.code).toBe('step_up_required');
    const flowId = refused.body.error.details.flowId as string;
    const challenge = await challengePush(flowId);
    const request = await theRequest(approverToken, challenge.matchNumber);
    expectStatus(
      await decide(approverToken, request.id, { decision: 'approve', matchNumber: challenge.matchNumber }),
      200,
    );
    const verified = await verifyPush(flowId, accessToken);
    expectStatus(verified, 200);
    expectStatus(
      await platform.api('POST', '/me/mfa/approver', {
        token: verified.body.accessToken,
        body: { name: 'Tablet' },
      }),
      201,
    );
  });

  it('publishes its routes in OpenAPI, the approver routes with their X-Approver-Token header', async () => {
    const doc = await call(platform.url, 'GET', '/api/docs-json');
    expectStatus(doc, 200);
    const paths = doc.body.paths;
    for (const path of [
      '/api/v1/me/mfa/totp',
      '/api/v1/me/mfa/totp/confirm',
      '/api/v1/me/mfa/approver',
      '/api/v1/me/mfa/approvers',
      '/api/v1/me/mfa/approvers/{id}',
      '/api/v1/approver/requests',
      '/api/v1/approver/requests/{id}',
      '/api/v1/auth/login/{flowId}',
    ]) {
      expect(paths).toHaveProperty([path]);
    }
    expect(paths['/api/v1/approver/requests'].get.parameters).toContainEqual(
      expect.objectContaining({ name: 'X-Approver-Token', in: 'header' }),
    );
  });

  it('answers flow_expired for an unknown flow and not_found for a flow without an approval request', async () => {
    const { user } = await userWithApprover();
    expect((await status('7a1d2c4e-0000-4000-8000-000000000000')).status).toBe(410);
    const { flowId } = await loginFlow(user);
    expect((await status(flowId)).status).toBe(404);
    const verify = await verifyPush(flowId);
    expect(verify.status).toBe(410);
    expect(verify.body.error.code).toBe('code_expired');
  });
});
