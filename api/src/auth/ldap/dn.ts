// Distinguished names (RFC 4514) without a server: escaping a value, parsing, comparing, the group name a DN gives,
// and the LDAP_SYNCED_GROUPS list. Pure functions; the login and the sync compare DNs through `normaliseDn`, because
// a DN typed into a variable and the same DN in a `memberOf` value rarely agree on case and spacing.

export interface Rdn {
  type: string;
  value: string;
}

/** Escapes one attribute value for a DN (RFC 4514 §2.4): `"+,;<>\` and `=` everywhere, `#`/space at the start, space at the end, NUL. */
export function escapeDnValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '\0') out += '\\00';
    else if ('"+,;<>\\='.includes(ch)) out += `\\${ch}`;
    else if ((i === 0 && (ch === '#' || ch === ' ')) || (i === value.length - 1 && ch === ' ')) out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

/**
 * Parses a DN into its RDNs, decoding escapes (`\,` and `\2C` alike). A multi-valued RDN (`cn=a+uid=b`, rare in
 * directories) stays one RDN whose value is the text `a+uid=b`. Throws on a DN that is not well formed.
 */
export function parseDn(dn: string): Rdn[] {
  const rdns: Rdn[] = [];
  let i = 0;
  const s = dn.trim();
  if (s === '') return rdns;
  while (i < s.length) {
    // attribute type
    let type = '';
    while (i < s.length && s[i] !== '=') type += s[i++];
    if (i >= s.length) throw new Error(`not a distinguished name: ${JSON.stringify(dn)}`);
    i++; // '='
    type = type.trim();
    if (!/^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)*)$/.test(type)) throw new Error(`not a distinguished name: ${JSON.stringify(dn)}`);
    const bytes: number[] = [];
    const push = (text: string) => bytes.push(...Buffer.from(text, 'utf8'));
    while (i < s.length && s[i] === ' ') i++;
    let trailingSpaces = 0;
    while (i < s.length && s[i] !== ',' && s[i] !== ';') {
      const ch = s[i]!;
      if (ch === '\\') {
        const hex = s.slice(i + 1, i + 3);
        if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
          bytes.push(parseInt(hex, 16));
          i += 3;
        } else if (i + 1 < s.length) {
          push(s[i + 1]!);
          i += 2;
        } else {
          throw new Error(`not a distinguished name: ${JSON.stringify(dn)}`);
        }
        trailingSpaces = 0;
        continue;
      }
      trailingSpaces = ch === ' ' ? trailingSpaces + 1 : 0;
      push(ch);
      i++;
    }
    const value = Buffer.from(bytes.slice(0, bytes.length - trailingSpaces)).toString('utf8');
    rdns.push({ type, value });
    if (i < s.length) {
      i++; // ',' or ';'
      if (i >= s.length) throw new Error(`not a distinguished name: ${JSON.stringify(dn)}`);
    }
  }
  return rdns;
}

/** A DN as a comparable key: types and values lower-cased, escapes decoded and re-encoded one way, no spacing. */
export function normaliseDn(dn: string): string {
  return parseDn(dn)
    .map((r) => `${r.type.toLowerCase()}=${escapeDnValue(r.value.toLowerCase())}`)
    .join(',');
}

/** Like normaliseDn, but a malformed DN yields undefined instead of an exception (values from a server). */
export function tryNormaliseDn(dn: string): string | undefined {
  try {
    return normaliseDn(dn);
  } catch {
    return undefined;
  }
}

export function dnEquals(a: string, b: string): boolean {
  const na = tryNormaliseDn(a);
  return na !== undefined && na === tryNormaliseDn(b);
}

/** The value of a DN's first RDN: `cn=Flag Admins,ou=groups,…` → `Flag Admins` (the name of a mirrored group). */
export function firstRdnValue(dn: string): string {
  const [first] = parseDn(dn);
  if (!first) throw new Error('an empty DN has no first RDN');
  return first.value;
}

/**
 * LDAP_SYNCED_GROUPS: colon-separated group DNs as in Flagsmith, or comma-separated — then a DN ends after a `dc=`
 * component followed by a component of another type. Escaped commas (`\,`) never split. Each DN is checked, and a
 * DN listed twice (in any spelling) is kept once.
 */
export function parseGroupDnList(raw: string): string[] {
  const text = raw.trim();
  if (text === '') return [];
  const parts = splitUnescaped(text, text.includes(':') ? ':' : undefined);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const dn of parts) {
    const key = normaliseDn(dn); // throws on a malformed DN
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(dn);
  }
  return out;
}

function splitUnescaped(text: string, separator: ':' | undefined): string[] {
  if (separator) return splitOn(text, separator).map((s) => s.trim()).filter(Boolean);
  const rdns = splitOn(text, ',').map((s) => s.trim()).filter(Boolean);
  const dns: string[] = [];
  let current: string[] = [];
  for (const rdn of rdns) {
    const prevIsDc = current.length > 0 && /^dc\s*=/i.test(current[current.length - 1]!);
    if (prevIsDc && !/^dc\s*=/i.test(rdn)) {
      dns.push(current.join(','));
      current = [];
    }
    current.push(rdn);
  }
  if (current.length > 0) dns.push(current.join(','));
  return dns;
}

function splitOn(text: string, separator: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + text[i + 1];
      i++;
    } else if (ch === separator) {
      out.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  out.push(current);
  return out;
}
