import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Category } from './category.entity';

/** All I/O of categories (CASE-3). */
@Injectable()
export class CategoriesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  list(): Promise<Category[]> {
    return this.dataSource.manager.find(Category, { order: { code: 'ASC' } });
  }

  /** The categories customers may open an inquiry in (CASE-3). */
  listSelectable(): Promise<Category[]> {
    return this.dataSource.manager.find(Category, {
      where: { customerSelectable: true },
      order: { code: 'ASC' },
    });
  }

  find(code: string, manager?: EntityManager): Promise<Category | null> {
    return (manager ?? this.dataSource.manager).findOneBy(Category, { code });
  }

  async insert(manager: EntityManager, category: Category): Promise<void> {
    await manager.insert(Category, category);
  }

  /** True when a category with this code existed and was changed. */
  async update(manager: EntityManager, category: Category): Promise<boolean> {
    const result = await manager.update(
      Category,
      { code: category.code },
      {
        labelJa: category.labelJa,
        labelEn: category.labelEn,
        customerSelectable: category.customerSelectable,
      },
    );
    return (result.affected ?? 0) > 0;
  }
}
