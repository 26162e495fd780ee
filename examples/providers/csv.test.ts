import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv, parseCsvRows } from './csv.js';

function fieldsOf(text: string): string[][] {
  return parseCsv(text).map((record) => record.fields);
}

describe('parseCsv', () => {
  it('splits plain fields and records', () => {
    expect(fieldsOf('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('accepts CRLF line breaks and a missing final break', () => {
    expect(fieldsOf('a,b\r\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('keeps commas, line breaks and doubled quotes in quoted fields', () => {
    expect(fieldsOf('"a, b","line 1\nline 2","say ""hi"""\n')).toEqual([
      ['a, b', 'line 1\nline 2', 'say "hi"'],
    ]);
  });

  it('keeps empty fields and empty quoted fields', () => {
    expect(fieldsOf(',"",x\n""\n')).toEqual([['', '', 'x'], ['']]);
  });

  it('drops a byte order mark and skips blank lines', () => {
    expect(fieldsOf('\uFEFFa\n\n\nb\n')).toEqual([['a'], ['b']]);
  });

  it('reports the line on which each record starts', () => {
    expect(parseCsv('a\n"x\ny"\nb\n').map((record) => record.line)).toEqual([1, 2, 4]);
  });

  it('rejects a quoted field that never ends', () => {
    expect(() => parseCsv('a\n"open\nfield\n')).toThrow(
      new CsvSyntaxError('Quoted field is never closed', 2, 1),
    );
  });

  it('rejects text after a closing quote', () => {
    expect(() => parseCsv('"a"b\n')).toThrow(
      'Line 1, column 4: Expected a comma or a line break after a closing quote',
    );
  });

  it('rejects a quote inside an unquoted field', () => {
    expect(() => parseCsv('ab"c\n')).toThrow(
      'Line 1, column 3: Unexpected quote inside an unquoted field; quote the whole field',
    );
  });
});

describe('parseCsvRows', () => {
  it('keys each record by the header', () => {
    const rows = parseCsvRows('id,name\nx,"X, the first"\n');

    expect(rows).toHaveLength(1);
    expect(rows[0]!.values).toEqual({ id: 'x', name: 'X, the first' });
    expect(rows[0]!.line).toBe(2);
  });

  it('rejects a record with the wrong field count', () => {
    expect(() => parseCsvRows('id,name\nx\n')).toThrow(
      'Line 2, column 1: Expected 2 fields as in the header, found 1',
    );
  });

  it('rejects a repeated column name', () => {
    expect(() => parseCsvRows('id,id\n')).toThrow(
      'Line 1, column 2: Column name "id" is empty or repeated',
    );
  });
});
