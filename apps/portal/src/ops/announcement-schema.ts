import { z } from 'zod';
import type { Announcement, Audience } from './types';

const TENANT_NUMBER = /^[A-Z][0-9A-Z]{3,19}$/;
const SERVICE_CODE = /^[a-z][a-z0-9_-]{0,39}$/;

/** A list typed with commas, spaces or new lines. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,、，]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);
}

function instant(local: string): number {
  return local ? new Date(local).getTime() : Number.NaN;
}

/**
 * CASE-11: title and text, an optional article, banner or not, the window it is shown in (from
 * before to), and its audience: everyone, or named tenants and/or the tenants of named services.
 */
export const announcementSchema = z
  .object({
    title: z.string().trim().min(1, 'validation.required').max(200, 'ops.validation.tooLong'),
    body: z.string().trim().min(1, 'validation.required'),
    article: z
      .string()
      .trim()
      .refine((v) => v === '' || /^KB[0-9]{7}$/.test(v.toUpperCase()), 'ops.validation.article'),
    banner: z.boolean(),
    email: z.boolean(),
    from: z.string().refine((v) => !Number.isNaN(instant(v)), 'validation.required'),
    to: z.string().refine((v) => !Number.isNaN(instant(v)), 'validation.required'),
    audience: z.enum(['all', 'some']),
    tenants: z.string(),
    services: z.array(z.string()),
  })
  .superRefine((v, ctx) => {
    const from = instant(v.from);
    const to = instant(v.to);
    if (!Number.isNaN(from) && !Number.isNaN(to) && to <= from) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'ops.validation.toAfterFrom' });
    }
    if (v.audience === 'some') {
      const tenants = splitList(v.tenants.toUpperCase());
      if (tenants.length === 0 && v.services.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['tenants'], message: 'ops.validation.audience' });
      } else if (tenants.some((tenant) => !TENANT_NUMBER.test(tenant))) {
        ctx.addIssue({ code: 'custom', path: ['tenants'], message: 'ops.validation.tenantNumbers' });
      }
      if (v.services.some((service) => !SERVICE_CODE.test(service))) {
        ctx.addIssue({ code: 'custom', path: ['services'], message: 'ops.validation.code' });
      }
    }
  });

export type AnnouncementValues = z.infer<typeof announcementSchema>;

/** `2026-05-01T09:00` in the operator's time zone, for a `datetime-local` input. */
export function toLocalInput(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return '';
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function emptyAnnouncement(now: Date = new Date()): AnnouncementValues {
  const week = new Date(now.getTime() + 7 * 24 * 3600 * 1000);
  return {
    title: '',
    body: '',
    article: '',
    banner: false,
    email: false,
    from: toLocalInput(now.toISOString()),
    to: toLocalInput(week.toISOString()),
    audience: 'all',
    tenants: '',
    services: [],
  };
}

export function announcementValues(a: Announcement, bodyText: string): AnnouncementValues {
  return {
    title: a.title,
    body: bodyText,
    article: a.article ?? '',
    banner: a.banner,
    email: false,
    from: toLocalInput(a.from),
    to: toLocalInput(a.to),
    audience: a.audience.all ? 'all' : 'some',
    tenants: a.audience.tenants.join(', '),
    services: a.audience.services,
  };
}

/** The form as the body of `POST|PUT /ops/announcements`; `bodyHtml` is the text as HTML. */
export function announcementBody(v: AnnouncementValues, bodyHtml: string) {
  const audience: Audience =
    v.audience === 'all'
      ? { all: true }
      : {
          ...(splitList(v.tenants).length ? { tenants: splitList(v.tenants.toUpperCase()) } : {}),
          ...(v.services.length ? { services: v.services } : {}),
        };
  return {
    title: v.title.trim(),
    body: bodyHtml,
    ...(v.article.trim() ? { article: v.article.trim().toUpperCase() } : {}),
    banner: v.banner,
    from: new Date(v.from).toISOString(),
    to: new Date(v.to).toISOString(),
    audience,
    ...(v.email ? { email: true } : {}),
  };
}
