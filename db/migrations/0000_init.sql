CREATE TABLE `members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`legal_form` text NOT NULL,
	`siren` text NOT NULL,
	`siret` text NOT NULL,
	`address` text NOT NULL,
	`billing_email` text NOT NULL,
	`vat_regime` text NOT NULL,
	`vat_number` text,
	`weight` integer DEFAULT 1 NOT NULL,
	`invoice_prefix` text NOT NULL,
	`joined_on` text NOT NULL,
	`left_on` text,
	`created_at` integer NOT NULL,
	CONSTRAINT "members_weight_nonneg" CHECK("members"."weight" >= 0),
	CONSTRAINT "members_siret_of_siren" CHECK(substr("members"."siret", 1, 9) = "members"."siren")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `members_siren_unique` ON `members` (`siren`);--> statement-breakpoint
CREATE UNIQUE INDEX `members_invoice_prefix_unique` ON `members` (`invoice_prefix`);--> statement-breakpoint
CREATE TABLE `pole` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`carrier_member_id` integer,
	`time_zone` text DEFAULT 'Europe/Paris' NOT NULL,
	`currency` text DEFAULT 'EUR' NOT NULL,
	`payment_terms_days` integer DEFAULT 30 NOT NULL,
	`late_penalty_rate_bp` integer DEFAULT 1200 NOT NULL,
	FOREIGN KEY (`carrier_member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`secret_hash` blob NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`last_verified_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`member_id` integer,
	`password_hash` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "users_member_matches_role" CHECK(("users"."role" = 'coordinator' AND "users"."member_id" IS NULL) OR ("users"."role" <> 'coordinator' AND "users"."member_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE INDEX `users_member_idx` ON `users` (`member_id`);--> statement-breakpoint
CREATE TABLE `allocation_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`resource_id` integer NOT NULL,
	`from_month` text NOT NULL,
	`rule` text NOT NULL,
	`weights` text,
	`fixed_percent` integer,
	`rate_cents` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`resource_id`) REFERENCES `resources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `allocation_rules_resource_idx` ON `allocation_rules` (`resource_id`,`from_month`);--> statement-breakpoint
CREATE TABLE `resources` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`category` text,
	`capacity` integer NOT NULL,
	`bearer_member_id` integer NOT NULL,
	`granularity_minutes` integer DEFAULT 15 NOT NULL,
	`min_minutes` integer,
	`max_minutes` integer,
	`opening_hours` text,
	`blackouts` text DEFAULT '[]' NOT NULL,
	`horizon_days` integer DEFAULT 365 NOT NULL,
	`requires_approval` integer DEFAULT false NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`longest_booking_ms` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`bearer_member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "resources_capacity_positive" CHECK("resources"."capacity" >= 1)
);
--> statement-breakpoint
CREATE TABLE `booking_series` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`resource_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`rule` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`resource_id`) REFERENCES `resources`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `bookings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`resource_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`start_ms` integer NOT NULL,
	`end_ms` integer NOT NULL,
	`quantity` integer DEFAULT 1 NOT NULL,
	`note` text,
	`status` text NOT NULL,
	`series_id` integer,
	`original_start_ms` integer,
	`sequence` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`resource_id`) REFERENCES `resources`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`series_id`) REFERENCES `booking_series`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "bookings_positive_duration" CHECK("bookings"."end_ms" > "bookings"."start_ms"),
	CONSTRAINT "bookings_quantity_positive" CHECK("bookings"."quantity" >= 1)
);
--> statement-breakpoint
CREATE INDEX `bookings_resource_start_idx` ON `bookings` (`resource_id`,`start_ms`);--> statement-breakpoint
CREATE INDEX `bookings_member_start_idx` ON `bookings` (`member_id`,`start_ms`);--> statement-breakpoint
CREATE INDEX `bookings_start_idx` ON `bookings` (`start_ms`);--> statement-breakpoint
CREATE INDEX `bookings_series_idx` ON `bookings` (`series_id`);