import { IdParam } from '../dto/cases.dto';
import {
  AlertRequest,
  AlertResult,
  CreatedIntegrationView,
  CreateIntegrationDto,
  IntegrationKeyPrefixRequest,
  IntegrationKeyRecord,
  IntegrationView,
} from '../dto/integrations.dto';
import { AreaRequestClasses, EmptyRequest } from './rpc-request-class';

/* Subjects of alert integrations (CASE-9), merged into RpcMap. */
declare module './rpc-map' {
  interface RpcMap {
    /** Operator: an API key for an integration; the answer is the only time the key is shown. */
    'case-management.integration.create': [CreateIntegrationDto, CreatedIntegrationView];
    'case-management.integration.list': [Record<string, never>, IntegrationView[]];
    /** Operator: revoke a key for good; answers the key as it now is (the gateway drops its copy). */
    'case-management.integration.revoke': [IdParam, IntegrationView];
    /**
     * Gateway only (no HTTP route): what checks a presented key, by its public prefix; null for an
     * unknown prefix.
     */
    'case-management.integration.key': [IntegrationKeyPrefixRequest, IntegrationKeyRecord | null];
    /** Gateway only: apply an alert whose key the gateway verified (CASE-9). */
    'case-management.integration.alert': [AlertRequest, AlertResult];
  }
}

export const INTEGRATIONS_RPC_CLASSES = {
  'case-management.integration.create': CreateIntegrationDto,
  'case-management.integration.revoke': IdParam,
  'case-management.integration.key': IntegrationKeyPrefixRequest,
  'case-management.integration.alert': AlertRequest,
  'case-management.integration.list': EmptyRequest,
} satisfies AreaRequestClasses;
