export * from './sandbox-janitor';
