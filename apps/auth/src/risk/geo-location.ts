import { Injectable } from '@nestjs/common';

/** Where an address is, as precisely as a geo-IP database can tell. */
export interface GeoPoint {
  latitude: number;
  longitude: number;
}

/** A geo-IP lookup (e.g. a MaxMind or IP2Location database): outside Mamori, so pluggable. */
export interface GeoLocator {
  /** Null when the address is not in the database. */
  locate(ip: string): Promise<GeoPoint | null>;
}

/** The default: Mamori ships no geo database, so it locates nothing and impossible travel stays silent. */
export class UnknownGeoLocator implements GeoLocator {
  async locate(): Promise<GeoPoint | null> {
    return null;
  }
}

/**
 * The geo lookup the risk check uses. A deployment with a geo database plugs its locator in at
 * start (`geoLocation.use(locator)` in an `onModuleInit`, as second-step methods register).
 */
@Injectable()
export class GeoLocation {
  private locator: GeoLocator = new UnknownGeoLocator();

  use(locator: GeoLocator): void {
    this.locator = locator;
  }

  async locate(ip: string | null): Promise<GeoPoint | null> {
    return ip ? this.locator.locate(ip) : null;
  }
}

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance (haversine). */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
