/**
 * Counts the rows of a CSV file (RFC 4180) as it streams in: a line break
 * inside a quoted field does not end a row. Keeps only the header row.
 */

/** Longest header row kept, in bytes; a longer one is cut (its columns are still counted as rows end). */
const MAX_HEADER_BYTES = 64 * 1024;

export interface CsvRowCounter {
  write(chunk: Buffer): void;
  /** Rows including the header; a last row without a line break counts. */
  end(): { rows: number; header: string[] };
}

/**
 * @example
 *   const counter = createCsvRowCounter();
 *   counter.write(Buffer.from('id,name\n1,"a\nb"\n'));
 *   counter.end(); // { rows: 2, header: ['id', 'name'] }
 */
export function createCsvRowCounter(): CsvRowCounter {
  let rows = 0;
  let inQuotes = false;
  let rowHasBytes = false;
  let previousWasCr = false;
  const header: Buffer[] = [];
  let headerBytes = 0;
  return {
    write(chunk) {
      const inHeader = rows === 0;
      let headerEnd = -1;
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i]!;
        if (byte === 0x22) inQuotes = !inQuotes; // "" inside quotes toggles twice: no net change
        else if (!inQuotes && (byte === 0x0a || byte === 0x0d)) {
          // CRLF is one break; a lone CR or LF is one too.
          if (!(byte === 0x0a && previousWasCr)) {
            if (rows === 0 && headerEnd < 0) headerEnd = i;
            rows += 1;
            rowHasBytes = false;
          }
          previousWasCr = byte === 0x0d;
          continue;
        }
        previousWasCr = false;
        rowHasBytes = true;
      }
      if (inHeader && headerBytes < MAX_HEADER_BYTES) {
        const part = (headerEnd >= 0 ? chunk.subarray(0, headerEnd) : chunk).subarray(0, MAX_HEADER_BYTES - headerBytes);
        header.push(part);
        headerBytes += part.length;
      }
    },
    end() {
      const total = rows + (rowHasBytes ? 1 : 0);
      return { rows: total, header: splitCsvRow(Buffer.concat(header).toString('utf8')) };
    },
  };
}

/** The fields of one CSV row, unquoted. @example splitCsvRow('a,"b,c",""""') // ['a', 'b,c', '"'] */
export function splitCsvRow(row: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < row.length; i++) {
    const ch = row[i]!;
    if (quoted) {
      if (ch === '"' && row[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}
