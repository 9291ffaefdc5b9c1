// `interp-review` command-line checker.
console.error('interp-review: not built yet');
process.exit(2);
