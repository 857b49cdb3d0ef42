CREATE TABLE `resource_allowances` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`resource_id` integer NOT NULL,
	`from_month` text NOT NULL,
	`allowance` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`resource_id`) REFERENCES `resources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `resource_allowances_month` ON `resource_allowances` (`resource_id`,`from_month`);--> statement-breakpoint
-- Allowances set before their history was kept: the one in force now is all that is known of earlier months.
INSERT INTO `resource_allowances` (`resource_id`, `from_month`, `allowance`, `created_at`)
  SELECT `id`, '0000-01', `allowance`, `created_at` FROM `resources` WHERE `allowance` IS NOT NULL;
