export * from './env-schemas';
export * from './load-config';
export * from './config.module';
export * from './clock';
export * from './trust-proxy';
export * from './signing-keys';
export * from './periodic-task';
