const COM = 0xfe;
const SOS = 0xda;
/** A COM segment's length field counts itself, so its payload is at most 65,533 bytes. */
const maxPayload = 65_533;

/** Payloads of all COM segments before the image data. */
export function readJpegComments(bytes: Uint8Array): Buffer[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const comments: Buffer[] = [];
  let offset = 2;
  while (offset + 4 <= buffer.length && buffer[offset] === 0xff) {
    const marker = buffer[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    if (marker === SOS || marker === 0xd9) break;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2;
      continue;
    }
    const length = buffer.readUInt16BE(offset + 2);
    if (marker === COM) comments.push(buffer.subarray(offset + 4, offset + 2 + length));
    offset += 2 + length;
  }
  return comments;
}

/** Inserts COM segments right after SOI; a long payload is split over several segments. */
export function insertJpegComments(bytes: Uint8Array, payloads: readonly Buffer[]): Uint8Array {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const segments = payloads.flatMap((payload) => {
    if (payload.length > maxPayload) throw new RangeError('JPEG comment payload too long');
    const header = Buffer.alloc(4);
    header.writeUInt16BE(0xff00 | COM, 0);
    header.writeUInt16BE(payload.length + 2, 2);
    return [header, payload];
  });
  return Buffer.concat([buffer.subarray(0, 2), ...segments, buffer.subarray(2)]);
}
