export * from './lakehouse-queue';
export * from './senders';
