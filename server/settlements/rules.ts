import type { Cents } from '../shared/money';

/**
 * Pure netting of a month's documents (no I/O): each member's net position, the bilateral net of each pair,
 * and a plan with few transfers. It informs payments; the invoices stay as issued.
 */

/** The buyer owes the seller `amountCents` (incl. VAT); a credit note is a negative flow. */
export interface Flow {
  sellerMemberId: number;
  buyerMemberId: number;
  amountCents: Cents;
}

export interface Position {
  memberId: number;
  /** Receivable minus payable: positive = the member is owed money. */
  netCents: Cents;
  receivableCents: Cents;
  payableCents: Cents;
}

export interface Pair {
  /** The member that owes, net, within this pair (the lower id when they are even). */
  fromMemberId: number;
  toMemberId: number;
  /** Net amount `from` owes `to`: owedCents − offsetCents. */
  amountCents: Cents;
  /** What `from` owes `to` on its own invoices, and what `to` owes `from` in return. */
  owedCents: Cents;
  offsetCents: Cents;
}

export interface Transfer {
  fromMemberId: number;
  toMemberId: number;
  amountCents: Cents;
}

export function positionsOf(flows: readonly Flow[]): Position[] {
  const map = new Map<number, Position>();
  const at = (id: number) => map.get(id) ?? (map.set(id, { memberId: id, netCents: 0, receivableCents: 0, payableCents: 0 }), map.get(id)!);
  for (const f of flows) {
    at(f.sellerMemberId).receivableCents += f.amountCents;
    at(f.buyerMemberId).payableCents += f.amountCents;
  }
  for (const p of map.values()) p.netCents = p.receivableCents - p.payableCents;
  return [...map.values()].sort((a, b) => a.memberId - b.memberId);
}

export function pairsOf(flows: readonly Flow[]): Pair[] {
  const owed = new Map<string, Cents>(); // "buyer>seller" → what buyer owes seller
  const pairs = new Set<string>();
  for (const f of flows) {
    const key = `${f.buyerMemberId}>${f.sellerMemberId}`;
    owed.set(key, (owed.get(key) ?? 0) + f.amountCents);
    const [a, b] = [Math.min(f.buyerMemberId, f.sellerMemberId), Math.max(f.buyerMemberId, f.sellerMemberId)];
    pairs.add(`${a}:${b}`);
  }
  return [...pairs]
    .map((k) => k.split(':').map(Number) as [number, number])
    .sort((x, y) => x[0] - y[0] || x[1] - y[1])
    .map(([a, b]) => {
      const aOwesB = owed.get(`${a}>${b}`) ?? 0;
      const bOwesA = owed.get(`${b}>${a}`) ?? 0;
      return aOwesB >= bOwesA
        ? { fromMemberId: a, toMemberId: b, amountCents: aOwesB - bOwesA, owedCents: aOwesB, offsetCents: bOwesA }
        : { fromMemberId: b, toMemberId: a, amountCents: bOwesA - aOwesB, owedCents: bOwesA, offsetCents: aOwesB };
    });
}

/**
 * Greedy plan: the largest debtor pays the largest creditor as much as it can, until everyone is even.
 * Ties go to the lower member id. At most (members with a non-zero position − 1) transfers; each settles at
 * least one member, and the plan moves exactly the net positions.
 */
export function transfersOf(positions: readonly Position[]): Transfer[] {
  const debtors = positions.filter((p) => p.netCents < 0).map((p) => ({ id: p.memberId, left: -p.netCents }));
  const creditors = positions.filter((p) => p.netCents > 0).map((p) => ({ id: p.memberId, left: p.netCents }));
  const byLargest = (x: { id: number; left: number }, y: { id: number; left: number }) => y.left - x.left || x.id - y.id;
  const transfers: Transfer[] = [];
  for (;;) {
    debtors.sort(byLargest);
    creditors.sort(byLargest);
    const d = debtors[0];
    const c = creditors[0];
    if (!d || !c || d.left === 0 || c.left === 0) break;
    const amount = Math.min(d.left, c.left);
    transfers.push({ fromMemberId: d.id, toMemberId: c.id, amountCents: amount });
    d.left -= amount;
    c.left -= amount;
    if (d.left === 0) debtors.shift();
    if (c.left === 0) creditors.shift();
  }
  return transfers;
}

/**
 * Positions and pairs over every flow; the transfer plan nets only among members that may be netted. A flow
 * to or from a public body (`grossOnly`) is paid as it is, bilaterally: a public accountant never nets.
 */
export function settle(flows: readonly Flow[], grossOnly: ReadonlySet<number> = new Set()) {
  const positions = positionsOf(flows);
  const gross = (f: Flow) => grossOnly.has(f.sellerMemberId) || grossOnly.has(f.buyerMemberId);
  const direct = new Map<string, Transfer>();
  for (const f of flows.filter(gross)) {
    const key = `${f.buyerMemberId}>${f.sellerMemberId}`;
    const t = direct.get(key) ?? { fromMemberId: f.buyerMemberId, toMemberId: f.sellerMemberId, amountCents: 0 };
    t.amountCents += f.amountCents;
    direct.set(key, t);
  }
  const netted = transfersOf(positionsOf(flows.filter((f) => !gross(f))));
  const bilateral = [...direct.values()].filter((t) => t.amountCents > 0).sort((a, b) => a.fromMemberId - b.fromMemberId || a.toMemberId - b.toMemberId);
  return { positions, pairs: pairsOf(flows), transfers: [...netted, ...bilateral] };
}
