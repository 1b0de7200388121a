import Database from 'better-sqlite3';
import { Metadata, status } from '@grpc/grpc-js';
import { convertToCommandError } from '@eventstore/db-client';
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSRequestTimeoutError, KafkaJSNonRetriableError } from 'kafkajs';
import { MongoClient, MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { connect } from 'net';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { conflict, DomainError, isTransient, RetryAbortedError, RetryPolicy, TransientError, WrongExpectedVersionError } from '@lp/eventsourcing';

/** A real connection refusal from Node: nothing listens on port 1. */
function refusedConnection(): Promise<Error> {
  return new Promise((resolve) => connect(1, '127.0.0.1').on('error', resolve));
}

describe('isTransient: infrastructure errors are retried, the rest is poison', () => {
  it("Node's ECONNREFUSED (a real refused connect), ECONNRESET and ETIMEDOUT", async () => {
    expect(isTransient(await refusedConnection())).toBe(true);
    expect(isTransient(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('connect ETIMEDOUT 10.0.0.1:27017'), { code: 'ETIMEDOUT', syscall: 'connect' }))).toBe(true);
    // Node 20's happy eyeballs reports each address it tried inside an AggregateError.
    const aggregate = new AggregateError([await refusedConnection(), await refusedConnection()], '');
    expect(isTransient(aggregate)).toBe(true);
  });

  it('the text of such an error when its shape was lost on the way (the parked "ECONNREFUSED 27017")', () => {
    expect(isTransient(new Error('connect ECONNREFUSED 127.0.0.1:27017'))).toBe(true);
  });

  it('MongoDB: network errors, a real server selection timeout, and "not primary" from the server', async () => {
    expect(isTransient(new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed'))).toBe(true);
    const client = new MongoClient('mongodb://127.0.0.1:1', { serverSelectionTimeoutMS: 200 });
    const selection = await client.db('x').command({ ping: 1 }).then(() => undefined, (error: unknown) => error);
    await client.close();
    expect(selection).toBeInstanceOf(MongoServerSelectionError);
    expect(isTransient(selection)).toBe(true);
    expect(isTransient(new MongoServerError({ message: 'not primary', code: 10107, codeName: 'NotWritablePrimary' }))).toBe(true);
    expect(isTransient(new MongoServerError({ message: 'E11000 duplicate key', code: 11000 }))).toBe(false);
  });

  it('kafkajs: connection errors, request timeouts, retries exhausted and retriable protocol errors', () => {
    expect(isTransient(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092', { broker: '127.0.0.1:9092' } as never))).toBe(true);
    expect(isTransient(new KafkaJSRequestTimeoutError('Request Produce(key: 0, version: 7) timed out', {} as never))).toBe(true);
    expect(isTransient(new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection timeout'), { retryCount: 5, retryTime: 9000 }))).toBe(true);
    expect(isTransient(new KafkaJSProtocolError({ message: 'There is no leader for this topic-partition', type: 'LEADER_NOT_AVAILABLE', code: 5, retriable: true } as never))).toBe(true);
    expect(isTransient(new KafkaJSProtocolError({ message: 'Topic authorization failed', type: 'TOPIC_AUTHORIZATION_FAILED', code: 29, retriable: false } as never))).toBe(false);
    expect(isTransient(new KafkaJSNonRetriableError('Invalid message'))).toBe(false);
  });

  it('EventStoreDB: gRPC UNAVAILABLE and DEADLINE_EXCEEDED as the client converts them', () => {
    const grpc = (code: status, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details, metadata: new Metadata() });
    expect(isTransient(convertToCommandError(grpc(status.UNAVAILABLE, 'No connection established')))).toBe(true);
    expect(isTransient(convertToCommandError(grpc(status.DEADLINE_EXCEEDED, 'Deadline exceeded')))).toBe(true);
    expect(isTransient(grpc(status.UNAVAILABLE, 'raw, unconverted'))).toBe(true);
    expect(isTransient(convertToCommandError(grpc(status.INVALID_ARGUMENT, 'bad filter')))).toBe(false);
  });

  it('better-sqlite3: SQLITE_BUSY from a database another connection is writing (a real one)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'busy-')), 'db.sqlite');
    const holder = new Database(file);
    holder.exec('CREATE TABLE t (x)');
    const other = new Database(file, { timeout: 0 });
    holder.exec('BEGIN IMMEDIATE');
    let busy: unknown;
    try {
      other.exec('INSERT INTO t VALUES (1)');
    } catch (error) {
      busy = error;
    }
    holder.exec('ROLLBACK');
    holder.close();
    other.close();
    expect(busy).toMatchObject({ code: 'SQLITE_BUSY' });
    expect(isTransient(busy)).toBe(true);
  });

  it('causes are followed, and TransientError marks an outage the code itself detected', () => {
    expect(isTransient(new Error('projection failed', { cause: new MongoNetworkError('socket closed') }))).toBe(true);
    expect(isTransient(new TransientError('billing store unavailable'))).toBe(true);
    // The command side's own "store unavailable, nothing committed" error, recognised by name.
    expect(isTransient(Object.assign(new Error('The event store is unavailable'), { name: 'StoreUnavailableError' }))).toBe(true);
  });

  it('a decider refusal, a concurrency conflict, an undecodable payload and plain bugs are poison', () => {
    expect(isTransient(conflict('ORDER_ALREADY_PLACED', 'Order o-1 is already placed'))).toBe(false);
    expect(isTransient(new DomainError('rule', 'QUANTITY_TOO_LOW', 'at least one seat'))).toBe(false);
    expect(isTransient(new WrongExpectedVersionError('order-1', 3, 4))).toBe(false);
    let syntax: unknown;
    try {
      JSON.parse('{not json');
    } catch (error) {
      syntax = error;
    }
    expect(isTransient(syntax)).toBe(false);
    expect(isTransient(new TypeError("Cannot read properties of undefined (reading 'lines')"))).toBe(false);
    expect(isTransient('boom')).toBe(false);
    expect(isTransient(undefined)).toBe(false);
  });
});

describe('RetryPolicy', () => {
  const fast = new RetryPolicy({ initialDelayMs: 1, maxDelayMs: 5 });
  const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { code: 'ECONNREFUSED' });

  it('retries a transient failure until it succeeds, however many tries that takes', async () => {
    let tries = 0;
    const retried: number[] = [];
    const result = await fast.run(
      async () => {
        if (++tries < 30) throw refused();
        return 'done';
      },
      { onRetry: (_error, attempt) => retried.push(attempt) },
    );
    expect(result).toBe('done');
    expect(retried).toHaveLength(29);
  });

  /** The waits one outage of 12 failed tries gets from `policy`. */
  async function outageWaits(policy: RetryPolicy): Promise<number[]> {
    const delays: number[] = [];
    const controller = new AbortController();
    await policy
      .run(async () => {
        throw refused();
      }, {
        signal: controller.signal,
        onRetry: (_error, attempt, delay) => {
          delays.push(delay);
          if (attempt === 12) controller.abort();
        },
      })
      .catch(() => undefined);
    return delays;
  }

  it('waits grow exponentially up to the cap', async () => {
    // The jitter held at its middle: decorrelated jitter can, rarely, give one short wait after
    // long ones (it adds the difference of two random exponentials), which is its design, not a cap.
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.5);
    try {
      const delays = await outageWaits(new RetryPolicy({ initialDelayMs: 10, maxDelayMs: 200 }));
      expect(delays[0]).toBeLessThan(50);
      expect(delays.slice(0, 4).every((delay, i) => i === 0 || delay > delays[i - 1])).toBe(true);
      expect(Math.max(...delays)).toBe(200);
      expect(delays.slice(-3)).toEqual([200, 200, 200]);
    } finally {
      random.mockRestore();
    }
  });

  it('never waits longer than the cap, and two outages wait differently (jitter)', async () => {
    const policy = new RetryPolicy({ initialDelayMs: 10, maxDelayMs: 200 });
    const [first, second] = [await outageWaits(policy), await outageWaits(policy)];
    expect(Math.max(...first, ...second)).toBeLessThanOrEqual(200);
    expect(first.slice(0, 4)).not.toEqual(second.slice(0, 4));
  });

  it('gives a poison failure only its short budget, then throws it', async () => {
    let tries = 0;
    const failure = conflict('NOPE', 'refused');
    await expect(
      fast.withPoisonDelays([1, 1]).run(async () => {
        tries++;
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(tries).toBe(3);
  });

  it('stops waiting at once when aborted, with the last failure', async () => {
    const slow = new RetryPolicy({ initialDelayMs: 60_000, maxDelayMs: 60_000 });
    const controller = new AbortController();
    const started = Date.now();
    const running = slow.run(async () => {
      throw refused();
    }, { signal: controller.signal, onRetry: () => setTimeout(() => controller.abort(), 10) });
    await expect(running).rejects.toBeInstanceOf(RetryAbortedError);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
