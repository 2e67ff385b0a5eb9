export * from './lakehouse-function';
export * from './queue-fed-function';
