/**
 * Writes the two icons Teams requires (color 192x192, outline 32x32 white on transparent) as PNGs, drawn
 * here so no binary is committed. PNG is small enough to encode by hand with node:zlib (deflate + crc32).
 */
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** RGBA pixels from `paint(x, y)`. */
export function png(size: number, paint: (x: number, y: number) => [number, number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) row.set(paint(x, y), 1 + x * 4);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A bridge: two towers and a deck, on the accent colour (color) or white on transparent (outline). */
export function bridgeIcon(size: number, outline: boolean): Buffer {
  return png(size, (x, y) => {
    const u = x / size;
    const v = y / size;
    const tower = (u > 0.22 && u < 0.3) || (u > 0.7 && u < 0.78);
    const mark = (tower && v > 0.25 && v < 0.8) || (v > 0.55 && v < 0.63 && u > 0.12 && u < 0.88);
    if (outline) return mark ? [255, 255, 255, 255] : [0, 0, 0, 0];
    return mark ? [255, 255, 255, 255] : [0x0b, 0x5c, 0xab, 255];
  });
}
