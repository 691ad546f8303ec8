export * from './attachment-store';
export * from './attachment-store.factory';
export * from './attachment-store.module';
export * from './local-attachment-store';
export * from './s3-attachment-store';
