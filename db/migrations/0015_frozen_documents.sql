CREATE TABLE `issued_documents` (
	`invoice_id` integer PRIMARY KEY NOT NULL,
	`seller_member_id` integer NOT NULL,
	`rank` integer NOT NULL,
	`format` text NOT NULL,
	`pdf` blob NOT NULL,
	`pdf_sha256` text NOT NULL,
	`xml` blob,
	`xml_sha256` text,
	`invoice_hash` text NOT NULL,
	`frozen_how` text NOT NULL,
	`frozen_at` integer NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`seller_member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "issued_documents_rank_positive" CHECK("issued_documents"."rank" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `issued_documents_rank_idx` ON `issued_documents` (`seller_member_id`,`rank`);--> statement-breakpoint
-- A frozen document is kept as issued: never changed, never removed. Documents issued before this
-- migration are frozen on first use (download, export, outbox): SQL cannot render a PDF.
CREATE TRIGGER `issued_documents_immutable_update` BEFORE UPDATE ON `issued_documents`
BEGIN
  SELECT RAISE(ABORT, 'document.immutable: the stored bytes of an issued document never change');
END;
--> statement-breakpoint
CREATE TRIGGER `issued_documents_no_delete` BEFORE DELETE ON `issued_documents`
BEGIN
  SELECT RAISE(ABORT, 'document.immutable: the stored bytes of an issued document are never deleted');
END;
