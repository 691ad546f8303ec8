import { CaseAction, CaseStatus, Language, OperatorStatus } from '@app/contracts';

/** A customer's decision on their case (CASE-5). */
export type CustomerDecision = 'close' | 'approve' | 'reject';

/** Open statuses a customer may close "after a confirmation": every one but `resolved` (CASE-5). */
const CUSTOMER_CLOSABLE: ReadonlySet<CaseStatus> = new Set(['new', 'in_progress', 'awaiting_customer']);

/**
 * CASE-5 for customers: close any open case but a resolved one; approve a solution (`resolved` →
 * `closed`); reject it (`resolved` → `in_progress`). Null: the decision does not apply now.
 */
export function customerTransition(status: CaseStatus, decision: CustomerDecision): CaseStatus | null {
  switch (decision) {
    case 'close':
      return CUSTOMER_CLOSABLE.has(status) ? 'closed' : null;
    case 'approve':
      return status === 'resolved' ? 'closed' : null;
    case 'reject':
      return status === 'resolved' ? 'in_progress' : null;
  }
}

/**
 * CASE-5 for operators: they set `in_progress`, `awaiting_customer` and `resolved`, and close, on any
 * open case except a resolved one — only the customer approves or rejects a solution — and never to
 * the status the case already has. Closed is final for everyone.
 */
export function operatorMayMove(status: CaseStatus, target: OperatorStatus): boolean {
  return status !== 'closed' && status !== 'resolved' && status !== target;
}

/** What the caller may do now (CASE-2), so no client hard-codes the rules. */
export function availableActions(status: CaseStatus, role: 'customer' | 'operator'): CaseAction[] {
  if (status === 'closed') {
    return [];
  }
  const actions: CaseAction[] = ['comment', 'attach'];
  if (role === 'customer') {
    if (CUSTOMER_CLOSABLE.has(status)) {
      actions.push('close');
    }
    if (status === 'resolved') {
      actions.push('approve', 'reject');
    }
    return actions;
  }
  if (status !== 'resolved') {
    actions.push('close');
  }
  return actions;
}

/**
 * The `statusMessage` code of a case: what the status means for whoever reads it. A client maps the
 * code to its own wording; `statusLabel` gives the platform's.
 */
export function statusMessage(status: CaseStatus, role: 'customer' | 'operator'): string {
  const customer: Record<CaseStatus, string> = {
    new: 'received',
    in_progress: 'provider_working',
    awaiting_customer: 'awaiting_your_reply',
    resolved: 'solution_awaiting_your_approval',
    closed: 'closed_final',
  };
  const operator: Record<CaseStatus, string> = {
    new: 'not_started',
    in_progress: 'in_progress',
    awaiting_customer: 'awaiting_customer_reply',
    resolved: 'awaiting_customer_approval',
    closed: 'closed_final',
  };
  return (role === 'customer' ? customer : operator)[status];
}

/** CASE-3: status labels in ja/en; the provider's name in "In progress (provider working)" is configured. */
export function statusLabel(status: CaseStatus, language: Language, provider: string): string {
  const labels: Record<CaseStatus, Record<Language, string>> = {
    new: { ja: '新規', en: 'New' },
    in_progress: { ja: `対応中（${provider}対応中）`, en: `In progress (${provider} working)` },
    awaiting_customer: { ja: '対応中（お客さま回答待ち）', en: 'In progress (awaiting your reply)' },
    resolved: { ja: '解決済み（承認待ち）', en: 'Resolved (awaiting your approval)' },
    closed: { ja: 'クローズ', en: 'Closed' },
  };
  return labels[status][language];
}
