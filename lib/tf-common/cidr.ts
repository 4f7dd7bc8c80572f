// IPv4 address-range arithmetic for laying subnets out inside the configured network range, at synth time (so a
// range too small for the layout is reported before anything is synthesized).

export interface Cidr {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

export function parseCidr(cidr: string): Cidr {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) throw new Error(`"${cidr}" is not an IPv4 CIDR block`);
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new Error(`"${cidr}" is not an IPv4 CIDR block`);
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  return { base: address - (address % size), prefix };
}

export function formatCidr({ base, prefix }: Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
  return `${octets.join('.')}/${prefix}`;
}

/** The `index`-th block of `prefix + newBits` inside `cidr` (Terraform's cidrsubnet). */
export function cidrSubnet(cidr: string, newBits: number, index: number): string {
  const parent = parseCidr(cidr);
  const prefix = parent.prefix + newBits;
  if (prefix > 32) throw new Error(`${cidr} cannot be split into /${prefix} blocks`);
  if (index < 0 || index >= 2 ** newBits) throw new Error(`${cidr} has no block ${index} of size /${prefix}`);
  return formatCidr({ base: parent.base + index * 2 ** (32 - prefix), prefix });
}
