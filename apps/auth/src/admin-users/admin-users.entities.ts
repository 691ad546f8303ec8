/** Entities of this area, listed in AUTH_ENTITIES. */
export const ADMIN_USERS_ENTITIES: (new () => object)[] = [];
