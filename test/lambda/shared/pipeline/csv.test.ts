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
