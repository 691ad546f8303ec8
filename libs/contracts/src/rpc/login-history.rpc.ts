import {
  AdminLoginHistoryQueryDto,
  LoginHistoryFile,
  LoginHistoryPage,
  LoginHistoryQueryDto,
} from '../dto/login-history.dto';
import { AreaRequestClasses } from './rpc-request-class';

/*
 * Subjects of this area, merged into RpcMap (one file per area, so areas never edit each other's
 * lines). Add entries as `'auth.x.y': [Request, Response];`.
 */
declare module './rpc-map' {
  interface RpcMap {
    /** The caller's own login history, one page (AUTH-22). */
    'auth.login_history.mine': [LoginHistoryQueryDto, LoginHistoryPage];
    /** The caller's own login history as a CSV, xlsx or PDF file. */
    'auth.login_history.mine.export': [LoginHistoryQueryDto, LoginHistoryFile];
    /** Tenant admin: the active tenant's login history, one page. */
    'auth.login_history.tenant': [AdminLoginHistoryQueryDto, LoginHistoryPage];
    /** Tenant admin: the active tenant's login history as a file. */
    'auth.login_history.tenant.export': [AdminLoginHistoryQueryDto, LoginHistoryFile];
  }
}

/** class-validator classes of this area's requests (see RPC_REQUEST_CLASSES). */
export const LOGIN_HISTORY_RPC_CLASSES = {
  'auth.login_history.mine': LoginHistoryQueryDto,
  'auth.login_history.mine.export': LoginHistoryQueryDto,
  'auth.login_history.tenant': AdminLoginHistoryQueryDto,
  'auth.login_history.tenant.export': AdminLoginHistoryQueryDto,
} satisfies AreaRequestClasses;
