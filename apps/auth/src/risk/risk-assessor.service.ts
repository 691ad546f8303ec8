import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { CallContext } from '@app/contracts';
import { AppLogger, InjectLogger } from '@app/observability';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccount } from '../users/login-account';
import { LoginMemory, LoginMemoryRows } from './login-memory';
import { LoginMemoryRepository } from './login-memory.repository';
import { RISK_SIGNALS, RiskFinding, RiskInput, RiskSignal } from './risk-signal';
import { riskVerdict, RiskVerdict } from './risk-verdict.util';

/**
 * The risk check after a right password (AUTH-11): every registered signal looks at the login and
 * what is remembered of the user's earlier ones; the weights of their findings decide between allow,
 * a second step and deny (riskVerdict). Whenever a signal fired, `auth.login.risk_assessed` records
 * the reason codes, whatever the outcome.
 */
@Injectable()
export class RiskAssessor {
  private readonly logger: AppLogger;

  constructor(
    @Inject(RISK_SIGNALS) private readonly signals: RiskSignal[],
    private readonly memory: LoginMemory,
    private readonly rows: LoginMemoryRepository,
    private readonly facts: AuditFacts,
    private readonly clock: Clock,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: RiskAssessor.name });
  }

  /** `loaded`: the memory's rows when the caller's read already holds them (the password step). */
  async assess(account: LoginAccount, ctx: CallContext, loaded?: LoginMemoryRows): Promise<RiskVerdict> {
    const now = this.clock.now();
    const ip = ctx.ip ?? null;
    const userAgent = ctx.userAgent ?? null;
    const memory = await this.memory.recall(
      account.user.id,
      account.user.userIdKey,
      { ip, userAgent, now },
      loaded,
    );
    const input: RiskInput = { account, ip, userAgent, now, memory };
    const findings = (await Promise.all(this.signals.map((s) => this.evaluate(s, input)))).filter(
      (f): f is RiskFinding => f !== null,
    );
    const verdict = riskVerdict(findings);
    if (findings.length > 0) {
      await this.rows.transaction((manager) =>
        this.facts.of(account).record(manager, {
          type: 'auth.login.risk_assessed',
          target: { type: 'user', id: account.user.id },
          outcome: verdict.outcome === 'deny' ? 'denied' : 'info',
          reasons: verdict.reasons,
        }),
      );
    }
    return verdict;
  }

  /**
   * A signal that fails (its geo database is down, …) is logged and counts as having found nothing:
   * a broken plug-in must not stop every login of the platform. The other signals still count.
   */
  private async evaluate(signal: RiskSignal, input: RiskInput): Promise<RiskFinding | null> {
    try {
      return await signal.evaluate(input);
    } catch (error) {
      this.logger.warn(
        { signal: signal.name, err: error instanceof Error ? error.message : String(error) },
        'risk signal failed; counted as no finding',
      );
      return null;
    }
  }
}
