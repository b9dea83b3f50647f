'use strict';
// Tests print warnings and errors only; a passing run stays readable.
require('reflect-metadata');
const { Logger } = require('@nestjs/common');
Logger.overrideLogger(['error', 'warn']);
