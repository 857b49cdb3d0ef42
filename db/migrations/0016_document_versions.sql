CREATE TABLE `month_documents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`month` text NOT NULL,
	`kind` text NOT NULL,
	`scope` integer NOT NULL,
	`version` integer NOT NULL,
	`reason` text NOT NULL,
	`reference` text,
	`created_at` integer NOT NULL,
	`pdf` blob NOT NULL,
	`sha256` text NOT NULL,
	CONSTRAINT "month_documents_version_positive" CHECK("month_documents"."version" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `month_documents_version_idx` ON `month_documents` (`month`,`kind`,`scope`,`version`);--> statement-breakpoint
-- Every version of a closed month's summary and statements is kept as it was made. A month closed before
-- this migration gets its version 1 on first use (SQL cannot render a PDF).
CREATE TRIGGER `month_documents_immutable_update` BEFORE UPDATE ON `month_documents`
BEGIN
  SELECT RAISE(ABORT, 'document.immutable: a stored version of a month document never changes');
END;
--> statement-breakpoint
CREATE TRIGGER `month_documents_no_delete` BEFORE DELETE ON `month_documents`
BEGIN
  SELECT RAISE(ABORT, 'document.immutable: a stored version of a month document is never deleted');
END;
