import { SetMetadata } from '@nestjs/common';

export const REQUIRE_TENANT = 'mamori:require-tenant';

/** The route acts on the caller's active tenant (AUTH-18); without one it answers `409 tenant_selection_required`. */
export const RequireTenant = (): MethodDecorator & ClassDecorator => SetMetadata(REQUIRE_TENANT, true);
