export * from './fake-clock';
export * from './sinks';
export * from './infra/test-env';
export * from './platform/platform';
export * from './platform/wait-for';
export * from './infra/private-nats';
export * from './tokens/access-tokens';
export * from './infra/nats-users';
