/** Entities of this area, listed in AUTH_ENTITIES. */
export const TRUSTED_BROWSERS_ENTITIES: (new () => object)[] = [];
