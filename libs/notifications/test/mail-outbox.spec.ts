import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { RecordedEvent } from '@lp/eventsourcing';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { MailMessage, Mailer, MailOutbox, MailOutboxOptions, mailSentStreamId, NOTICE_MAIL_SENT, noticeMessageId, SmtpMailer } from '@lp/notifications';
import { anEvent } from '@lp/testing';
import { RecordFailingStore, waitUntil } from './support/record-failing-store';
import { SmtpSink as SmtpTestServer } from '@lp/testing';

describe('MailOutbox: committed events → notice mails, none lost, none repeated', () => {
  let dir: string;
  let store: SqliteEventStore;
  let server: SmtpTestServer;
  let smtp: SmtpMailer;
  const running: MailOutbox[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
    server = await new SmtpTestServer().start();
    smtp = new SmtpMailer({ host: '127.0.0.1', port: server.port, from: 'Licence Platform <no-reply@licence-platform.example>', timeoutMs: 5000 });
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((outbox) => outbox.stop()));
    await smtp.close();
    await server.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Activated subscriptions mail the reseller; provisioned ones are in eventTypes but ask for no mail. */
  const compose = (event: RecordedEvent): MailMessage | null => {
    if (event.type !== 'SubscriptionActivated') return null;
    const data = event.data as { subscriptionId: string; resellerEmail: string };
    return {
      to: data.resellerEmail,
      subject: 'アクティベーション完了のお知らせ',
      text: `${data.subscriptionId} はアクティベーション済になりました。`,
      messageId: noticeMessageId(event.eventId),
    };
  };
  const outbox = (extra: Partial<MailOutboxOptions> = {}) => {
    const created = new MailOutbox({
      name: 'provisioning.notice-mail',
      store,
      checkpoints: store.checkpoints(),
      filter: { streamPrefixes: ['subscription-'] },
      eventTypes: ['SubscriptionActivated', 'SubscriptionProvisioned'],
      mailer: smtp,
      compose,
      retryDelaysMs: [5],
      ...extra,
    });
    running.push(created);
    return created;
  };
  const activate = async (id: string, to = `${id}@reseller.example`) => {
    const event = anEvent('SubscriptionActivated', { subscriptionId: id, resellerEmail: to }, { correlationId: `corr-${id}` });
    await store.appendToStream(`subscription-${id}`, [event]);
    return event;
  };
  const provision = (id: string) => store.appendToStream(`subscription-${id}`, [anEvent('SubscriptionProvisioned', { subscriptionId: id })]);
  const run = async (worker: MailOutbox) => {
    await worker.start();
    await worker.caughtUp();
    await worker.stop();
  };
  const sentIds = () => server.received.map((mail) => mail.header('message-id'));

  it('sends one mail per matching event, none when compose says null, and records each with the event as cause', async () => {
    const first = await activate('s1');
    await provision('s2');
    await store.appendToStream('order-1', [anEvent('SubscriptionActivated', { subscriptionId: 'x', resellerEmail: 'x@x' })]); // outside the filter
    const second = await activate('s3');

    await run(outbox());

    expect(sentIds()).toEqual([`<notice-${first.eventId}@licence-platform.example>`, `<notice-${second.eventId}@licence-platform.example>`]);
    expect(server.received.map((mail) => [mail.header('to'), mail.header('subject'), mail.text])).toEqual([
      ['s1@reseller.example', 'アクティベーション完了のお知らせ', 's1 はアクティベーション済になりました。'],
      ['s3@reseller.example', 'アクティベーション完了のお知らせ', 's3 はアクティベーション済になりました。'],
    ]);
    const [record] = await store.readStream(mailSentStreamId(first.eventId));
    expect(record).toMatchObject({
      type: NOTICE_MAIL_SENT,
      data: { eventId: first.eventId, messageId: noticeMessageId(first.eventId), to: 's1@reseller.example', sentAt: expect.any(String) },
      correlationId: 'corr-s1',
      causationId: first.eventId,
      actor: { id: 'system:provisioning.notice-mail' },
    });
  });

  it('a restarted outbox sends only what is new; even with its checkpoint lost the records stop a second mail', async () => {
    await activate('s1');
    await run(outbox());
    const live = outbox();
    await live.start();
    await activate('s2');
    await live.caughtUp();
    await live.stop();
    expect(server.received).toHaveLength(2);

    await run(outbox()); // restart, nothing new
    await run(outbox({ name: 'fresh-checkpoint' })); // replays every event from the start
    expect(server.received).toHaveLength(2);
  });

  it('an SMTP server refusing for a while (451) is retried and the mail delivered once', async () => {
    server.rejectNext(2, 451);
    await activate('s1');
    await run(outbox());
    expect(server.attempts).toBe(3);
    expect(server.received).toHaveLength(1);
  });

  it('a mailer throwing the first times (server down) is retried; later events wait their turn, none is lost', async () => {
    let failures = 2;
    const flaky: Mailer = {
      description: 'flaky',
      send: async (message) => {
        if (failures-- > 0) throw new Error('connect ECONNREFUSED');
        await smtp.send(message);
      },
      close: async () => undefined,
    };
    const a = await activate('s1');
    const b = await activate('s2');
    await run(outbox({ mailer: flaky }));
    expect(sentIds()).toEqual([`<${noticeMessageId(a.eventId)}>`, `<${noticeMessageId(b.eventId)}>`]);
  });

  it('a mail refused for good (550) is recorded as rejected and does not hold up the next notices', async () => {
    server.rejectNext(1, 550);
    const bad = await activate('s1', 'nobody@reseller.example');
    await activate('s2');
    await run(outbox());
    expect(server.received.map((mail) => mail.header('to'))).toEqual(['s2@reseller.example']);
    const [record] = await store.readStream(mailSentStreamId(bad.eventId));
    expect(record).toMatchObject({ type: 'NoticeMailRejected', data: { to: 'nobody@reseller.example', responseCode: 550 } });
    await run(outbox({ name: 'fresh-checkpoint' }));
    expect(server.attempts).toBe(2); // the refused one is not tried again
  });

  it('when only the record fails for a moment, the retry writes the record without sending again', async () => {
    const flakyStore = new RecordFailingStore(store, (attempt) => attempt <= 2);
    await activate('s1');
    await run(outbox({ store: flakyStore }));
    expect(flakyStore.recordAppendsRefused).toBe(2);
    expect(server.received).toHaveLength(1);
    await run(outbox({ name: 'fresh-checkpoint' }));
    expect(server.received).toHaveLength(1);
  });

  it('another replica recording the same mail first is not an error', async () => {
    const event = await activate('s1');
    const racing: Mailer = {
      description: 'racing',
      send: async (message) => {
        await smtp.send(message);
        await store.appendToStream(mailSentStreamId(event.eventId), [anEvent(NOTICE_MAIL_SENT, { eventId: event.eventId })], { expectedRevision: 'no_stream' });
      },
      close: async () => undefined,
    };
    // A long back-off: were the conflict treated as a failure, the outbox would still be waiting.
    await withinMs(2000, run(outbox({ mailer: racing, retryDelaysMs: [60_000] })));
    expect(server.received).toHaveLength(1);
    expect(await store.readStream(mailSentStreamId(event.eventId))).toHaveLength(1);
  });

  it('a crash after the server accepted but before the record: sent once more on restart, with the same Message-ID (at least once)', async () => {
    const crashing = new RecordFailingStore(store, () => true);
    const event = await activate('s1');
    const beforeCrash = outbox({ store: crashing });
    await beforeCrash.start();
    await waitUntil(() => server.received.length === 1 && crashing.recordAppendsRefused > 0);
    await beforeCrash.stop(); // the process dies: the in-memory "sent, not recorded" is gone

    await run(outbox());
    // SMTP cannot do exactly once; the duplicate is recognisable: same Message-ID, so receivers drop it.
    expect(sentIds()).toEqual([`<${noticeMessageId(event.eventId)}>`, `<${noticeMessageId(event.eventId)}>`]);
    expect(server.received[0].text).toBe(server.received[1].text);
    expect(await store.readStream(mailSentStreamId(event.eventId))).toHaveLength(1);

    await run(outbox({ name: 'fresh-checkpoint' }));
    expect(server.received).toHaveLength(2); // recorded now: never a third
  });
});

function withinMs<T>(ms: number, promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`not done within ${ms} ms`)), ms))]);
}
