export * from './smtp-sink';
export * from './webhook-sink';
export * from './extract-code.util';
export * from './fake-s3-server';
export * from './fake-twilio-server';
