export * from './catalog-encryption';
export * from './lake-database';
