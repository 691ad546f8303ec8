/** Entities of this area, listed in AUTH_ENTITIES. */
export const ME_ENTITIES: (new () => object)[] = [];
