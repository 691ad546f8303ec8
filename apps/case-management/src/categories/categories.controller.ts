import { Controller } from '@nestjs/common';
import {
  CaseCategoryOptionView,
  CategoryDto,
  CategoryView,
  RpcEnvelope,
  UpdateCategoryRequest,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { CategoriesService } from './categories.service';

/** Categories over NATS (CASE-3). */
@Controller()
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  @RpcHandler('case-management.category.list')
  async list({ ctx }: RpcEnvelope<Record<string, never>>): Promise<CategoryView[]> {
    return this.categories.list(ctx.principal);
  }

  @RpcHandler('case-management.category.selectable')
  async selectable({ ctx }: RpcEnvelope<Record<string, never>>): Promise<CaseCategoryOptionView[]> {
    return this.categories.selectable(ctx.principal);
  }

  @RpcHandler('case-management.category.create')
  async create({ ctx, data }: RpcEnvelope<CategoryDto>): Promise<CategoryView> {
    return this.categories.create(ctx.principal, data);
  }

  @RpcHandler('case-management.category.update')
  async update({ ctx, data }: RpcEnvelope<UpdateCategoryRequest>): Promise<CategoryView> {
    const { code, ...dto } = data;
    return this.categories.update(ctx.principal, code, dto);
  }
}
