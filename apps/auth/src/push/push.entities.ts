/** Entities of this area, listed in AUTH_ENTITIES. */
export const PUSH_ENTITIES: (new () => object)[] = [];
