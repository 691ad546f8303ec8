/** Entities of this area, listed in AUTH_ENTITIES. */
export const PASSKEYS_ENTITIES: (new () => object)[] = [];
