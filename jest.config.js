// swc strips types without checking them (fast); `npm test` runs `tsc --noEmit` first for that.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }],
    // @hpcc-js/wasm-graphviz ships only an ES module, which jest's CommonJS loader cannot load.
    '/node_modules/@hpcc-js/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!@hpcc-js/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Synthesis tests are CPU-bound; two cores here.
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  maxWorkers: 2,
  // Real-terraform tests take 10-40 s each on a quiet machine; the guard is generous so a loaded one does not flake.
  testTimeout: 120000,
};
