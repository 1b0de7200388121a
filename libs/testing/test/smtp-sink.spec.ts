import { createTransport } from 'nodemailer';
import { SmtpSink } from '@lp/testing';

describe('SmtpSink: a real local SMTP server for tests', () => {
  it('receives what an SMTP client sends, with its headers and a decoded Japanese subject and body', async () => {
    const sink = await new SmtpSink().start();
    try {
      const transport = createTransport({ host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true });
      await transport.sendMail({ from: 'a@example.jp', to: 'b@example.jp', subject: 'お知らせ', text: '本文です', messageId: '<m-1@test>' });
      const mail = await sink.waitFor((candidate) => candidate.envelopeTo.includes('b@example.jp'));
      expect(mail.header('Message-ID')).toBe('<m-1@test>');
      expect(mail.header('Subject')).toBe('お知らせ');
      expect(mail.text).toBe('本文です');
    } finally {
      await sink.stop();
    }
  });
});
