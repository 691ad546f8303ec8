import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsTimeZone,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { LANGUAGES, Language } from './language';
import { E164_PATTERN, MAX_EMAIL, MAX_NAME, MAX_PASSWORD_INPUT, MAX_USER_ID_INPUT } from './limits';
import { UserView } from './views';

/** An office phone is for people to call, never for codes: the usual ways of writing a number. */
const OFFICE_PHONE_PATTERN = /^\+?[0-9][0-9 ()-]{4,28}[0-9]$/;
const MAX_TITLE = 100;
const MAX_TIMEZONE = 64;
const TIMEZONE_MESSAGE = 'timezone must be an IANA time zone, e.g. Asia/Tokyo';
/** An internal user id (uuid) as it comes from a path. */
const INTERNAL_ID = /^[0-9a-f-]{36}$/;

/** A field that may be left out but, when given, may not be null (a required column). */
const NotNullWhenGiven = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

/** `GET /admin/users/suggested-id?email=` (AUTH-1). */
export class AdminSuggestedUserIdQuery {
  @ApiProperty({ example: 'taro.yamada@example.co.jp' })
  @IsEmail()
  @MaxLength(MAX_EMAIL)
  email!: string;
}

export interface SuggestedUserIdView {
  /** The e-mail address + `.fm`, cut to fit 40 characters (AUTH-1). */
  userId: string;
}

