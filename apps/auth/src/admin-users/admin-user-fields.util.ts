import { DomainError, ErrorCode, UpdateAdminUserDto } from '@app/contracts';
import { canonicalTimeZone } from '../me/time-zone.util';
import { User } from '../users/user.entity';

/** Account columns an admin edits (AUTH-21); the rest belong to the user or to the login rules. */
export type EditableUserColumns = Pick<
  User,
  | 'familyName'
  | 'givenName'
  | 'email'
  | 'title'
  | 'phone'
  | 'officePhone'
  | 'language'
  | 'timezone'
  | 'mfaRequired'
>;

/**
 * Columns that guard the login of the account in every tenant it belongs to (where codes, links and
 * notices go; whether a second step is required). A tenant admin changes them only for a user
 * wholly in their care (see `requireWholeAccount`); the other editable columns are profile data.
 */
export const ACCOUNT_WIDE_COLUMNS: readonly (keyof EditableUserColumns)[] = ['email', 'phone', 'mfaRequired'];

/** The account columns a PATCH sets, trimmed and normalised as they will be stored. */
export function editableColumns(dto: UpdateAdminUserDto): Partial<EditableUserColumns> {
  const columns: Partial<EditableUserColumns> = {};
  if (dto.familyName !== undefined) {
    columns.familyName = requiredName(dto.familyName);
  }
  if (dto.givenName !== undefined) {
    columns.givenName = blankToNull(dto.givenName);
  }
  if (dto.email !== undefined) {
    columns.email = dto.email.trim();
  }
  if (dto.title !== undefined) {
    columns.title = blankToNull(dto.title);
  }
  if (dto.phone !== undefined) {
    columns.phone = dto.phone;
  }
  if (dto.officePhone !== undefined) {
    columns.officePhone = dto.officePhone;
  }
  if (dto.language !== undefined) {
    columns.language = dto.language;
  }
  if (dto.timezone !== undefined) {
    columns.timezone = canonicalTimeZone(dto.timezone);
  }
  if (dto.mfaRequired !== undefined) {
    columns.mfaRequired = dto.mfaRequired;
  }
  return columns;
}

/** The family name is required (AUTH-21): spaces alone are no name. */
export function requiredName(value: string): string {
  const name = value.trim();
  if (name === '') {
    throw new DomainError(ErrorCode.ValidationFailed, { fields: { familyName: ['familyName is required'] } });
  }
  return name;
}

export function blankToNull(value: string | null | undefined): string | null {
  return value?.trim() || null;
}
