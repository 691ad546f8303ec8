import { Injectable } from '@nestjs/common';

/**
 * The time, injected wherever a rule depends on it (lockout windows, code expiry, session timeouts),
 * so tests move time forward instead of sleeping.
 */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
