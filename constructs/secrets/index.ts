export * from './pii-token-key';
