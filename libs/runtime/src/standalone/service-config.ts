import { num, port, str } from 'envalid';
import { loadConfig } from '@lp/platform';

/** The environment a service's own process reads (deploy/README.md lists it too). */
export function loadServiceConfig(serviceName: string, env: Record<string, string | undefined> = process.env) {
  const config = loadConfig(
    {
      PORT: port({ default: 3000, desc: 'HTTP port' }),
      EVENT_STORE: str({ choices: ['sqlite', 'eventstoredb'], default: 'sqlite', desc: 'where the aggregates live' }),
      DATA_DIR: str({ default: `./data/${serviceName}`, desc: 'SQLite files when EVENT_STORE=sqlite or READ_STORE=sqlite' }),
      SQLITE_SYNCHRONOUS: str({ choices: ['FULL', 'NORMAL'], default: 'FULL' }),
      EVENTSTORE_URL: str({ default: '', desc: 'esdb://host:2113?tls=false, when EVENT_STORE=eventstoredb' }),
      BUS: str({ choices: ['kafka'], default: 'kafka', desc: 'integration-event transport between processes' }),
      KAFKA_BROKERS: str({ desc: 'comma-separated host:port list' }),
      KAFKA_CLIENT_ID: str({ default: serviceName }),
      KAFKA_PARTITIONS: num({ default: 3, desc: 'partitions of topics this service creates' }),
      READ_STORE: str({ choices: ['memory', 'mongo', 'sqlite'], default: 'memory', desc: 'where list screens and local projections live' }),
      MONGO_URL: str({ default: '', desc: 'mongodb://host:27017, when READ_STORE=mongo' }),
      MONGO_DB: str({ default: serviceName }),
    },
    env,
  );
  // Variables that only some choices need: reported together, like envalid's own errors.
  const missing = [
    config.EVENT_STORE === 'eventstoredb' && !config.EVENTSTORE_URL && 'EVENTSTORE_URL: required when EVENT_STORE=eventstoredb',
    config.READ_STORE === 'mongo' && !config.MONGO_URL && 'MONGO_URL: required when READ_STORE=mongo',
  ].filter(Boolean);
  if (missing.length) throw new Error(`Invalid environment for the ${serviceName} service:\n  ${missing.join('\n  ')}`);
  return config;
}

export type ServiceConfig = ReturnType<typeof loadServiceConfig>;
