CREATE TABLE `adjustment_documents` (
	`invoice_id` integer PRIMARY KEY NOT NULL,
	`adjustment_id` integer NOT NULL,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`adjustment_id`) REFERENCES `adjustments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `adjustments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`month` text NOT NULL,
	`kind` text NOT NULL,
	`resource_id` integer,
	`invoice_id` integer,
	`input` text NOT NULL,
	`costs_after` text,
	`allocation` text,
	`deltas` text NOT NULL,
	`cost_delta_cents` integer NOT NULL,
	`reason` text,
	`created_at` integer NOT NULL,
	`created_by_user_id` integer,
	FOREIGN KEY (`month`) REFERENCES `closings`(`month`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`resource_id`) REFERENCES `resources`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "adjustments_target" CHECK(("adjustments"."kind" = 'resource' AND "adjustments"."resource_id" IS NOT NULL) OR ("adjustments"."kind" = 'invoice' AND "adjustments"."invoice_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE INDEX `adjustments_month_idx` ON `adjustments` (`month`);--> statement-breakpoint
-- An adjustment and the documents it issued are kept as made: like the invoices, never edited nor deleted.
CREATE TRIGGER `adjustments_immutable_update` BEFORE UPDATE ON `adjustments`
BEGIN
  SELECT RAISE(ABORT, 'adjustment.immutable: an adjustment never changes');
END;
--> statement-breakpoint
CREATE TRIGGER `adjustments_no_delete` BEFORE DELETE ON `adjustments`
BEGIN
  SELECT RAISE(ABORT, 'adjustment.immutable: an adjustment is never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER `adjustment_documents_immutable_update` BEFORE UPDATE ON `adjustment_documents`
BEGIN
  SELECT RAISE(ABORT, 'adjustment.immutable: an adjustment never changes');
END;
--> statement-breakpoint
CREATE TRIGGER `adjustment_documents_no_delete` BEFORE DELETE ON `adjustment_documents`
BEGIN
  SELECT RAISE(ABORT, 'adjustment.immutable: an adjustment is never deleted');
END;
