import { expect } from 'chai';
import { decodeUtf8, detectDelimiter, joinList, neutraliseCell, parseCsv, restoreCell, splitList } from '../../plugin/customers/csv/csv-format.js';
import { LoketError } from '../../plugin/errors.js';

function thrown(fn: () => unknown): LoketError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LoketError) return err;
    throw err;
  }
  throw new Error('expected a LoketError');
}

describe('CSV format', () => {
  describe('formula neutralising', () => {
    it('puts a quote before cells starting with = + - @ TAB CR', () => {
      const cases: [string, string][] = [
        ['=HYPERLINK("http://evil.test","x")', `'=HYPERLINK("http://evil.test","x")`],
        ['+1', "'+1"],
        ['-2', "'-2"],
        ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
        ['\t=1+1', "'\t=1+1"],
        ['\r=1+1', "'\r=1+1"],
      ];
      for (const [value, cell] of cases) expect(neutraliseCell(value), JSON.stringify(value)).to.equal(cell);
    });

    it('leaves ordinary cells alone, including a formula character later in the value', () => {
      for (const value of ['', 'Jan', 'a=b', '1+1', 'jan@example.test', ' =1', "'quoted", '\n=1']) {
        expect(neutraliseCell(value), JSON.stringify(value)).to.equal(value);
      }
    });

    it('round-trips every value through neutralise and restore, quotes included', () => {
      const values = ['=1', "'=1", "''=1", "'", "'plain", '+', '-', '@', '\t', '\r', 'x', '', "'\t"];
      for (const value of values) expect(restoreCell(neutraliseCell(value)), JSON.stringify(value)).to.equal(value);
    });

    it('restores only one quote, and only before a formula character', () => {
      expect(restoreCell("'=1")).to.equal('=1');
      expect(restoreCell("''=1")).to.equal("'=1");
      expect(restoreCell("'hello")).to.equal("'hello");
      expect(restoreCell('=1')).to.equal('=1');
    });
  });

  describe('lists', () => {
    it('joins with ; and splits back, escaping ; and \\ inside IDs', () => {
      const ids = ['acme', 'a;b', 'back\\slash', 'x'];
      expect(joinList(ids)).to.equal('acme;a\\;b;back\\\\slash;x');
      expect(splitList(joinList(ids))).to.deep.equal(ids);
      expect(splitList('')).to.deep.equal([]);
      expect(splitList(' a ; ;b; ')).to.deep.equal(['a', 'b']);
      expect(joinList([])).to.equal('');
    });
  });

  describe('parsing', () => {
    it('picks the delimiter from the header row', () => {
      expect(detectDelimiter('login,email\r\na;b,c')).to.equal(',');
      expect(detectDelimiter('login;email;firstName\na,b;c;d')).to.equal(';');
      expect(detectDelimiter('login')).to.equal(',');
      expect(detectDelimiter('"a;b;c",login\n')).to.equal(',');
    });

    it('reads header and rows with spreadsheet row numbers, skipping blank rows', () => {
      const table = parseCsv('\uFEFFlogin , email\r\njan,"jan@x.test"\r\n,\r\n\r\n"p,q","multi\nline"\r\n', 10);
      expect(table.header).to.deep.equal(['login', 'email']);
      expect(table.rows).to.deep.equal([
        { row: 2, cells: ['jan', 'jan@x.test'] },
        { row: 5, cells: ['p,q', 'multi\nline'] },
      ]);
    });

    it('reads semicolon files as Excel writes them in Dutch and Norwegian', () => {
      const table = parseCsv('login;customerIds\njan;"a;b"\n', 10);
      expect(table.rows[0]!.cells).to.deep.equal(['jan', 'a;b']);
    });

    it('keeps short and long rows for the row check instead of failing the file', () => {
      const table = parseCsv('login,email\njan\npiet,p@x.test,extra\n', 10);
      expect(table.rows.map((r) => r.cells.length)).to.deep.equal([1, 3]);
    });

    it('refuses malformed CSV (400), an empty file (400) and too many rows (413)', () => {
      const bad = thrown(() => parseCsv('login\n"unclosed\n', 10));
      expect(bad.status).to.equal(400);
      expect(bad.message).to.match(/^The file is not valid CSV/);
      expect(thrown(() => parseCsv('', 10)).status).to.equal(400);
      expect(thrown(() => parseCsv(',,\n', 10)).status).to.equal(400);
      const many = thrown(() => parseCsv(`login\n${'x\n'.repeat(4)}`, 3));
      expect(many.status).to.equal(413);
      expect(parseCsv(`login\n${'x\n'.repeat(3)}`, 3).rows).to.have.length(3);
    });

    it('decodes UTF-8 (dropping a BOM) and refuses other encodings', () => {
      expect(decodeUtf8(Buffer.from('\uFEFFløgin', 'utf8'))).to.equal('løgin');
      const latin1 = Buffer.from([0x6c, 0xf8, 0x67]);
      expect(thrown(() => decodeUtf8(latin1)).status).to.equal(400);
    });
  });
});
