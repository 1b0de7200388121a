import { logCreator, logLevel } from 'kafkajs';

/**
 * kafkajs's console logging minus one kind of line: its Connection logs every error response at
 * ERROR before the retry logic even looks at it, so a broker that is still loading its group
 * coordinator, or a routine rebalance, prints stack-like noise although the request then succeeds.
 * An error that really matters comes back from the producer, consumer or admin namespaces (and as
 * a rejected promise or consumer crash) once retries are used up.
 */
export const quietKafkaLogCreator: logCreator = () => ({ namespace, level, label, log }) => {
  if (namespace === 'Connection' && level === logLevel.ERROR) return;
  const line = JSON.stringify({ level: label, ...log, message: namespace ? `[${namespace}] ${log.message}` : log.message });
  if (level === logLevel.ERROR) console.error(line);
  else if (level === logLevel.WARN) console.warn(line);
  else console.info(line);
};
