CREATE TABLE `payments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`invoice_id` integer NOT NULL,
	`amount_cents` integer NOT NULL,
	`paid_on` text NOT NULL,
	`method` text NOT NULL,
	`reference` text,
	`settlement_id` integer,
	`recorded_at` integer NOT NULL,
	`recorded_by_user_id` integer,
	`deleted_at` integer,
	`deleted_by_user_id` integer,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`settlement_id`) REFERENCES `settlement_records`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`deleted_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "payments_amount_nonzero" CHECK("payments"."amount_cents" <> 0)
);
--> statement-breakpoint
CREATE INDEX `payments_invoice_idx` ON `payments` (`invoice_id`);--> statement-breakpoint
CREATE TABLE `settlement_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`mode` text NOT NULL,
	`as_of` text NOT NULL,
	`paid_on` text NOT NULL,
	`reference` text,
	`transfers` text NOT NULL,
	`recorded_at` integer NOT NULL,
	`recorded_by_user_id` integer,
	FOREIGN KEY (`recorded_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- Hand-written: every invoice marked paid (`paid_on`) becomes one payment of what was open that day: its total
-- incl. VAT less the credit notes issued by then. The column stays (issued rows never change) but nothing
-- reads or writes it any more.
INSERT INTO `payments` (`invoice_id`, `amount_cents`, `paid_on`, `method`, `reference`, `settlement_id`, `recorded_at`, `recorded_by_user_id`)
SELECT `id`, `amount`, `paid_on`, 'other', 'paid_on (before the payments ledger)', NULL, CAST(strftime('%s', 'now') AS INTEGER) * 1000, NULL
  FROM (
    SELECT i.`id`, i.`paid_on`,
           i.`total_incl_vat_cents` - coalesce((SELECT sum(c.`total_incl_vat_cents`) FROM `invoices` c
                                                 WHERE c.`credited_invoice_id` = i.`id` AND c.`kind` = 'credit_note' AND c.`issue_date` <= i.`paid_on`), 0) AS `amount`
      FROM `invoices` i
     WHERE i.`kind` = 'invoice' AND i.`paid_on` IS NOT NULL
  )
 WHERE `amount` <> 0
 ORDER BY `id`;
--> statement-breakpoint
-- A payment is never erased nor rewritten: deleting one only stamps it (the audit trail keeps it).
CREATE TRIGGER `payments_no_delete` BEFORE DELETE ON `payments`
BEGIN
  SELECT RAISE(ABORT, 'payment.immutable: a payment is never erased; delete it through the API, which stamps it');
END;
--> statement-breakpoint
CREATE TRIGGER `payments_immutable_update` BEFORE UPDATE OF `id`, `invoice_id`, `amount_cents`, `paid_on`, `method`, `reference`, `settlement_id`, `recorded_at`, `recorded_by_user_id` ON `payments`
BEGIN
  SELECT RAISE(ABORT, 'payment.immutable: a recorded payment never changes');
END;
--> statement-breakpoint
CREATE TRIGGER `payments_deleted_once` BEFORE UPDATE OF `deleted_at` ON `payments`
WHEN OLD.`deleted_at` IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'payment.immutable: a deleted payment stays deleted');
END;
--> statement-breakpoint
CREATE TRIGGER `settlement_records_immutable` BEFORE UPDATE ON `settlement_records`
BEGIN
  SELECT RAISE(ABORT, 'settlement.immutable: a recorded settlement never changes');
END;
--> statement-breakpoint
CREATE TRIGGER `settlement_records_no_delete` BEFORE DELETE ON `settlement_records`
BEGIN
  SELECT RAISE(ABORT, 'settlement.immutable: a recorded settlement is never erased');
END;
