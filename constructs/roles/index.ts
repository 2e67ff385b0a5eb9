export * from './lakehouse-roles';
