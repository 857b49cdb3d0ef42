-- Issue #10: VAT decided per invoice line. Written by hand (columns are added, never tables rebuilt) so that
-- the triggers on members, resources and costs stay in place and no row is copied or lost.
-- Members: statuses instead of one regime, address parts, payment and e-invoicing details, billing mandate.
ALTER TABLE `members` ADD `postal_code` text;--> statement-breakpoint
ALTER TABLE `members` ADD `city` text;--> statement-breakpoint
ALTER TABLE `members` ADD `country_code` text DEFAULT 'FR' NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `delivery_address` text;--> statement-breakpoint
ALTER TABLE `members` ADD `vat_status` text DEFAULT 'assujetti' NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `eligible_261b` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `eligible_261b_since` text;--> statement-breakpoint
ALTER TABLE `members` ADD `vat_on_debits` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `public_body` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `chorus_service_code` text;--> statement-breakpoint
ALTER TABLE `members` ADD `chorus_engagement` text;--> statement-breakpoint
ALTER TABLE `members` ADD `share_capital_cents` integer CHECK (`share_capital_cents` IS NULL OR `share_capital_cents` >= 0);--> statement-breakpoint
ALTER TABLE `members` ADD `rcs_city` text;--> statement-breakpoint
ALTER TABLE `members` ADD `iban` text;--> statement-breakpoint
ALTER TABLE `members` ADD `bic` text;--> statement-breakpoint
ALTER TABLE `members` ADD `einvoice_address` text;--> statement-breakpoint
ALTER TABLE `members` ADD `billing_mandate_since` text;--> statement-breakpoint
ALTER TABLE `members` ADD `netting_agreement` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `netting_agreement_since` text;--> statement-breakpoint
-- The old regime becomes a status and the 261 B eligibility: an `exonere_261B` member's activity is exempt or
-- outside VAT, so it recovers no input VAT and charges none on its own activity (non_assujetti), except the
-- pole's carrier, which becomes the grouping: a groupement de moyens is liable and bills VAT to non-eligible
-- members.
UPDATE `members` SET
  `vat_status` = CASE `vat_regime` WHEN 'exonere_261B' THEN 'non_assujetti' ELSE `vat_regime` END,
  `eligible_261b` = (`vat_regime` = 'exonere_261B'),
  `public_body` = (`legal_form` = 'local_authority');--> statement-breakpoint
ALTER TABLE `pole` ADD `grouping_member_id` integer REFERENCES members(id);--> statement-breakpoint
UPDATE `pole` SET `grouping_member_id` = `carrier_member_id`
 WHERE `carrier_member_id` IN (SELECT `id` FROM `members` WHERE `vat_regime` = 'exonere_261B');--> statement-breakpoint
UPDATE `members` SET `vat_status` = 'assujetti' WHERE `id` IN (SELECT `grouping_member_id` FROM `pole`);--> statement-breakpoint
-- "12 quai de la Fosse, 44000 Nantes": the part after the last comma, when it is a 5-digit postal code and a
-- city, moves to postal_code and city; anything else stays in `address` as it is.
UPDATE `members` SET
  `postal_code` = substr(trim(substr(`address`, length(rtrim(`address`, replace(`address`, ',', ''))) + 1)), 1, 5),
  `city` = trim(substr(trim(substr(`address`, length(rtrim(`address`, replace(`address`, ',', ''))) + 1)), 6)),
  `address` = trim(substr(`address`, 1, length(rtrim(`address`, replace(`address`, ',', ''))) - 1))
 WHERE instr(`address`, ',') > 0
   AND trim(substr(`address`, length(rtrim(`address`, replace(`address`, ',', ''))) + 1)) GLOB '[0-9][0-9][0-9][0-9][0-9] ?*'
   AND length(trim(substr(`address`, 1, length(rtrim(`address`, replace(`address`, ',', ''))) - 1))) > 0;--> statement-breakpoint
ALTER TABLE `members` DROP COLUMN `vat_regime`;--> statement-breakpoint
-- Resources: the output VAT rate of the service sold (20 % unless set), and agreed management fees for staff.
ALTER TABLE `resources` ADD `vat_rate_bp` integer DEFAULT 2000 NOT NULL CHECK (`vat_rate_bp` IN (2000, 1000, 550, 210));--> statement-breakpoint
ALTER TABLE `resources` ADD `management_fees_agreed` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Costs: the input VAT paid (derived from the supplier's rate for the open months; closed months are frozen and
-- keep their final allocation), and a staff member's paid hours.
ALTER TABLE `costs` ADD `input_vat_cents` integer DEFAULT 0 NOT NULL CHECK (`input_vat_cents` >= 0);--> statement-breakpoint
ALTER TABLE `costs` ADD `paid_hours_hundredths` integer CHECK (`paid_hours_hundredths` IS NULL OR `paid_hours_hundredths` > 0);--> statement-breakpoint
UPDATE `costs` SET `input_vat_cents` = (`amount_cents` * `vat_rate_bp` + 5000) / 10000
 WHERE `vat_rate_bp` > 0 AND `month` NOT IN (SELECT `month` FROM `closings`);
