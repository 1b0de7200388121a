import Database from 'better-sqlite3';
import { LIMIT_CLAUSE, LimitedStatements } from '../src/sqlite/limited-statements';

describe('LimitedStatements', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(':memory:');
    db.exec('CREATE TABLE numbers (n INTEGER PRIMARY KEY)');
    const insert = db.prepare('INSERT INTO numbers (n) VALUES (?)');
    for (let n = 1; n <= 20; n++) insert.run(n);
  });
  afterEach(() => db.close());

  it('returns at most the limit, and every row for a negative limit, with positional parameters', () => {
    const above = new LimitedStatements<{ n: number }>(db, `SELECT n FROM numbers WHERE n > ? ORDER BY n ${LIMIT_CLAUSE}`);
    expect(above.all(3, [10]).map((row) => row.n)).toEqual([11, 12, 13]);
    expect(above.all(-1, [15]).map((row) => row.n)).toEqual([16, 17, 18, 19, 20]);
    expect(above.all(0, [0])).toEqual([]);
  });

  it('takes named parameters too', () => {
    const between = new LimitedStatements<{ n: number }>(db, `SELECT n FROM numbers WHERE n > @after AND n <= @upTo ORDER BY n ${LIMIT_CLAUSE}`);
    expect(between.all(2, { after: 4, upTo: 9 }).map((row) => row.n)).toEqual([5, 6]);
    expect(between.all(-1, { after: 4, upTo: 9 }).map((row) => row.n)).toEqual([5, 6, 7, 8, 9]);
  });

  it('keeps honouring limits beyond the usual few, without preparing a statement for each', () => {
    const prepare = jest.spyOn(db, 'prepare');
    const named = new LimitedStatements<{ n: number }>(db, `SELECT n FROM numbers WHERE n > @after ORDER BY n ${LIMIT_CLAUSE}`);
    const positional = new LimitedStatements<{ n: number }>(db, `SELECT n FROM numbers WHERE n > ? ORDER BY n ${LIMIT_CLAUSE}`);
    for (let limit = 1; limit <= 12; limit++) {
      expect(named.all(limit, { after: 0 })).toHaveLength(limit);
      expect(positional.all(limit, [0])).toHaveLength(limit);
    }
    // Four limits written in, and one statement with the limit bound, for each query.
    expect(prepare).toHaveBeenCalledTimes(10);
  });

  it('refuses a query without a place for the limit', () => {
    expect(() => new LimitedStatements(db, 'SELECT n FROM numbers LIMIT ?')).toThrow(/\{limit\}/);
  });
});
