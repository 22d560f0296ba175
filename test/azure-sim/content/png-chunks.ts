import { crc32, inflateSync } from 'node:zlib';

/** PNG text chunks (tEXt, zTXt, iTXt) as keyword -> text. */
export function readPngTextChunks(bytes: Uint8Array): Map<string, string> {
  const texts = new Map<string, string>();
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let offset = 8;
  while (offset + 12 <= buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('latin1', offset + 4, offset + 8);
    const dataEnd = offset + 8 + length;
    if (dataEnd + 4 > buffer.length) break;
    const data = buffer.subarray(offset + 8, dataEnd);
    const entry = decodeTextChunk(type, data);
    if (entry) texts.set(entry[0], entry[1]);
    if (type === 'IEND') break;
    offset = dataEnd + 4;
  }
  return texts;
}

function decodeTextChunk(type: string, data: Buffer): [string, string] | undefined {
  const keywordEnd = data.indexOf(0);
  if (keywordEnd < 0) return undefined;
  const keyword = data.toString('latin1', 0, keywordEnd);
  if (type === 'tEXt') return [keyword, data.toString('latin1', keywordEnd + 1)];
  if (type === 'zTXt') return [keyword, inflateSync(data.subarray(keywordEnd + 2)).toString('latin1')];
  if (type !== 'iTXt') return undefined;
  const compressed = data[keywordEnd + 1] === 1;
  const languageEnd = data.indexOf(0, keywordEnd + 3);
  const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
  if (translatedEnd < 0) return undefined;
  const text = data.subarray(translatedEnd + 1);
  return [keyword, (compressed ? inflateSync(text) : text).toString('utf8')];
}

/** Inserts an uncompressed UTF-8 iTXt chunk right after IHDR (text chunks may sit anywhere before IEND). */
export function insertPngTextChunk(bytes: Uint8Array, keyword: string, text: string): Uint8Array {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const ihdrEnd = 8 + 12 + buffer.readUInt32BE(8);
  const data = Buffer.concat([
    Buffer.from(keyword, 'latin1'),
    Buffer.from([0, 0, 0, 0, 0]),
    Buffer.from(text, 'utf8'),
  ]);
  const typeAndData = Buffer.concat([Buffer.from('iTXt', 'latin1'), data]);
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  typeAndData.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(typeAndData), 8 + data.length);
  return Buffer.concat([buffer.subarray(0, ihdrEnd), chunk, buffer.subarray(ihdrEnd)]);
}
