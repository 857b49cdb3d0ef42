CREATE TABLE `feeds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`scope` text NOT NULL,
	`member_id` integer,
	`resource_id` integer,
	`token_hash` blob NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`resource_id`) REFERENCES `resources`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "feeds_scope_target" CHECK(("feeds"."scope" = 'member' AND "feeds"."member_id" IS NOT NULL AND "feeds"."resource_id" IS NULL)
       OR ("feeds"."scope" = 'resource' AND "feeds"."resource_id" IS NOT NULL AND "feeds"."member_id" IS NULL)
       OR ("feeds"."scope" = 'user' AND "feeds"."member_id" IS NULL AND "feeds"."resource_id" IS NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `feeds_token_hash_unique` ON `feeds` (`token_hash`);--> statement-breakpoint
CREATE INDEX `feeds_user_idx` ON `feeds` (`user_id`);