import { Injectable } from '@nestjs/common';
import { RiskFinding, RiskInput, RiskSignal } from '../risk-signal';

/** The weakest hint: people change networks all the time (home, office, phone, café). */
export const NEW_NETWORK_WEIGHT = 1;

/**
 * `new_network`: the login's network (IPv4 /24, IPv6 /48) was never seen in this user's successful
 * logins. Silent for a user without history.
 */
@Injectable()
export class NewNetworkSignal implements RiskSignal {
  readonly name = 'new_network';

  async evaluate({ memory }: RiskInput): Promise<RiskFinding | null> {
    if (!memory.hasHistory || memory.networkKnown !== false) {
      return null;
    }
    return { reason: this.name, weight: NEW_NETWORK_WEIGHT };
  }
}
