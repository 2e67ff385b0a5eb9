/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type checking runs once, in `npm test`'s `tsc --noEmit` step; jest only transpiles, file by
    // file (`isolatedModules` in tsconfig.json).
    '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }],
  },
  testTimeout: 120000,
  // CDK synthesis is CPU-bound; two workers match the two cores of the CI machine.
  maxWorkers: 2,
};
