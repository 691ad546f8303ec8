import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  Equals,
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { LANGUAGES, Language } from './language';
import { E164_PATTERN, MAX_EMAIL, MAX_NAME, MAX_USER_ID_INPUT, TENANT_NUMBER_PATTERN } from './limits';

export class CreateTenantDto {
  @ApiProperty({ example: 'N202400003' })
  @IsString()
  @Matches(TENANT_NUMBER_PATTERN, { message: 'number must be an upper-case customer number like N202400003' })
  number!: string;

  @ApiProperty({ example: 'Example Corporation' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;
}

export class TenantNumberParam {
  @IsString()
  @Matches(TENANT_NUMBER_PATTERN)
  number!: string;
}

export class CreateTenantUserDto {
  @ApiProperty({ example: 'admin@example.com.fm' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_USER_ID_INPUT)
  userId!: string;

  @ApiProperty()
  @IsEmail()
  @MaxLength(MAX_EMAIL)
  email!: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME)
  familyName!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME)
  givenName?: string;

  @ApiPropertyOptional({ example: '+819012345678' })
  @IsOptional()
  @IsString()
  @Matches(E164_PATTERN, { message: 'phone must be in E.164 form, e.g. +819012345678' })
  phone?: string;

  @ApiPropertyOptional({ enum: LANGUAGES })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language;

  @ApiProperty({ description: 'The representative admin: always true' })
  @IsBoolean()
  @Equals(true)
  admin!: true;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  mfaRequired?: boolean;
}

export class UserIdParam {
  @IsString()
  @Matches(/^[0-9a-f-]{36}$/, { message: 'id must be a user id' })
  id!: string;
}
