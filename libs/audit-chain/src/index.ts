export * from './canonical-json.util';
export * from './chain-record';
export * from './chain-row';
export * from './verify-chain';
export * from './checkpoint-signer';
export * from './retention';
