CREATE TABLE `accounting_exports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`member_id` integer NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text NOT NULL,
	`mapping` text NOT NULL,
	`filename` text NOT NULL,
	`sha256` text NOT NULL,
	`body` text NOT NULL,
	`entry_count` integer NOT NULL,
	`created_at` integer NOT NULL,
	`created_by_user_id` integer,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `accounting_exports_member_idx` ON `accounting_exports` (`member_id`,`to_date`);--> statement-breakpoint
CREATE TABLE `accounting_mappings` (
	`member_id` integer PRIMARY KEY NOT NULL,
	`overrides` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by_user_id` integer,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
