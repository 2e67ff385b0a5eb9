export * from './lakehouse-key';
