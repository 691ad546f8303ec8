import { SetMetadata } from '@nestjs/common';
import { Role } from '@app/contracts';

export const ROLES = 'mamori:roles';

/** Only principals with one of these roles may call the route; others get `403 forbidden`. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES, roles);
