/**
 * The reconciliation of a closed month (pure): where each resource's shared cost went, to the cent.
 *
 *   cost shared = invoices issued (net of credit notes) + credit notes + bearer's own share
 *               + remainder kept by the bearer (staff not made available, or what a rate leaves)
 *               + shares billed by a public body's own revenue titles − adjustments
 *
 * Amounts are excl. VAT, as shared. `differenceCents` is what nothing explains: zero unless the stored
 * documents and the allocation snapshot disagree (then it is shown, never hidden).
 */

export interface ReconciliationLine {
  /** null for the total line. */
  resourceId: number | null;
  costCents: number;
  /** Invoices of the month less its credit notes (excl. VAT). */
  invoicedNetCents: number;
  creditNotesCents: number;
  ownShareCents: number;
  keptByBearerCents: number;
  revenueTitlesCents: number;
  /** Net of adjustment documents (supplementary invoices less adjustment credit notes); 0 without adjustments. */
  adjustmentsCents: number;
  differenceCents: number;
}

export interface ReconciliationInput {
  resources: readonly { resourceId: number; bearerMemberId: number; costCents: number; gapCents: number }[];
  rows: readonly { resourceId: number; memberId: number; shareCents: number }[];
  /** Bearers that bill with their own revenue titles (public bodies): their shares are not in Mutualise invoices. */
  revenueTitleBearers: ReadonlySet<number>;
  documents: readonly { kind: 'invoice' | 'credit_note'; adjustment: boolean; lines: readonly { resourceId: number | null; totalExclVatCents: number }[] }[];
}

export function reconcile(input: ReconciliationInput): { resources: ReconciliationLine[]; total: ReconciliationLine } {
  const sums = (pick: (d: ReconciliationInput['documents'][number]) => boolean) => {
    const m = new Map<number, number>();
    for (const d of input.documents.filter(pick)) {
      for (const l of d.lines) if (l.resourceId !== null) m.set(l.resourceId, (m.get(l.resourceId) ?? 0) + l.totalExclVatCents);
    }
    return m;
  };
  const invoiced = sums((d) => d.kind === 'invoice');
  const credited = sums((d) => d.kind === 'credit_note' && !d.adjustment);
  const adjInvoiced = sums((d) => d.kind === 'invoice' && d.adjustment);
  const adjCredited = sums((d) => d.kind === 'credit_note' && d.adjustment);
  const lines = input.resources.map((r): ReconciliationLine => {
    const rows = input.rows.filter((row) => row.resourceId === r.resourceId);
    const own = rows.filter((row) => row.memberId === r.bearerMemberId).reduce((a, row) => a + row.shareCents, 0);
    const titles = input.revenueTitleBearers.has(r.bearerMemberId)
      ? rows.filter((row) => row.memberId !== r.bearerMemberId && row.shareCents > 0).reduce((a, row) => a + row.shareCents, 0)
      : 0;
    const get = (m: Map<number, number>) => m.get(r.resourceId) ?? 0;
    const creditNotesCents = get(credited);
    const adjustmentsCents = get(adjInvoiced) - get(adjCredited);
    const invoicedNetCents = get(invoiced) - creditNotesCents - get(adjCredited);
    const explained = invoicedNetCents + creditNotesCents + own + r.gapCents + titles - adjustmentsCents;
    return {
      resourceId: r.resourceId,
      costCents: r.costCents,
      invoicedNetCents,
      creditNotesCents,
      ownShareCents: own,
      keptByBearerCents: r.gapCents,
      revenueTitlesCents: titles,
      adjustmentsCents,
      differenceCents: r.costCents - explained,
    };
  });
  const total = lines.reduce<ReconciliationLine>(
    (a, l) => ({
      resourceId: null,
      costCents: a.costCents + l.costCents,
      invoicedNetCents: a.invoicedNetCents + l.invoicedNetCents,
      creditNotesCents: a.creditNotesCents + l.creditNotesCents,
      ownShareCents: a.ownShareCents + l.ownShareCents,
      keptByBearerCents: a.keptByBearerCents + l.keptByBearerCents,
      revenueTitlesCents: a.revenueTitlesCents + l.revenueTitlesCents,
      adjustmentsCents: a.adjustmentsCents + l.adjustmentsCents,
      differenceCents: a.differenceCents + l.differenceCents,
    }),
    { resourceId: null, costCents: 0, invoicedNetCents: 0, creditNotesCents: 0, ownShareCents: 0, keptByBearerCents: 0, revenueTitlesCents: 0, adjustmentsCents: 0, differenceCents: 0 },
  );
  return { resources: lines, total };
}
