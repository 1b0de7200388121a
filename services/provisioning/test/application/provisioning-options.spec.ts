import { PartnerCenterSimulator } from '../../src/domain/connectors/partner-center';
import { StreamOneSimulator } from '../../src/domain/connectors/stream-one';
import { DEFAULT_RETRY_POLICY } from '../../src/domain/vendor-connector';
import {
  DEFAULT_PARTNER_CENTER_LATENCY_MS,
  DEFAULT_STREAM_ONE_LATENCY_MS,
  provisioningOptionsFromEnv,
  resolveProvisioningOptions,
} from '../../src/provisioning-options';

describe('provisioning options from the environment', () => {
  it('defaults: the simulators with their default latency, the default retry policy', () => {
    const options = provisioningOptionsFromEnv({});
    expect(options.connectors.partnerCenter).toBeInstanceOf(PartnerCenterSimulator);
    expect(options.connectors.streamOne).toBeInstanceOf(StreamOneSimulator);
    expect((options.connectors.partnerCenter as PartnerCenterSimulator).latencyMs).toBe(DEFAULT_PARTNER_CENTER_LATENCY_MS);
    expect((options.connectors.streamOne as StreamOneSimulator).latencyMs).toBe(DEFAULT_STREAM_ONE_LATENCY_MS);
    expect(options.retryPolicy).toEqual(DEFAULT_RETRY_POLICY);
  });

  it('reads latencies and the retry policy', () => {
    const options = provisioningOptionsFromEnv({
      PARTNER_CENTER_LATENCY_MS: '20',
      STREAM_ONE_LATENCY_MS: '0',
      PROVISIONING_MAX_ATTEMPTS: '3',
      PROVISIONING_RETRY_INITIAL_MS: '50',
      PROVISIONING_RETRY_MAX_MS: '100',
      PROVISIONING_RETRY_MULTIPLIER: '3',
    });
    expect((options.connectors.partnerCenter as PartnerCenterSimulator).latencyMs).toBe(20);
    expect((options.connectors.streamOne as StreamOneSimulator).latencyMs).toBe(0);
    expect(options.retryPolicy).toEqual({ maxAttempts: 3, initialDelayMs: 50, multiplier: 3, maxDelayMs: 100 });
  });

  it('names every bad variable in one error', () => {
    expect(() => provisioningOptionsFromEnv({ PARTNER_CENTER_LATENCY_MS: 'soon', PROVISIONING_MAX_ATTEMPTS: '0', PROVISIONING_RETRY_INITIAL_MS: '-5' })).toThrow(
      /PARTNER_CENTER_LATENCY_MS/,
    );
    let message = '';
    try {
      provisioningOptionsFromEnv({ PROVISIONING_MAX_ATTEMPTS: '0', PROVISIONING_RETRY_INITIAL_MS: '-5', STREAM_ONE_LATENCY_MS: '1.5' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/PROVISIONING_MAX_ATTEMPTS/);
    expect(message).toMatch(/PROVISIONING_RETRY_INITIAL_MS/);
    expect(message).toMatch(/STREAM_ONE_LATENCY_MS/);
  });

  it('options given in code win; what is left out gets the defaults', () => {
    const partnerCenter = new PartnerCenterSimulator();
    const streamOne = new StreamOneSimulator();
    const policy = { maxAttempts: 2, initialDelayMs: 1, multiplier: 1, maxDelayMs: 1 };
    const mailer = { description: 'test', send: async () => undefined, close: async () => undefined };
    expect(resolveProvisioningOptions({ connectors: { partnerCenter, streamOne }, retryPolicy: policy, mailer })).toEqual({
      connectors: { partnerCenter, streamOne },
      retryPolicy: policy,
      mailer,
    });
    expect(resolveProvisioningOptions().retryPolicy).toEqual(DEFAULT_RETRY_POLICY);
    // No SMTP configured: notices go to the local mailbox beside the data.
    expect(resolveProvisioningOptions({}).mailer.description).toMatch(/mailbox directory .*data[/\\]mailbox$/);
  });
});
