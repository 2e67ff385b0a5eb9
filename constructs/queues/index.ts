export * from './lakehouse-queue';
