export * from './lakehouse-log-group';
