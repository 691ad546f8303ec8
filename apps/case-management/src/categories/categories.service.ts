import { Injectable } from '@nestjs/common';
import {
  CaseCategoryOptionView,
  CategoryDto,
  CategoryView,
  DomainError,
  ErrorCode,
  Principal,
  UpdateCategoryDto,
} from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { customerOf, operatorOf } from '../caller/case-caller';
import { isUniqueViolation } from '../common/unique-violation.util';
import { Category } from './category.entity';
import { CategoriesRepository } from './categories.repository';

export function categoryView(c: Category): CategoryView {
  return { code: c.code, label: { ja: c.labelJa, en: c.labelEn }, customerSelectable: c.customerSelectable };
}

/** CASE-3: operators manage the categories; the migration seeds the portal's list. */
@Injectable()
export class CategoriesService {
  constructor(
    private readonly repository: CategoriesRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async list(principal: Principal | undefined): Promise<CategoryView[]> {
    operatorOf(principal);
    return (await this.repository.list()).map(categoryView);
  }

  /** What a customer picks from when opening an inquiry; the provider's own categories stay out. */
  async selectable(principal: Principal | undefined): Promise<CaseCategoryOptionView[]> {
    customerOf(principal);
    return (await this.repository.listSelectable()).map((c) => ({
      code: c.code,
      label: { ja: c.labelJa, en: c.labelEn },
    }));
  }

  async create(principal: Principal | undefined, dto: CategoryDto): Promise<CategoryView> {
    const operator = operatorOf(principal);
    const category = this.toCategory(dto.code, dto);
    try {
      await this.repository.transaction(async (manager) => {
        await this.repository.insert(manager, category);
        await this.outbox.record(manager, {
          type: 'case-management.category.created',
          actor: { userId: operator.userId },
          target: { type: 'category', id: category.code },
          outcome: 'success',
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError(ErrorCode.Conflict, { code: dto.code });
      }
      throw error;
    }
    return categoryView(category);
  }

  async update(
    principal: Principal | undefined,
    code: string,
    dto: UpdateCategoryDto,
  ): Promise<CategoryView> {
    const operator = operatorOf(principal);
    const category = this.toCategory(code, dto);
    await this.repository.transaction(async (manager) => {
      if (!(await this.repository.update(manager, category))) {
        throw new DomainError(ErrorCode.NotFound);
      }
      await this.outbox.record(manager, {
        type: 'case-management.category.updated',
        actor: { userId: operator.userId },
        target: { type: 'category', id: code },
        outcome: 'success',
      });
    });
    return categoryView(category);
  }

  private toCategory(code: string, dto: UpdateCategoryDto): Category {
    return {
      code,
      labelJa: dto.label.ja,
      labelEn: dto.label.en,
      customerSelectable: dto.customerSelectable,
    };
  }
}
