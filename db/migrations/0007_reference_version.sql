CREATE TABLE `reference_version` (
	`id` integer PRIMARY KEY NOT NULL,
	`stamp` integer NOT NULL,
	CONSTRAINT "reference_version_one_row" CHECK("reference_version"."id" = 1)
);
--> statement-breakpoint
-- The server caches these tables in memory (server/shared/reference-cache.ts). Every write to them, by any
-- connection (API, CLI, scripts, another process, a test's raw SQL), changes the stamp in the same transaction.
INSERT INTO `reference_version` (`id`, `stamp`) VALUES (1, random());
--> statement-breakpoint
CREATE TRIGGER `pole_reference_insert` AFTER INSERT ON `pole`
BEGIN
  UPDATE `reference_version` SET `stamp` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `pole_reference_update` AFTER UPDATE ON `pole`
BEGIN
  UPDATE `reference_version` SET `stamp` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `pole_reference_delete` AFTER DELETE ON `pole`
BEGIN
  UPDATE `reference_version` SET `stamp` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `members_reference_insert` AFTER INSERT ON `members`
BEGIN
  UPDATE `reference_version` SET `stamp` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `members_reference_update` AFTER UPDATE ON `members`
BEGIN
  UPDATE `reference_version` SET `stamp` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `members_reference_delete` AFTER DELETE ON `members`
BEGIN
  UPDATE `reference_version` SET `stamp` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `users_reference_insert` AFTER INSERT ON `users`
BEGIN
  UPDATE `reference_version` SET `stamp` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `users_reference_update` AFTER UPDATE ON `users`
BEGIN
  UPDATE `reference_version` SET `stamp` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `users_reference_delete` AFTER DELETE ON `users`
BEGIN
  UPDATE `reference_version` SET `stamp` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `resources_reference_insert` AFTER INSERT ON `resources`
BEGIN
  UPDATE `reference_version` SET `stamp` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `resources_reference_update` AFTER UPDATE ON `resources`
BEGIN
  UPDATE `reference_version` SET `stamp` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `resources_reference_delete` AFTER DELETE ON `resources`
BEGIN
  UPDATE `reference_version` SET `stamp` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `closings_reference_insert` AFTER INSERT ON `closings`
BEGIN
  UPDATE `reference_version` SET `stamp` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `closings_reference_update` AFTER UPDATE ON `closings`
BEGIN
  UPDATE `reference_version` SET `stamp` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `closings_reference_delete` AFTER DELETE ON `closings`
BEGIN
  UPDATE `reference_version` SET `stamp` = random() WHERE `id` = 1;
END;
