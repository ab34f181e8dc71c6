// Salesforce record ids: 15 case-sensitive characters (3-char key prefix, 2-char pod, 1 reserved, 9-char
// base-62 counter) plus, for the 18-char form, a 3-char checksum that encodes which of the first 15
// characters are upper case, so the id survives case-insensitive systems.

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-5]{3})?$/;

/** The 3-character suffix of an 18-character id, computed from its first 15 characters. */
export function checksumSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET.charAt(bits);
  }
  return suffix;
}

export function to18(id15: string): string {
  return id15 + checksumSuffix(id15);
}

/**
 * Normalises a 15- or 18-character id to the 18-character form, or returns undefined when the value is
 * not a well-formed id (wrong length or characters, or an 18-character id whose checksum does not match).
 */
export function normaliseId(value: string): string | undefined {
  if (!ID_PATTERN.test(value)) return undefined;
  const id15 = value.slice(0, 15);
  if (value.length === 18 && value.slice(15).toUpperCase() !== checksumSuffix(id15)) return undefined;
  return to18(id15);
}

export function keyPrefixOf(id: string): string {
  return id.slice(0, 3);
}

/** Mints ids for one org: a per-prefix counter encoded in base 62. */
export class IdFactory {
  private counter = 0;
  constructor(private readonly pod = '5g') {}

  next(keyPrefix: string): string {
    this.counter += 1;
    let n = this.counter;
    let body = '';
    for (let i = 0; i < 9; i++) {
      body = BASE62.charAt(n % 62) + body;
      n = Math.floor(n / 62);
    }
    return to18(`${keyPrefix}${this.pod}0${body}`);
  }

  /** A query cursor id (01g prefix), used in nextRecordsUrl. */
  cursor(): string {
    return this.next('01g').slice(0, 15);
  }
}
