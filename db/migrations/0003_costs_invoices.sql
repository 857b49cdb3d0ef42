CREATE TABLE `costs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`resource_id` integer NOT NULL,
	`month` text NOT NULL,
	`label` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`vat_rate_bp` integer DEFAULT 0 NOT NULL,
	`nature` text NOT NULL,
	`recurring` integer DEFAULT false NOT NULL,
	`carried_from_id` integer,
	`created_by_user_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`resource_id`) REFERENCES `resources`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "costs_amount_nonneg" CHECK("costs"."amount_cents" >= 0),
	CONSTRAINT "costs_vat_rate_range" CHECK("costs"."vat_rate_bp" BETWEEN 0 AND 10000)
);
--> statement-breakpoint
CREATE INDEX `costs_month_resource_idx` ON `costs` (`month`,`resource_id`);--> statement-breakpoint
CREATE INDEX `costs_carried_from_idx` ON `costs` (`carried_from_id`);--> statement-breakpoint
CREATE TABLE `allocation_resources` (
	`month` text NOT NULL,
	`resource_id` integer NOT NULL,
	`bearer_member_id` integer NOT NULL,
	`rule` text NOT NULL,
	`cost_cents` integer NOT NULL,
	`allocated_cents` integer NOT NULL,
	`gap_cents` integer NOT NULL,
	`usage_minutes` integer NOT NULL,
	`note` text,
	PRIMARY KEY(`month`, `resource_id`),
	FOREIGN KEY (`resource_id`) REFERENCES `resources`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`bearer_member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `allocation_rows` (
	`month` text NOT NULL,
	`resource_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`usage_minutes` integer NOT NULL,
	`share_cents` integer NOT NULL,
	`basis` text NOT NULL,
	PRIMARY KEY(`month`, `resource_id`, `member_id`),
	FOREIGN KEY (`resource_id`) REFERENCES `resources`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `invoice_counters` (
	`member_id` integer NOT NULL,
	`year` integer NOT NULL,
	`last_seq` integer NOT NULL,
	PRIMARY KEY(`member_id`, `year`),
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`number` text NOT NULL,
	`kind` text NOT NULL,
	`seller_member_id` integer NOT NULL,
	`buyer_member_id` integer NOT NULL,
	`year` integer NOT NULL,
	`seq` integer NOT NULL,
	`month` text NOT NULL,
	`issue_date` text NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`due_date` text NOT NULL,
	`currency` text NOT NULL,
	`seller` text NOT NULL,
	`buyer` text NOT NULL,
	`lines` text NOT NULL,
	`vat_breakdown` text NOT NULL,
	`total_excl_vat_cents` integer NOT NULL,
	`total_vat_cents` integer NOT NULL,
	`total_incl_vat_cents` integer NOT NULL,
	`mentions` text NOT NULL,
	`payment_terms_days` integer NOT NULL,
	`late_penalty_rate_bp` integer NOT NULL,
	`recovery_indemnity_cents` integer,
	`credited_invoice_id` integer,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	`paid_on` text,
	`issued_at` integer NOT NULL,
	`issued_by_user_id` integer,
	FOREIGN KEY (`seller_member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`buyer_member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`credited_invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issued_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "invoices_seq_positive" CHECK("invoices"."seq" >= 1),
	CONSTRAINT "invoices_not_self" CHECK("invoices"."seller_member_id" <> "invoices"."buyer_member_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_number_unique` ON `invoices` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_series_idx` ON `invoices` (`seller_member_id`,`year`,`seq`);--> statement-breakpoint
CREATE INDEX `invoices_month_idx` ON `invoices` (`month`);--> statement-breakpoint
CREATE INDEX `invoices_buyer_idx` ON `invoices` (`buyer_member_id`);--> statement-breakpoint
CREATE INDEX `invoices_credited_idx` ON `invoices` (`credited_invoice_id`);