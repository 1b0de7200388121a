// Runs a TypeScript entry point in a child process, compiled on the fly with the repo's .swcrc as
// jest does, so a test can kill -9 a real embedded runtime without building dist first.
require('./run-ts-register');
require(process.argv[2]);
