export * from './lakehouse-function';
