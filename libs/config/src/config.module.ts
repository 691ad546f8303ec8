import { DynamicModule, Global, Module } from '@nestjs/common';
import { z } from 'zod';
import { loadConfig } from './load-config';

/** Injection token of the app's validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  /** Validates the environment once, at boot, and provides it as APP_CONFIG. */
  static forRoot<S extends z.ZodObject>(schema: S, overrides: Partial<z.infer<S>> = {}): DynamicModule {
    const config = { ...loadConfig(schema), ...overrides };
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}
