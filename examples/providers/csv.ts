/**
 * A small CSV parser for the catalogue example, following RFC 4180: fields are separated by commas,
 * records by CRLF or LF, and a field in double quotes may contain commas, line breaks and doubled
 * quotes (`""` for one `"`).
 *
 * @module
 */

/** A CSV text that breaks RFC 4180, with the 1-based line and column where parsing stopped. */
export class CsvSyntaxError extends SyntaxError {
  override name = 'CsvSyntaxError';
  readonly line: number;
  readonly column: number;

  constructor(message: string, line: number, column: number) {
    super(`Line ${line}, column ${column}: ${message}`);
    this.line = line;
    this.column = column;
  }
}

/** A parsed record: the fields, and the line on which the record starts. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/**
 * Splits CSV text into records of fields. A byte order mark is dropped, and lines with no
 * characters at all are skipped, so a trailing line break adds no empty record.
 *
 * @throws {CsvSyntaxError} for a quote inside an unquoted field, text after a closing quote, or a
 *   quoted field that never ends.
 */
export function parseCsv(text: string): CsvRecord[] {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  let line = 1;
  let column = 0;
  let recordLine = 1;
  let quoteLine = 1;

  const endRecord = () => {
    fields.push(field);
    const empty = fields.length === 1 && fields[0] === '' && !afterQuote;
    if (!empty) records.push({ fields, line: recordLine });
    fields = [];
    field = '';
    afterQuote = false;
  };

  for (let index = 0; index < input.length; index += 1) {
    const char = input[index]!;
    column += 1;

    if (quoted) {
      if (char === '"' && input[index + 1] === '"') {
        field += '"';
        index += 1;
        column += 1;
      } else if (char === '"') {
        quoted = false;
        afterQuote = true;
      } else {
        field += char;
        if (char === '\n') {
          line += 1;
          column = 0;
        }
      }
      continue;
    }

    if (char === ',') {
      fields.push(field);
      field = '';
      afterQuote = false;
    } else if (char === '\n' || (char === '\r' && input[index + 1] === '\n')) {
      if (char === '\r') index += 1;
      endRecord();
      line += 1;
      column = 0;
      recordLine = line;
    } else if (afterQuote) {
      throw new CsvSyntaxError(
        'Expected a comma or a line break after a closing quote',
        line,
        column,
      );
    } else if (char === '"') {
      if (field !== '') {
        throw new CsvSyntaxError(
          'Unexpected quote inside an unquoted field; quote the whole field',
          line,
          column,
        );
      }
      quoted = true;
      quoteLine = line;
    } else {
      field += char;
    }
  }

  if (quoted) throw new CsvSyntaxError('Quoted field is never closed', quoteLine, 1);
  if (field !== '' || fields.length > 0 || afterQuote) endRecord();

  return records;
}

/** A record as an object keyed by the header's column names, with its starting line. */
export interface CsvRow {
  values: Record<string, string>;
  line: number;
}

/**
 * Parses CSV text whose first record is a header, and returns one row per following record.
 *
 * @throws {CsvSyntaxError} for malformed CSV, a repeated or empty column name, or a record whose
 *   field count differs from the header's.
 */
export function parseCsvRows(text: string): CsvRow[] {
  const [header, ...records] = parseCsv(text);
  if (header === undefined) return [];

  const columns = header.fields.map((name) => name.trim());
  columns.forEach((name, index) => {
    if (name === '' || columns.indexOf(name) !== index) {
      throw new CsvSyntaxError(
        `Column name ${JSON.stringify(name)} is empty or repeated`,
        header.line,
        index + 1,
      );
    }
  });

  return records.map((record) => {
    if (record.fields.length !== columns.length) {
      throw new CsvSyntaxError(
        `Expected ${columns.length} fields as in the header, found ${record.fields.length}`,
        record.line,
        1,
      );
    }
    const values: Record<string, string> = Object.create(null);
    columns.forEach((name, index) => {
      values[name] = record.fields[index]!;
    });

    return { values, line: record.line };
  });
}
