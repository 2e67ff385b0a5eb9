export * from './curated-models';
export * from './curated-table';
export * from './load-models';
