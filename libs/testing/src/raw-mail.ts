/**
 * Just enough of RFC 5322 / 2047 / 2045 to read back what nodemailer wrote (mailparser is not
 * available here): unfolded headers with encoded words decoded, and the single text body decoded
 * from its transfer encoding.
 */
export interface ParsedMail {
  headers: Map<string, string>;
  header(name: string): string | undefined;
  text: string;
}

export function parseRawMail(raw: string | Buffer): ParsedMail {
  const source = raw.toString('latin1').replace(/\r\n/g, '\n');
  const split = source.indexOf('\n\n');
  const head = source.slice(0, split);
  const body = source.slice(split + 2);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const bytes =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body.replace(/=\n/g, ''))
        : Buffer.from(body, 'latin1');
  return { headers, header: (name) => headers.get(name.toLowerCase()), text: bytes.toString('utf8').replace(/\n$/, '') };
}

/** =?UTF-8?B?…?= and =?UTF-8?Q?…?=; whitespace between adjacent encoded words is dropped (RFC 2047 §6.2). */
function decodeWords(value: string): string {
  const joined = value.replace(/(\?=)\s+(=\?)/g, '$1$2');
  const decoded = joined.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_match, _charset: string, kind: string, text: string) =>
    // Adjacent words may split one character's bytes, so collect bytes and decode once below.
    kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('latin1') : decodeQuotedPrintable(text.replace(/_/g, ' ')).toString('latin1'),
  );
  return Buffer.from(decoded, 'latin1').toString('utf8');
}

function decodeQuotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i));
  }
  return Buffer.from(bytes);
}
