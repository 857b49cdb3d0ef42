-- Issued documents are immutable: only the payment date may be recorded; nothing is ever deleted.
CREATE TRIGGER `invoices_immutable_update` BEFORE UPDATE OF `id`, `number`, `kind`, `seller_member_id`, `buyer_member_id`, `year`, `seq`, `month`, `issue_date`, `period_start`, `period_end`, `due_date`, `currency`, `seller`, `buyer`, `lines`, `vat_breakdown`, `total_excl_vat_cents`, `total_vat_cents`, `total_incl_vat_cents`, `mentions`, `payment_terms_days`, `late_penalty_rate_bp`, `recovery_indemnity_cents`, `credited_invoice_id`, `prev_hash`, `hash`, `issued_at`, `issued_by_user_id` ON `invoices`
BEGIN
  SELECT RAISE(ABORT, 'invoice.immutable: an issued invoice or credit note never changes; correct it with a credit note');
END;
--> statement-breakpoint
CREATE TRIGGER `invoices_no_delete` BEFORE DELETE ON `invoices`
BEGIN
  SELECT RAISE(ABORT, 'invoice.immutable: an issued invoice or credit note is never deleted');
END;
--> statement-breakpoint
-- A series counter only moves forward and is never removed: numbers are never given twice.
CREATE TRIGGER `invoice_counters_forward` BEFORE UPDATE ON `invoice_counters`
WHEN NEW.`last_seq` < OLD.`last_seq` OR NEW.`member_id` <> OLD.`member_id` OR NEW.`year` <> OLD.`year`
BEGIN
  SELECT RAISE(ABORT, 'invoice.counter_backwards: an invoice series counter never goes back');
END;
--> statement-breakpoint
CREATE TRIGGER `invoice_counters_no_delete` BEFORE DELETE ON `invoice_counters`
BEGIN
  SELECT RAISE(ABORT, 'invoice.counter_backwards: an invoice series counter is never removed');
END;
--> statement-breakpoint
-- The final allocation of a closed month is a snapshot: never changed, never removed.
CREATE TRIGGER `allocation_rows_frozen_update` BEFORE UPDATE ON `allocation_rows`
BEGIN
  SELECT RAISE(ABORT, 'allocation.frozen: the allocation of a closed month never changes');
END;
--> statement-breakpoint
CREATE TRIGGER `allocation_rows_frozen_delete` BEFORE DELETE ON `allocation_rows`
BEGIN
  SELECT RAISE(ABORT, 'allocation.frozen: the allocation of a closed month never changes');
END;
--> statement-breakpoint
CREATE TRIGGER `allocation_resources_frozen_update` BEFORE UPDATE ON `allocation_resources`
BEGIN
  SELECT RAISE(ABORT, 'allocation.frozen: the allocation of a closed month never changes');
END;
--> statement-breakpoint
CREATE TRIGGER `allocation_resources_frozen_delete` BEFORE DELETE ON `allocation_resources`
BEGIN
  SELECT RAISE(ABORT, 'allocation.frozen: the allocation of a closed month never changes');
END;
--> statement-breakpoint
-- Costs of a closed month are frozen (the service refuses first; this is the last line of defence).
CREATE TRIGGER `costs_frozen_insert` BEFORE INSERT ON `costs`
WHEN EXISTS (SELECT 1 FROM `closings` WHERE `month` = NEW.`month`)
BEGIN
  SELECT RAISE(ABORT, 'month.closed: the costs of a closed month never change');
END;
--> statement-breakpoint
CREATE TRIGGER `costs_frozen_update` BEFORE UPDATE ON `costs`
WHEN EXISTS (SELECT 1 FROM `closings` WHERE `month` = OLD.`month` OR `month` = NEW.`month`)
BEGIN
  SELECT RAISE(ABORT, 'month.closed: the costs of a closed month never change');
END;
--> statement-breakpoint
CREATE TRIGGER `costs_frozen_delete` BEFORE DELETE ON `costs`
WHEN EXISTS (SELECT 1 FROM `closings` WHERE `month` = OLD.`month`)
BEGIN
  SELECT RAISE(ABORT, 'month.closed: the costs of a closed month never change');
END;
