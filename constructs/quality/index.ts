export * from './dqdl';
export * from './lake-data-quality-ruleset';