/** `POST /admin/users` (AUTH-21): a user of the admin's active tenant. */
export class CreateAdminUserDto {
  @ApiProperty({ example: 'Yamada' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME)
  familyName!: string;

  @ApiPropertyOptional({ example: 'Taro' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME)
  givenName?: string;

  @ApiProperty({ example: 'taro.yamada@example.co.jp' })
  @IsEmail()
  @MaxLength(MAX_EMAIL)
  email!: string;

  @ApiPropertyOptional({
    example: 'taro.yamada@example.co.jp.fm',
    description: '1–40 characters, unique across all tenants; absent: the suggested ID (AUTH-1)',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_USER_ID_INPUT)
  userId?: string;

  @ApiPropertyOptional({ example: 'Manager, IT department' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TITLE)
  title?: string;

  @ApiPropertyOptional({ example: '+819012345678', description: 'Mobile phone for SMS codes, E.164' })
  @IsOptional()
  @IsString()
  @Matches(E164_PATTERN, { message: 'phone must be in E.164 form, e.g. +819012345678' })
  phone?: string;

  @ApiPropertyOptional({ example: '03-1234-5678', description: 'Office phone; never used for codes' })
  @IsOptional()
  @IsString()
  @Matches(OFFICE_PHONE_PATTERN, { message: 'officePhone must be a phone number' })
  officePhone?: string;

  @ApiPropertyOptional({ enum: LANGUAGES, default: 'ja' })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language;

  @ApiPropertyOptional({ example: 'Asia/Tokyo', default: 'Asia/Tokyo' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TIMEZONE)
  // A zone name, not an offset (newer ICU versions accept `+09:00` as a zone).
  @Matches(/^[A-Za-z]/, { message: TIMEZONE_MESSAGE })
  @IsTimeZone({ message: TIMEZONE_MESSAGE })
  timezone?: string;

  @ApiPropertyOptional({ default: false, description: 'Tenant admin of the active tenant' })
  @IsOptional()
  @IsBoolean()
  admin?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Always ask for a second step (AUTH-5)' })
  @IsOptional()
  @IsBoolean()
  mfaRequired?: boolean;

  @ApiPropertyOptional({
    description:
      'Required for an admin, refused for anyone else: the initial authentication password the new admin enters once at first login (AUTH-14); password policy AUTH-2',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_PASSWORD_INPUT)
  initialPassword?: string;
}

/**
 * `PATCH /admin/users/{id}`: only the fields given change. `null` clears an optional field; the
 * names and the e-mail address cannot be cleared.
 */
export class UpdateAdminUserDto {
  @ApiPropertyOptional()
  @NotNullWhenGiven()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME)
  familyName?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME)
  givenName?: string | null;

  @ApiPropertyOptional({ description: 'Effective at once; clears the undeliverable mark (NOTIF-6)' })
  @NotNullWhenGiven()
  @IsEmail()
  @MaxLength(MAX_EMAIL)
  email?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TITLE)
  title?: string | null;

  @ApiPropertyOptional({ nullable: true, example: '+819012345678' })
  @IsOptional()
  @IsString()
  @Matches(E164_PATTERN, { message: 'phone must be in E.164 form, e.g. +819012345678' })
  phone?: string | null;

  @ApiPropertyOptional({ nullable: true, example: '03-1234-5678' })
  @IsOptional()
  @IsString()
  @Matches(OFFICE_PHONE_PATTERN, { message: 'officePhone must be a phone number' })
  officePhone?: string | null;

  @ApiPropertyOptional({ enum: LANGUAGES })
  @NotNullWhenGiven()
  @IsIn(LANGUAGES)
  language?: Language;

  @ApiPropertyOptional({ example: 'Asia/Tokyo' })
  @NotNullWhenGiven()
  @IsString()
  @MaxLength(MAX_TIMEZONE)
  // A zone name, not an offset (newer ICU versions accept `+09:00` as a zone).
  @Matches(/^[A-Za-z]/, { message: TIMEZONE_MESSAGE })
  @IsTimeZone({ message: TIMEZONE_MESSAGE })
  timezone?: string;

  @ApiPropertyOptional({ description: 'Admin of the active tenant' })
  @NotNullWhenGiven()
  @IsBoolean()
  admin?: boolean;

  @ApiPropertyOptional()
  @NotNullWhenGiven()
  @IsBoolean()
  mfaRequired?: boolean;
}

/** `PUT /admin/users/{id}/user-id` (AUTH-1). */
export class AdminChangeUserIdDto {
  @ApiProperty({
    example: 'taro.yamada@example.co.jp.fm',
    description: '1–40 characters, unique across all tenants',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_USER_ID_INPUT)
  userId!: string;
}

/** `PUT /admin/users/{id}/notification-email` (AUTH-7); `null` removes it. */
export class AdminNotificationEmailDto {
  @ApiProperty({
    nullable: true,
    example: 'it-desk@example.co.jp',
    description: "Where this tenant sends the user's security codes; null: every contact address",
  })
  @ValidateIf((_object, value) => value !== null)
  @IsEmail()
  @MaxLength(MAX_EMAIL)
  email!: string | null;
}

/** `POST /ops/tenants/{number}/members` (AUTH-18): an existing user joins another tenant. */
export class AddTenantMemberDto {
  @ApiProperty({ example: 'taro.yamada@example.co.jp.fm', description: 'The user ID the user logs in with' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_USER_ID_INPUT)
  userId!: string;

  @ApiPropertyOptional({ default: false, description: 'Tenant admin of that tenant' })
  @IsOptional()
  @IsBoolean()
  admin?: boolean;
}

/** RPC payloads: the body with the path's user id, validated again at the auth service. */
export class UpdateAdminUserRequest extends UpdateAdminUserDto {
  @IsString()
  @Matches(INTERNAL_ID, { message: 'id must be a user id' })
  id!: string;
}

export class AdminChangeUserIdRequest extends AdminChangeUserIdDto {
  @IsString()
  @Matches(INTERNAL_ID, { message: 'id must be a user id' })
  id!: string;
}

export class AdminNotificationEmailRequest extends AdminNotificationEmailDto {
  @IsString()
  @Matches(INTERNAL_ID, { message: 'id must be a user id' })
  id!: string;
}

export class AddTenantMemberRequest extends AddTenantMemberDto {
  @IsString()
  @IsNotEmpty()
  tenant!: string;
}

/** A user as their tenant admin sees them: the account, their role and settings in this tenant. */
export interface AdminUserView extends UserView {
  displayName: string | null;
  title: string | null;
  officePhone: string | null;
  /** NOTIF-6: a hard bounce marked the e-mail address; codes by e-mail fail until cleared. */
  emailUndeliverable: boolean;
  /** AUTH-7: this tenant's notification address for the user's codes, null when none. */
  notificationEmail: string | null;
}
