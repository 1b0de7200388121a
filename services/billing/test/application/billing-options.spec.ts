import { Logger } from '@nestjs/common';
import { billingOptionsFromEnv, warnOfSampleIssuer } from '../../src/billing-options';

describe('billing options from the environment', () => {
  afterEach(() => jest.restoreAllMocks());

  it('takes the issuer from the environment, and refuses a malformed registration number', () => {
    expect(billingOptionsFromEnv({ INVOICE_ISSUER_NAME: '株式会社ディストリ', INVOICE_REGISTRATION_NUMBER: 'T1234567890123' })).toEqual({
      issuer: { name: '株式会社ディストリ', registrationNumber: 'T1234567890123' },
    });
    expect(() => billingOptionsFromEnv({ INVOICE_REGISTRATION_NUMBER: '1234' })).toThrow(
      /INVOICE_REGISTRATION_NUMBER must be T followed by 13 digits, not '1234'/,
    );
  });

  it('falls back to the development sample, and warns of it once per process, while the app is created', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const options = billingOptionsFromEnv({});
    expect(options.sampleIssuer).toBe(true);
    // Reading the environment logs nothing: the line is logged when BillingModule is created, through the app's logger.
    expect(warn).not.toHaveBeenCalled();
    warnOfSampleIssuer(options);
    warnOfSampleIssuer(options);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/INVOICE_REGISTRATION_NUMBER is not set: invoices carry the development sample T\d{13}/);
  });
});
