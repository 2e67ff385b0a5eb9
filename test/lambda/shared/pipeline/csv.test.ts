import { parseCsvFields, scanRecord, type ScanOutcome } from '../../../../lambda/shared/pipeline/csv';

const scan = (text: string, eof = true): ScanOutcome => {
  const b = Buffer.from(text);
  return scanRecord(b, 0, b.length, eof);
};
const recordText = (text: string) => {
  const o = scan(text);
  if (o.kind === 'more') throw new Error('more');
  return { text: text.slice(0, o.end), rest: text.slice(o.next), kind: o.kind, newlines: o.kind === 'record' ? o.newlines : undefined };
};

describe('scanRecord', () => {
  test('a record ends at the first newline outside quotes', () => {
    expect(recordText('a,b,c\nd,e\n')).toEqual({ text: 'a,b,c', rest: 'd,e\n', kind: 'record', newlines: 0 });
  });

  test('a quoted field may hold newlines, delimiters and doubled quotes', () => {
    expect(recordText('1,"multi\nline, ""quoted""",x\r\n2,y\n')).toEqual({
      text: '1,"multi\nline, ""quoted""",x',
      rest: '2,y\n',
      kind: 'record',
      newlines: 1,
    });
  });

  test('CRLF endings are not part of the record', () => {
    expect(recordText('a,"b"\r\nc')).toMatchObject({ text: 'a,"b"', rest: 'c' });
    expect(recordText('a,b\r\nc')).toMatchObject({ text: 'a,b', rest: 'c' });
  });

  test('a quote inside an unquoted field is malformed; the record is cut at its line end', () => {
    const o = scan('1,ab"c,2\n3,d,e\n');
    expect(o).toEqual({ kind: 'malformed', end: 8, next: 9, reason: 'a quote inside an unquoted field' });
  });

  test('text after a closing quote is malformed', () => {
    expect(scan('1,"ab"c,2\n')).toMatchObject({ kind: 'malformed', reason: 'unexpected character after a closing quote' });
  });

  test('a quoted field that runs to the end of the file is cut at the end of its first line', () => {
    const text = '4,"unterminated,5\n5,eve,6\n';
    const o = scan(text);
    expect(o).toMatchObject({ kind: 'malformed', reason: 'unterminated quoted field' });
    if (o.kind !== 'malformed') throw new Error();
    expect(text.slice(0, o.end)).toBe('4,"unterminated,5');
    expect(text.slice(o.next)).toBe('5,eve,6\n');
  });

  test('asks for more bytes while a quoted field is open and more may come', () => {
    expect(scan('1,"abc\ndef', false)).toEqual({ kind: 'more' });
    expect(scan('1,"abc"', false)).toEqual({ kind: 'more' });
    expect(scan('1,abc', false)).toEqual({ kind: 'more' });
  });

  test('a record may end at the end of the file without a newline', () => {
    expect(recordText('1,"a"')).toEqual({ text: '1,"a"', rest: '', kind: 'record', newlines: 0 });
  });
});

describe('parseCsvFields', () => {
  test('splits and unquotes', () => {
    expect(parseCsvFields('a,"b,c","d""e",,"f\ng"')).toEqual(['a', 'b,c', 'd"e', '', 'f\ng']);
  });

  test('throws on malformed quoting', () => {
    expect(() => parseCsvFields('a,b"c')).toThrow(/quote inside an unquoted field/);
    expect(() => parseCsvFields('a,"b')).toThrow(/unterminated/);
    expect(() => parseCsvFields('a,"b"c')).toThrow(/after a closing quote/);
  });
});

describe('dialects: delimiter, quote and escape (the same rules with other characters)', () => {
  const scanWith = (text: string, delim: string, quote = '"', escape = quote) => {
    const b = Buffer.from(text);
    return scanRecord(b, 0, b.length, true, delim.charCodeAt(0), quote.charCodeAt(0), escape.charCodeAt(0));
  };

  test.each([';', '\t', '|'])('%j: a quoted field may hold the delimiter, a comma is plain text', (d) => {
    const text = `1${d}"a${d}b"${d}c,d\n2\n`;
    expect(scanWith(text, d)).toMatchObject({ kind: 'record', end: text.indexOf('\n') });
    expect(parseCsvFields(text.slice(0, text.indexOf('\n')), d)).toEqual(['1', `a${d}b`, 'c,d']);
  });

  test("a single-quote dialect: 'it''s' is one field", () => {
    expect(scanWith("1|'it''s'|x\n", '|', "'")).toMatchObject({ kind: 'record', end: 11 });
    expect(parseCsvFields("1|'it''s'|x", '|', "'")).toEqual(['1', "it's", 'x']);
    expect(scanWith("1|it's|x\n", '|', "'")).toMatchObject({ kind: 'malformed', reason: 'a quote inside an unquoted field' });
  });

  test('a backslash escape: \\" is a quote, \\\\ a backslash; a doubled quote is not an escape then', () => {
    const record = '1,"say \\"hi\\"","back\\\\slash",plain\\text';
    expect(scanWith(record + '\n', ',', '"', '\\')).toMatchObject({ kind: 'record', end: record.length });
    expect(parseCsvFields(record, ',', '"', '\\')).toEqual(['1', 'say "hi"', 'back\\slash', 'plain\\text']);
    expect(scanWith('1,"a""b"\n', ',', '"', '\\')).toMatchObject({ kind: 'malformed', reason: 'unexpected character after a closing quote' });
  });

  test('a backslash escape before another character is malformed, with what was found', () => {
    expect(scanWith('1,"a\\nb",c\n2\n', ',', '"', '\\')).toMatchObject({
      kind: 'malformed',
      reason: "an escape character ('\\') before 'n'; only the quote and the escape character can be escaped",
      next: 11,
    });
    expect(() => parseCsvFields('1,"a\\nb"', ',', '"', '\\')).toThrow("an escape character ('\\') before 'n'");
  });

  test('an escaped quote keeps the field open across lines and chunk ends', () => {
    const b = Buffer.from('1,"a\\"\nb",c\n');
    expect(scanRecord(b, 0, 5, false, 0x2c, 0x22, 0x5c)).toEqual({ kind: 'more' });
    expect(scanRecord(b, 0, b.length, true, 0x2c, 0x22, 0x5c)).toMatchObject({ kind: 'record', newlines: 1, next: b.length });
  });
});
