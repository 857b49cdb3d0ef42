CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`user_id` integer,
	`member_ids` text,
	`action` text NOT NULL,
	`object_type` text NOT NULL,
	`object_id` text,
	`before` text,
	`after` text,
	`ip` text,
	`route` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_object_idx` ON `audit_log` (`object_type`,`object_id`);--> statement-breakpoint
CREATE INDEX `audit_user_idx` ON `audit_log` (`user_id`);--> statement-breakpoint
CREATE INDEX `audit_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
-- Hand-written: the trail is append-only. Its rows are written by temporary triggers each connection installs
-- (server/audit/triggers.ts); nothing may rewrite or erase one (the hash chain names it if it is done anyway).
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
BEGIN
  SELECT RAISE(ABORT, 'audit.immutable: an audit row never changes');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
BEGIN
  SELECT RAISE(ABORT, 'audit.immutable: an audit row is never erased');
END;
