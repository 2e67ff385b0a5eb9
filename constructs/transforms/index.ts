export * from './dataset-transform';
export * from './duckdb-layer';
export * from './big-file-route';
