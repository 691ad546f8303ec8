import { Injectable } from '@nestjs/common';
import { distanceKm, GeoLocation } from '../geo-location';
import { RiskFinding, RiskInput, RiskSignal } from '../risk-signal';

/** Faster than an airliner, door to door. */
export const MAX_PLAUSIBLE_SPEED_KMH = 900;
/** Geo-IP is often off by a few hundred kilometres (a provider's exit point, not the user): ignore less. */
export const MIN_TRAVEL_DISTANCE_KM = 500;
/** The strongest signal: on its own it asks for a second step; with any corroboration it denies. */
export const IMPOSSIBLE_TRAVEL_WEIGHT = 5;

/**
 * `impossible_travel`: the user could not have travelled from their last successful login's place to
 * this one in the time between. Needs a geo lookup (GeoLocation); without a geo database it finds
 * nothing, as it does when either address is unknown to the database.
 */
@Injectable()
export class ImpossibleTravelSignal implements RiskSignal {
  readonly name = 'impossible_travel';

  constructor(private readonly geo: GeoLocation) {}

  async evaluate({ ip, now, memory }: RiskInput): Promise<RiskFinding | null> {
    const last = memory.lastLogin;
    if (!last?.ip || !ip) {
      return null;
    }
    const [from, to] = await Promise.all([this.geo.locate(last.ip), this.geo.locate(ip)]);
    if (!from || !to) {
      return null;
    }
    const km = distanceKm(from, to);
    if (km < MIN_TRAVEL_DISTANCE_KM) {
      return null;
    }
    const hours = Math.max(0, now.getTime() - last.at.getTime()) / 3_600_000;
    if (hours > 0 && km / hours <= MAX_PLAUSIBLE_SPEED_KMH) {
      return null;
    }
    return { reason: this.name, weight: IMPOSSIBLE_TRAVEL_WEIGHT };
  }
}
