export * from './request-context';
export * from './logger';
export * from './app-logger';
export * from './metrics';
export * from './health-indicator';
export * from './health.controller';
export * from './observability.module';
