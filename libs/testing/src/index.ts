export * from './fake-clock';
export * from './sinks';
