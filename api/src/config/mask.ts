// How secrets are shown: never their value. URLs keep everything but their password, so an operator can still
// see which database they point at.

export const MASK = '********';
export const NOT_SET = '(not set)';

/**
 * Masks the password of `scheme://user:password@host/...` and password-like query parameters. Works on the
 * text rather than a parsed URL so that even a malformed URL (an unencoded `@` or `/` in the password) is
 * masked: everything between the first `:` of the user info and the last `@` before the path goes.
 */
export function maskUrl(url: string): string {
  let out = url;
  const start = out.indexOf('://');
  if (start >= 0) {
    const rest = out.slice(start + 3);
    const at = rest.lastIndexOf('@');
    if (at >= 0) {
      const userInfo = rest.slice(0, at);
      const colon = userInfo.indexOf(':');
      const masked = colon >= 0 ? `${userInfo.slice(0, colon)}:${MASK}` : userInfo;
      out = `${out.slice(0, start + 3)}${masked}${rest.slice(at)}`;
    }
  }
  return out.replace(/([?&;](?:password|passwd|pwd|pass)=)[^&;#]*/gi, `$1${MASK}`);
}

/** How a raw value appears in an error message: quoted, shortened; secrets never shown. */
export function displayRaw(raw: string, secret: boolean, maskAs?: 'url'): string {
  if (secret) {
    // A URL shows with its password masked; sqlite: paths carry no credentials. Anything else stays hidden.
    const showable = maskAs === 'url' && (raw.includes('://') || /^sqlite:/i.test(raw));
    return showable ? JSON.stringify(maskUrl(raw)) : `a hidden value of ${raw.length} characters`;
  }
  return JSON.stringify(raw.length > 80 ? `${raw.slice(0, 77)}...` : raw);
}
