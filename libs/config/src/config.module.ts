import { DynamicModule, Global, Module } from '@nestjs/common';
import { z } from 'zod';
import { loadConfig } from './load-config';

/** Injection token of the app's validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  /**
   * Validates the environment when the app is built (not when the module file is imported, so a
   * service's main can report bad config cleanly first) and provides it as APP_CONFIG.
   */
  static forRoot<S extends z.ZodObject>(schema: S, overrides: Partial<z.infer<S>> = {}): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useFactory: () => ({ ...loadConfig(schema), ...overrides }) }],
      exports: [APP_CONFIG],
    };
  }
}
