import { Inject, Injectable, Optional } from '@nestjs/common';
import { RiskFinding, RiskInput, RiskSignal } from '../risk-signal';

/** A hint only: some people do work at night. */
export const UNUSUAL_HOUR_WEIGHT = 1;

/** Local hours `[from, to)` that count as unusual; `from > to` wraps past midnight (e.g. 22 → 5). */
export interface UnusualHours {
  from: number;
  to: number;
}

/** Default: from midnight to 5 a.m. in the user's own time zone. */
export const DEFAULT_UNUSUAL_HOURS: UnusualHours = { from: 0, to: 5 };

/** Injection token of the configured hours (`RISK_UNUSUAL_HOURS`); null turns the signal off. */
export const UNUSUAL_HOURS = Symbol('UNUSUAL_HOURS');

/** `RISK_UNUSUAL_HOURS` (already checked by the config schema): `off`, or `from-to` in whole hours. */
export function parseUnusualHours(setting: string): UnusualHours | null {
  if (setting === 'off') {
    return null;
  }
  const [from, to] = setting.split('-').map(Number);
  return { from, to };
}

/** `unusual_hour`: the login happens at night in the user's time zone (AUTH-20, default Asia/Tokyo). */
@Injectable()
export class UnusualHourSignal implements RiskSignal {
  readonly name = 'unusual_hour';
  private readonly hours: UnusualHours | null;

  constructor(@Optional() @Inject(UNUSUAL_HOURS) hours?: UnusualHours | null) {
    this.hours = hours === undefined ? DEFAULT_UNUSUAL_HOURS : hours;
  }

  async evaluate({ account, now }: RiskInput): Promise<RiskFinding | null> {
    if (this.hours === null) {
      return null;
    }
    const hour = localHour(now, account.user.timezone);
    if (hour === null || !within(hour, this.hours)) {
      return null;
    }
    return { reason: this.name, weight: UNUSUAL_HOUR_WEIGHT };
  }
}

function within(hour: number, { from, to }: UnusualHours): boolean {
  return from <= to ? hour >= from && hour < to : hour >= from || hour < to;
}

/** Formatters by time zone: making one costs far more than using it, and this runs on every login. */
const hourFormats = new Map<string, Intl.DateTimeFormat | null>();

function hourFormat(timeZone: string): Intl.DateTimeFormat | null {
  let format = hourFormats.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' });
    } catch {
      format = null;
    }
    hourFormats.set(timeZone, format);
  }
  return format;
}

/** 0–23 in `timeZone`, or null for a zone the runtime does not know (then the signal stays silent). */
export function localHour(at: Date, timeZone: string | null | undefined): number | null {
  const part = hourFormat(timeZone || 'Asia/Tokyo')
    ?.formatToParts(at)
    .find((p) => p.type === 'hour');
  return part ? Number(part.value) % 24 : null;
}
