export * from './dataset-transform';
export * from './duckdb-layer';
