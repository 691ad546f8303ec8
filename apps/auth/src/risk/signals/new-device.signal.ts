import { Injectable } from '@nestjs/common';
import { RiskFinding, RiskInput, RiskSignal } from '../risk-signal';

/** A browser or app never seen on this network is suspicious, but alone not enough for a second step. */
export const NEW_DEVICE_WEIGHT = 2;

/**
 * `new_device`: the login's device (its user agent without version numbers) was never seen in this
 * user's successful logins. Silent for a user without history: their first device is new by definition.
 */
@Injectable()
export class NewDeviceSignal implements RiskSignal {
  readonly name = 'new_device';

  async evaluate({ memory }: RiskInput): Promise<RiskFinding | null> {
    if (!memory.hasHistory || memory.deviceKnown !== false) {
      return null;
    }
    return { reason: this.name, weight: NEW_DEVICE_WEIGHT };
  }
}
