import { Language, UpdateProfileDto } from '@app/contracts';
import { User } from '../users/user.entity';
import { canonicalTimeZone } from './time-zone.util';

/** Columns of the account the profile changes. */
export interface ProfilePatch {
  displayName?: string | null;
  email?: string;
  emailUndeliverable?: boolean;
  phone?: string | null;
  smsDisabledAt?: null;
  smsDisabledReason?: null;
  language?: Language;
  timezone?: string;
}

export type ProfileField = 'displayName' | 'email' | 'phone' | 'language' | 'timezone';

/** The fields whose change needs a fresh second step (AUTH-12). */
export type SensitiveProfileField = 'email' | 'phone';

export interface ProfileChanges {
  patch: ProfilePatch;
  /** What changes, for the audit trail (names only, never values). */
  fields: ProfileField[];
  sensitive: SensitiveProfileField[];
  /** A registered phone is removed: SMS codes are switched off (AUTH-19). */
  phoneRemoved: boolean;
}

/**
 * What `dto` changes on `user`. A field equal to what is stored is no change, so a form sent back
 * whole asks for no step-up. Registering a phone — even the number already stored, when SMS was
 * switched off because its line ended (the user has a line again) — switches SMS codes back on.
 * A new e-mail address has not bounced yet, so it is deliverable until NOTIF-6 says otherwise.
 */
export function profileChanges(user: User, dto: UpdateProfileDto): ProfileChanges {
  const patch: ProfilePatch = {};
  const fields: ProfileField[] = [];
  if (dto.displayName !== undefined) {
    const displayName = dto.displayName?.trim() || null;
    if (displayName !== user.displayName) {
      patch.displayName = displayName;
      fields.push('displayName');
    }
  }
  if (dto.email !== undefined) {
    const email = dto.email.trim();
    if (email !== user.email) {
      patch.email = email;
      patch.emailUndeliverable = false;
      fields.push('email');
    }
  }
  let phoneRemoved = false;
  if (dto.phone === null) {
    if (user.phone !== null) {
      patch.phone = null;
      fields.push('phone');
      phoneRemoved = true;
    }
  } else if (dto.phone !== undefined) {
    if (dto.phone !== user.phone || user.smsDisabledAt !== null) {
      patch.phone = dto.phone;
      patch.smsDisabledAt = null;
      patch.smsDisabledReason = null;
      fields.push('phone');
    }
  }
  if (dto.language !== undefined && dto.language !== user.language) {
    patch.language = dto.language;
    fields.push('language');
  }
  if (dto.timezone !== undefined) {
    const timezone = canonicalTimeZone(dto.timezone);
    if (timezone !== user.timezone) {
      patch.timezone = timezone;
      fields.push('timezone');
    }
  }
  const sensitive = fields.filter((f): f is SensitiveProfileField => f === 'email' || f === 'phone');
  return { patch, fields, sensitive, phoneRemoved };
}
