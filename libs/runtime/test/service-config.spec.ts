import { loadServiceConfig } from '@lp/runtime/standalone';

describe('a service started on its own validates its environment', () => {
  it('names every missing or bad variable in one message', () => {
    let message = '';
    try {
      loadServiceConfig('order', { EVENT_STORE: 'postgres', PORT: 'eighty', READ_STORE: 'mongo' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/KAFKA_BROKERS/);
    expect(message).toMatch(/EVENT_STORE/);
    expect(message).toMatch(/PORT/);
  });

  it('asks for the URL a chosen adapter needs', () => {
    expect(() => loadServiceConfig('order', { KAFKA_BROKERS: 'k:9092', EVENT_STORE: 'eventstoredb', READ_STORE: 'mongo' })).toThrow(
      /EVENTSTORE_URL: required when EVENT_STORE=eventstoredb[\s\S]*MONGO_URL: required when READ_STORE=mongo/,
    );
  });

  it('defaults to SQLite and in-memory read models under ./data/<service>', () => {
    const config = loadServiceConfig('provisioning', { KAFKA_BROKERS: '127.0.0.1:9092' });
    expect(config).toMatchObject({ PORT: 3000, EVENT_STORE: 'sqlite', DATA_DIR: './data/provisioning', READ_STORE: 'memory', KAFKA_CLIENT_ID: 'provisioning', MONGO_DB: 'provisioning' });
  });
});
