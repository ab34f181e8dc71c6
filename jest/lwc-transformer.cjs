// @lwc/jest-transformer, with a cache key that also depends on whether jest instruments the file for
// coverage. Without this, a run with --coverage reuses the uninstrumented output cached by an earlier
// run without it, and reports 0 % (and passes any threshold) without measuring anything.
const lwcTransformer = require('@lwc/jest-transformer');

module.exports = {
  process: (...args) => lwcTransformer.process(...args),
  getCacheKey(sourceText, sourcePath, options) {
    const key = lwcTransformer.getCacheKey(sourceText, sourcePath, options);
    return options?.instrument ? `${key}-instrumented` : key;
  },
};
