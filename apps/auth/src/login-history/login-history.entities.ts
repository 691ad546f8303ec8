import { LoginHistoryEntry } from './login-history-entry.entity';

/** Entities of this area, listed in AUTH_ENTITIES. */
export const LOGIN_HISTORY_ENTITIES: (new () => object)[] = [LoginHistoryEntry];
