import { ArrayMaxSize, IsArray, IsString, IsUUID, Matches } from 'class-validator';
import { Language } from '../dto/language';
import {
  CASE_NUMBER_PATTERN,
  CaseDetailView,
  CaseListQueryDto,
  CaseListView,
  CaseNumberParam,
  CaseStatusDto,
  CaseSummaryView,
  CategoryDto,
  CaseCategoryOptionView,
  CategoryView,
  CommentDto,
  ContractView,
  CreateCaseDto,
  CreateContractRequest,
  CreateServiceDto,
  IdParam,
  OpsCreateCaseDto,
  RejectSolutionDto,
  ServiceSettingDetailView,
  ServiceSettingView,
  ServiceView,
  UpdateCategoryDto,
  UpdateContractRequest,
  CASE_CODE_PATTERN,
  CaseFilterView,
  SaveCaseFilterDto,
  UpdateCaseFilterRequest,
} from '../dto/cases.dto';
import { TENANT_NUMBER_PATTERN } from '../dto/limits';
import { AreaRequestClasses, EmptyRequest } from './rpc-request-class';

type Empty = Record<string, never>;

/** A tenant named in the path of an operator's call. */
export class TenantRequest {
  @IsString()
  @Matches(TENANT_NUMBER_PATTERN)
  tenant!: string;
}

export class CommentRequest extends CommentDto {
  @IsString()
  @Matches(CASE_NUMBER_PATTERN)
  number!: string;
}

export class RejectSolutionRequest extends RejectSolutionDto {
  @IsString()
  @Matches(CASE_NUMBER_PATTERN)
  number!: string;
}

export class CaseStatusRequest extends CaseStatusDto {
  @IsString()
  @Matches(CASE_NUMBER_PATTERN)
  number!: string;
}

export class UpdateCategoryRequest extends UpdateCategoryDto {
  @IsString()
  @Matches(CASE_CODE_PATTERN)
  code!: string;
}

/*
 * Subjects of the case management service (SPEC §4), merged into RpcMap. Customer subjects act on the
 * active tenant of `ctx.principal`; `ops` subjects are the operators'.
 */
declare module './rpc-map' {
  interface RpcMap {
    /** Operator: define a service tenants can contract (CASE-1). */
    'case-management.service.create': [CreateServiceDto, ServiceView];
    'case-management.service.list': [Empty, ServiceView[]];
    /** Operator: contract a service to a tenant (CASE-1). */
    'case-management.contract.create': [CreateContractRequest, ContractView];
    'case-management.contract.list': [TenantRequest, ContractView[]];
    'case-management.contract.update': [UpdateContractRequest, ContractView];
    /** Customer: the active tenant's contracted services (CASE-1, read-only). */
    'case-management.service_setting.list': [Empty, ServiceSettingView[]];
    'case-management.service_setting.get': [IdParam, ServiceSettingDetailView];
    /** Operator: categories (CASE-3). */
    'case-management.category.list': [Empty, CategoryView[]];
    'case-management.category.create': [CategoryDto, CategoryView];
    'case-management.category.update': [UpdateCategoryRequest, CategoryView];
    /** Customer: the categories an inquiry may be opened in (CASE-3), for the new-inquiry form. */
    'case-management.category.selectable': [Empty, CaseCategoryOptionView[]];
    /** Customer: open an inquiry (CASE-2, CASE-4). */
    'case-management.case.create': [CreateCaseDto, CaseSummaryView];
    'case-management.case.list': [CaseListQueryDto, CaseListView];
    'case-management.case.get': [CaseNumberParam, CaseDetailView];
    'case-management.case.comment': [CommentRequest, CaseDetailView];
    /** Customer: close, approve or reject a solution (CASE-5). */
    'case-management.case.close': [CaseNumberParam, CaseSummaryView];
    'case-management.case.approve': [CaseNumberParam, CaseSummaryView];
    'case-management.case.reject': [RejectSolutionRequest, CaseSummaryView];
    /** Operator: cases of every tenant (CASE-2, CASE-5, CASE-8). */
    'case-management.ops.case.create': [OpsCreateCaseDto, CaseSummaryView];
    'case-management.ops.case.list': [CaseListQueryDto, CaseListView];
    'case-management.ops.case.get': [CaseNumberParam, CaseDetailView];
    'case-management.ops.case.status': [CaseStatusRequest, CaseSummaryView];
    'case-management.ops.case.comment': [CommentRequest, CaseDetailView];
  }
}

/** Users of one tenant by id, as the case service needs them for names and e-mails (CASE-6). */
export class DirectoryUsersRequest {
  @IsString()
  @Matches(TENANT_NUMBER_PATTERN)
  tenant!: string;

  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  ids!: string[];
}

/** One user of a tenant as the directory answers it; `emails` follow AUTH-7 for that tenant. */
export interface DirectoryUser {
  id: string;
  name: string;
  language: Language;
  emails: string[];
  admin: boolean;
}

declare module './rpc-map' {
  interface RpcMap {
    /**
     * Internal (no HTTP route): members of `tenant` among `ids`, with the addresses mail about that
     * tenant's cases goes to. Ids that are not members are left out, so a caller cannot learn about
     * users of other tenants. An empty `ids` lists the tenant's admins (alert recipients, CASE-9).
     */
    'auth.directory.tenant_users': [DirectoryUsersRequest, DirectoryUser[]];
  }
}

declare module './rpc-map' {
  interface RpcMap {
    /** Customer: own private filters and the tenant's shared ones (CASE-8). */
    'case-management.case_filter.list': [Record<string, never>, CaseFilterView[]];
    /** Customer: save a filter; the same name and visibility overwrites (`created: false`). */
    'case-management.case_filter.save': [SaveCaseFilterDto, { filter: CaseFilterView; created: boolean }];
    'case-management.case_filter.update': [UpdateCaseFilterRequest, CaseFilterView];
    'case-management.case_filter.delete': [IdParam, Record<string, never>];
  }
}

/** class-validator classes of this area's requests (see RPC_REQUEST_CLASSES). */
export const CASES_RPC_CLASSES = {
  'case-management.service.create': CreateServiceDto,
  'case-management.contract.create': CreateContractRequest,
  'case-management.contract.list': TenantRequest,
  'case-management.contract.update': UpdateContractRequest,
  'case-management.service_setting.get': IdParam,
  'case-management.category.create': CategoryDto,
  'case-management.category.update': UpdateCategoryRequest,
  'case-management.case.create': CreateCaseDto,
  'case-management.case.list': CaseListQueryDto,
  'case-management.case.get': CaseNumberParam,
  'case-management.case.comment': CommentRequest,
  'case-management.case.close': CaseNumberParam,
  'case-management.case.approve': CaseNumberParam,
  'case-management.case.reject': RejectSolutionRequest,
  'case-management.ops.case.create': OpsCreateCaseDto,
  'case-management.ops.case.list': CaseListQueryDto,
  'case-management.ops.case.get': CaseNumberParam,
  'case-management.ops.case.status': CaseStatusRequest,
  'case-management.ops.case.comment': CommentRequest,
  'auth.directory.tenant_users': DirectoryUsersRequest,
  'case-management.case_filter.save': SaveCaseFilterDto,
  'case-management.case_filter.update': UpdateCaseFilterRequest,
  'case-management.case_filter.delete': IdParam,
  'case-management.service.list': EmptyRequest,
  'case-management.service_setting.list': EmptyRequest,
  'case-management.category.list': EmptyRequest,
  'case-management.category.selectable': EmptyRequest,
  'case-management.case_filter.list': EmptyRequest,
} satisfies AreaRequestClasses;
