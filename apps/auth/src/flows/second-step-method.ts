import { EntityManager } from 'typeorm';
import { CallContext, ChallengeResult, MethodOption, VerifyMethod } from '@app/contracts';
import { ProjectedStatement } from '@app/database';
import { LoginAccount } from '../users/login-account';
import { LoginFlow } from './login-flow.entity';

/**
 * What a method made of the user's answer: right, or wrong (counted against the account, AUTH-6).
 * `alreadyCounted`: the wrong answer was counted when it was given (a denial at the approver app),
 * so the verify that reports it counts nothing more.
 */
export type SecondStepCheck = (
  { ok: true } | { ok: false; attemptsLeft?: number; alreadyCounted?: boolean }
) & {
  /**
   * The method's own changes (a code consumed, a try taken from it), sent by the caller in the one
   * statement that writes the outcome with its facts, rather than one round trip each.
   */
  writes?: ProjectedStatement[];
};

/**
 * The flow's newest security code, read and locked with the flow by the verify's one read (codes
 * change only under the flow's row lock). `undefined`: not read (the method reads it itself).
 */
export interface FlowCodeRow {
  id: string;
  channel: 'sms' | 'email';
  codeHmac: string;
  createdAt: Date;
  expiresAt: Date;
  attemptsLeft: number;
  consumedAt: Date | null;
  voidedAt: Date | null;
}

/** What the verify's one read already holds for the method. */
export interface SecondStepPreload {
  latestCode?: FlowCodeRow | null;
}

/**
 * One kind of second step (AUTH-6 codes, AUTH-8 TOTP, AUTH-13 app approval). Each method registers
 * itself with SecondStepMethods when its module starts; login and step-up flows offer, challenge and
 * verify through the registry, so adding a method touches no flow code.
 */
export interface SecondStepMethod {
  readonly type: VerifyMethod;
  /**
   * The option offered after the password or with `step_up_required`, or null when this user cannot
   * use it. `tenant`: the active tenant of a step-up's session (null before one is chosen).
   */
  offer(account: LoginAccount, tenant?: string | null): Promise<MethodOption | null>;
  /**
   * Sends what the user answers (a code, an approval request). Absent for methods that need nothing
   * sent (TOTP): a challenge for them is `method_not_available`.
   */
  challenge?(flow: LoginFlow, account: LoginAccount, ctx: CallContext): Promise<ChallengeResult>;
  /**
   * Checks the answer inside the verify transaction, which already holds the account's lockout row
   * and the flow's row lock, so checks of one account never run side by side. A wrong answer returns
   * `{ok:false}` (the caller counts it and writes the audit events); states that are not an answer at
   * all (no live code, approval still pending) throw their DomainError and roll back.
   */
  verify(
    manager: EntityManager,
    flow: LoginFlow,
    account: LoginAccount,
    code: string | undefined,
    now: Date,
    preload?: SecondStepPreload,
  ): Promise<SecondStepCheck>;
}
