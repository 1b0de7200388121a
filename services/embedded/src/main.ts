import 'reflect-metadata';
import { setFlagsFromString } from 'v8';
// V8's default lets the old space grow to several times the live data between major collections
// (RSS 650 MB with 100k orders when read models lived in this heap); growing it by a quarter at a
// time keeps RSS near the live size for a few more, shorter, major GCs.
setFlagsFromString('--heap-growing-percent=25');
import { Logger } from '@nestjs/common';
import { loadConfig } from '@lp/platform';
import { listenOnAllInterfaces } from '@lp/runtime';
import { port, str } from 'envalid';
import { createEmbeddedApp } from './embedded-app';

async function main() {
  const config = loadConfig({
    PORT: port({ default: 3000, desc: 'HTTP port for every service' }),
    DATA_DIR: str({ default: './data', desc: 'where the embedded event stores and bus log live' }),
    SQLITE_SYNCHRONOUS: str({ choices: ['FULL', 'NORMAL'], default: 'FULL' }),
  });
  const embedded = await createEmbeddedApp({ dataDir: config.DATA_DIR, synchronous: config.SQLITE_SYNCHRONOUS as 'FULL' | 'NORMAL' });
  await listenOnAllInterfaces(embedded.app, config.PORT);
  Logger.log(`Embedded licence platform on http://localhost:${config.PORT} (data in ${config.DATA_DIR}; API docs at /docs)`, 'Main');
}

main().catch((error: unknown) => {
  // eslint-disable-next-line no-console
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
