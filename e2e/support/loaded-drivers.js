// Requires the TypeScript modules named on the command line (through the repo's swc setup) and
// prints which database and broker drivers that loaded, as JSON.
require('../../services/embedded/test/support/run-ts-register');
for (const file of process.argv.slice(2)) require(file);
const DRIVERS = /node_modules\/(better-sqlite3|@eventstore\/db-client|@grpc\/grpc-js|kafkajs|mongoose|mongodb)\//;
const loaded = new Set(Object.keys(require.cache).flatMap((path) => (DRIVERS.test(path) ? [path.match(DRIVERS)[1]] : [])));
process.stdout.write(JSON.stringify([...loaded].sort()));
