import { EntityManager } from 'typeorm';
import { APP_CONFIG, Clock } from '@app/config';
import { CallContext, ErrorCode } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { FlowsRepository } from './flows.repository';
import { LoginFlow } from './login-flow.entity';
import { LoginFlowService } from './login-flow.service';

describe(LoginFlowService.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const flowId = '0b5c3f0a-2f6e-4b8e-8d7a-3c9b1e2d4f50';
  const pending = {
    id: flowId,
    status: 'pending',
    expiresAt: new Date(clock.now().getTime() + 1000),
  } as LoginFlow;
  let sut: LoginFlowService;
  let flows: MockOf<FlowsRepository>;

  beforeEach(async () => {
    const t = await newTestService(LoginFlowService, [
      { provide: Clock, useValue: clock },
      { provide: APP_CONFIG, useValue: { LOGIN_FLOW_TTL_SECONDS: 300 } },
    ]);
    sut = t.sut;
    flows = t.mock(FlowsRepository);
    flows.findById.mockResolvedValue(pending);
    flows.lockById.mockResolvedValue(pending);
  });

  it('opens a pending flow for the second step that lives LOGIN_FLOW_TTL_SECONDS', async () => {
    const ctx = { ip: '192.0.2.1', userAgent: 'Firefox' } as CallContext;
    const flow = await sut.open(manager, 'u1', 'step_up', ctx, { sessionId: 's1' });
    expect(flows.insert).toHaveBeenCalledWith(manager, flow);
    expect(flow).toMatchObject({
      userId: 'u1',
      purpose: 'step_up',
      status: 'pending',
      stage: 'second_factor',
      sessionId: 's1',
      ip: '192.0.2.1',
      userAgent: 'Firefox',
      createdAt: clock.now(),
      expiresAt: new Date(clock.now().getTime() + 300_000),
    });
  });

  it('drafts the same flow as a statement whose parameters are the flow’s', () => {
    const { flow, insert } = sut.draft('u1', 'login', {} as CallContext);
    expect(insert.params).toEqual([
      flow.id,
      'u1',
      'login',
      'pending',
      null,
      'second_factor',
      null,
      null,
      flow.createdAt,
      flow.expiresAt,
    ]);
    expect(flows.insert).not.toHaveBeenCalled();
  });

  describe('live', () => {
    it('hands back a pending flow within its time', async () => {
      expect(await sut.live(flowId)).toBe(pending);
    });

    it.each([
      ['an id that is not a uuid', 'nope', null],
      ['an unknown flow', flowId, null],
      ['a finished flow', flowId, { ...pending, status: 'completed' }],
      ['a flow at its expiry', flowId, { ...pending, expiresAt: clock.now() }],
    ])('answers %s with flow_expired, telling nothing more', async (_name, id, found) => {
      flows.findById.mockResolvedValue(found as LoginFlow | null);
      await expect(sut.live(id)).rejects.toMatchObject({ code: ErrorCode.FlowExpired });
    });

    it('does not look up an id that is not a uuid, even under lock', async () => {
      await expect(sut.lockLive(manager, 'nope')).rejects.toMatchObject({
        code: ErrorCode.FlowExpired,
      });
      expect(flows.lockById).not.toHaveBeenCalled();
    });
  });

  it('keeps what the second step earned when the initial password is still owed (AUTH-14)', async () => {
    await sut.advanceToInitialPassword(manager, pending, clock.now(), 'totp', 'Office PC');
    expect(flows.update).toHaveBeenCalledWith(manager, flowId, {
      stage: 'initial_password',
      secondFactorAt: clock.now(),
      secondFactorMethod: 'totp',
      trustBrowserName: 'Office PC',
    });
  });
});
