import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { RequireTenant } from './require-tenant.decorator';
import { Roles } from './roles.decorator';

/** A tenant admin's route: an active tenant, and the admin role in it. */
export const TenantAdmin = (): ClassDecorator & MethodDecorator =>
  applyDecorators(RequireTenant(), Roles('admin'), ApiBearerAuth());
