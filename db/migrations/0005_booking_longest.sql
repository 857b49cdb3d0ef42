-- resources.longest_booking_ms bounds every overlap query from below (start_ms > :from - longest), so it must
-- never be smaller than a stored booking, whoever writes it (API, demo, scripts, tests). The triggers raise it
-- inside the writing transaction; it never goes down (a bound, not an exact maximum).
UPDATE `resources` SET `longest_booking_ms` = coalesce((SELECT max(`end_ms` - `start_ms`) FROM `bookings` b WHERE b.`resource_id` = `resources`.`id`), 0)
WHERE `longest_booking_ms` < coalesce((SELECT max(`end_ms` - `start_ms`) FROM `bookings` b WHERE b.`resource_id` = `resources`.`id`), 0);
--> statement-breakpoint
CREATE TRIGGER `bookings_longest_insert` AFTER INSERT ON `bookings`
BEGIN
  UPDATE `resources` SET `longest_booking_ms` = NEW.`end_ms` - NEW.`start_ms`
  WHERE `id` = NEW.`resource_id` AND `longest_booking_ms` < NEW.`end_ms` - NEW.`start_ms`;
END;
--> statement-breakpoint
CREATE TRIGGER `bookings_longest_update` AFTER UPDATE OF `start_ms`, `end_ms`, `resource_id` ON `bookings`
BEGIN
  UPDATE `resources` SET `longest_booking_ms` = NEW.`end_ms` - NEW.`start_ms`
  WHERE `id` = NEW.`resource_id` AND `longest_booking_ms` < NEW.`end_ms` - NEW.`start_ms`;
END;
