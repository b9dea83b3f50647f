'use strict';
// Lets the compiled services resolve `@niryat/<lib>` to dist/libs/<lib>/src, as tsconfig paths do
// for the TypeScript sources. Loaded with `node -r` in front of every compiled entry point.
const path = require('node:path');
const tsconfigPaths = require('tsconfig-paths');

tsconfigPaths.register({
  baseUrl: path.resolve(__dirname, '..', '..', 'dist'),
  paths: { '@niryat/*': ['libs/*/src'] },
});
