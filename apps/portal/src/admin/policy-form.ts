import { z } from 'zod';
import type { SecurityPolicy } from './types';

export const MAX_TRUSTED_BROWSER_DAYS = 90;

/**
 * The tenant security policy as the form holds it: the trusted-browser time is either the
 * platform default (8 hours) or a whole number of days, 1–90 (API.md, `PUT /admin/security-policy`).
 */
export const policySchema = z
  .object({
    mfaAlways: z.boolean(),
    trustedBrowser: z.enum(['default', 'days']),
    days: z.string().trim(),
  })
  .superRefine((values, ctx) => {
    if (values.trustedBrowser !== 'days') {
      return;
    }
    const days = Number(values.days);
    if (
      !/^\d+$/.test(values.days) ||
      !Number.isInteger(days) ||
      days < 1 ||
      days > MAX_TRUSTED_BROWSER_DAYS
    ) {
      ctx.addIssue({ code: 'custom', path: ['days'], message: 'admin.validation.days' });
    }
  });
export type PolicyForm = z.infer<typeof policySchema>;

export function policyValues(policy: SecurityPolicy): PolicyForm {
  return {
    mfaAlways: policy.mfaAlways,
    trustedBrowser: policy.trustedBrowserDays === null ? 'default' : 'days',
    days: policy.trustedBrowserDays === null ? '' : String(policy.trustedBrowserDays),
  };
}

export function policyBody(values: PolicyForm): SecurityPolicy {
  return {
    mfaAlways: values.mfaAlways,
    trustedBrowserDays: values.trustedBrowser === 'days' ? Number(values.days) : null,
  };
}
