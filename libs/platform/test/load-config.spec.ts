import { num, port, str, url } from 'envalid';
import { loadConfig } from '../src';

describe('loadConfig', () => {
  const spec = {
    PORT: port({ default: 3000 }),
    EVENTSTORE_URL: url({ desc: 'EventStoreDB connection string' }),
    KAFKA_BROKERS: str(),
    RETRIES: num({ default: 3 }),
  };

  it('returns typed values with defaults', () => {
    const config = loadConfig(spec, { EVENTSTORE_URL: 'http://localhost:2113', KAFKA_BROKERS: 'k:9092', RETRIES: '5' });
    expect(config).toMatchObject({ PORT: 3000, EVENTSTORE_URL: 'http://localhost:2113', KAFKA_BROKERS: 'k:9092', RETRIES: 5 });
  });

  it('throws one error naming every missing or bad variable (and does not exit)', () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    try {
      expect(() => loadConfig(spec, { PORT: 'eighty', RETRIES: 'x' })).toThrow(
        expect.objectContaining({
          message: expect.stringMatching(
            /PORT: invalid value "eighty"[\s\S]*EVENTSTORE_URL: missing \(EventStoreDB connection string\)[\s\S]*KAFKA_BROKERS: missing[\s\S]*RETRIES: invalid/,
          ),
        }),
      );
      expect(exit).not.toHaveBeenCalled();
    } finally {
      exit.mockRestore();
    }
  });
});
