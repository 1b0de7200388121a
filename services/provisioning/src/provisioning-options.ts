import { join } from 'path';
import { num } from 'envalid';
import { Mailer, mailerFromEnv } from '@lp/notifications';
import { loadConfig } from '@lp/platform';
import { PartnerCenterSimulator } from './domain/connectors/partner-center';
import { StreamOneSimulator } from './domain/connectors/stream-one';
import { ConnectorMode, DEFAULT_RETRY_POLICY, RetryPolicy, VendorConnector } from './domain/vendor-connector';

/** The vendors the provisioning service talks to: Partner Center (automatic, key) and StreamOne (manual). */
export interface VendorConnectors {
  partnerCenter: VendorConnector;
  streamOne: VendorConnector;
}

/**
 * How the provisioning service reaches its vendors. Tests pass their own simulators (to inject
 * failures) and a fast retry policy; a real deployment would pass real connectors here.
 */
export interface ProvisioningOptions {
  /** Default: the shipped simulators. */
  connectors?: VendorConnectors;
  /** Default: DEFAULT_RETRY_POLICY (5 tries, 1 s doubling up to 30 s). */
  retryPolicy?: RetryPolicy;
  /** Where reseller notices go. Default: SMTP when SMTP_HOST is set, else the mailbox directory `$DATA_DIR/mailbox`. */
  mailer?: Mailer;
}

export type ResolvedProvisioningOptions = Required<ProvisioningOptions>;

export const DEFAULT_PARTNER_CENTER_LATENCY_MS = 150;
export const DEFAULT_STREAM_ONE_LATENCY_MS = 300;

export function resolveProvisioningOptions(options: ProvisioningOptions = {}): ResolvedProvisioningOptions {
  return {
    connectors: options.connectors ?? {
      partnerCenter: new PartnerCenterSimulator({ latencyMs: DEFAULT_PARTNER_CENTER_LATENCY_MS }),
      streamOne: new StreamOneSimulator({ latencyMs: DEFAULT_STREAM_ONE_LATENCY_MS }),
    },
    retryPolicy: options.retryPolicy ?? DEFAULT_RETRY_POLICY,
    mailer: options.mailer ?? mailerFromEnv(process.env, { mailboxDir: defaultMailboxDir(process.env) }),
  };
}

/** The local mailbox when no SMTP server is configured: beside the service's data. */
export const defaultMailboxDir = (env: Record<string, string | undefined>) => join(env.DATA_DIR ?? './data', 'mailbox');

/** The connector that serves a connector mode (see connectorModeFor). */
export const connectorFor = (connectors: VendorConnectors, mode: ConnectorMode): VendorConnector =>
  mode === 'manual' ? connectors.streamOne : connectors.partnerCenter;

/**
 * Simulators and retry policy from the environment (standalone main and the embedded runtime).
 * Throws one Error naming every bad variable, like the service's own configuration.
 */
export function provisioningOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
  paths: { mailboxDir?: string } = {},
): ResolvedProvisioningOptions {
  const config = loadConfig(
    {
      PARTNER_CENTER_LATENCY_MS: num({ default: DEFAULT_PARTNER_CENTER_LATENCY_MS, desc: 'simulated Partner Center latency per call' }),
      STREAM_ONE_LATENCY_MS: num({ default: DEFAULT_STREAM_ONE_LATENCY_MS, desc: 'simulated StreamOne latency per call' }),
      PROVISIONING_MAX_ATTEMPTS: num({ default: DEFAULT_RETRY_POLICY.maxAttempts, desc: 'vendor calls per round, the first included' }),
      PROVISIONING_RETRY_INITIAL_MS: num({ default: DEFAULT_RETRY_POLICY.initialDelayMs, desc: 'wait after the first failed vendor call' }),
      PROVISIONING_RETRY_MAX_MS: num({ default: DEFAULT_RETRY_POLICY.maxDelayMs, desc: 'longest wait between vendor calls' }),
      PROVISIONING_RETRY_MULTIPLIER: num({ default: DEFAULT_RETRY_POLICY.multiplier, desc: 'each wait is the previous one times this' }),
    },
    env,
  );
  const bad = [
    !isWhole(config.PARTNER_CENTER_LATENCY_MS, 0) && 'PARTNER_CENTER_LATENCY_MS: must be a whole number ≥ 0',
    !isWhole(config.STREAM_ONE_LATENCY_MS, 0) && 'STREAM_ONE_LATENCY_MS: must be a whole number ≥ 0',
    !isWhole(config.PROVISIONING_MAX_ATTEMPTS, 1) && 'PROVISIONING_MAX_ATTEMPTS: must be a whole number ≥ 1',
    !isWhole(config.PROVISIONING_RETRY_INITIAL_MS, 0) && 'PROVISIONING_RETRY_INITIAL_MS: must be a whole number ≥ 0',
    !isWhole(config.PROVISIONING_RETRY_MAX_MS, 0) && 'PROVISIONING_RETRY_MAX_MS: must be a whole number ≥ 0',
    !(config.PROVISIONING_RETRY_MULTIPLIER >= 1) && 'PROVISIONING_RETRY_MULTIPLIER: must be ≥ 1',
  ].filter(Boolean);
  if (bad.length) throw new Error(`Invalid environment configuration:\n  - ${bad.join('\n  - ')}`);
  return {
    connectors: {
      partnerCenter: new PartnerCenterSimulator({ latencyMs: config.PARTNER_CENTER_LATENCY_MS }),
      streamOne: new StreamOneSimulator({ latencyMs: config.STREAM_ONE_LATENCY_MS }),
    },
    retryPolicy: {
      maxAttempts: config.PROVISIONING_MAX_ATTEMPTS,
      initialDelayMs: config.PROVISIONING_RETRY_INITIAL_MS,
      multiplier: config.PROVISIONING_RETRY_MULTIPLIER,
      maxDelayMs: config.PROVISIONING_RETRY_MAX_MS,
    },
    mailer: mailerFromEnv(env, { mailboxDir: paths.mailboxDir ?? defaultMailboxDir(env) }),
  };
}

const isWhole = (value: number, min: number) => Number.isInteger(value) && value >= min;
