CREATE TABLE `employees` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`qualification` text NOT NULL,
	`employer_member_id` integer NOT NULL,
	`weekly_hours_hundredths` integer NOT NULL,
	`resource_id` integer,
	`user_id` integer,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`employer_member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`resource_id`) REFERENCES `resources`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "employees_weekly_hours" CHECK("employees"."weekly_hours_hundredths" BETWEEN 1 AND 6000)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `employees_resource_unique` ON `employees` (`resource_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `employees_user_unique` ON `employees` (`user_id`);--> statement-breakpoint
CREATE TABLE `lending_agreements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`employee_id` integer NOT NULL,
	`lender_member_id` integer NOT NULL,
	`user_member_id` integer NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	`planned_minutes_per_month` integer,
	`working_time_share_bp` integer,
	`bills_salary` integer DEFAULT true NOT NULL,
	`bills_social_charges` integer DEFAULT true NOT NULL,
	`bills_reimbursed_expenses` integer DEFAULT true NOT NULL,
	`management_fees_cents` integer,
	`management_fees_rate_bp` integer,
	`consent_date` text,
	`amendment_date` text,
	`signed_pdf` blob,
	`signed_pdf_sha256` text,
	`signed_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`employee_id`) REFERENCES `employees`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lender_member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "lending_dates" CHECK("lending_agreements"."end_date" >= "lending_agreements"."start_date"),
	CONSTRAINT "lending_parties" CHECK("lending_agreements"."lender_member_id" <> "lending_agreements"."user_member_id")
);
--> statement-breakpoint
CREATE INDEX `lending_employee_idx` ON `lending_agreements` (`employee_id`,`user_member_id`);--> statement-breakpoint
CREATE TABLE `payrolls` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`employee_id` integer NOT NULL,
	`month` text NOT NULL,
	`gross_salary_cents` integer NOT NULL,
	`employer_charges_cents` integer NOT NULL,
	`reimbursed_expenses_cents` integer NOT NULL,
	`paid_hours_hundredths` integer NOT NULL,
	`cost_ids` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`employee_id`) REFERENCES `employees`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "payrolls_amounts" CHECK("payrolls"."gross_salary_cents" >= 0 AND "payrolls"."employer_charges_cents" >= 0 AND "payrolls"."reimbursed_expenses_cents" >= 0),
	CONSTRAINT "payrolls_hours" CHECK("payrolls"."paid_hours_hundredths" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payrolls_employee_month` ON `payrolls` (`employee_id`,`month`);--> statement-breakpoint
CREATE TABLE `timesheet_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`employee_id` integer NOT NULL,
	`date` text NOT NULL,
	`month` text NOT NULL,
	`kind` text NOT NULL,
	`member_id` integer,
	`minutes` integer NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`comment` text,
	`entered_by_user_id` integer,
	`approved_by_user_id` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`employee_id`) REFERENCES `employees`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entered_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`approved_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "timesheet_minutes" CHECK("timesheet_entries"."minutes" BETWEEN 0 AND 1500),
	CONSTRAINT "timesheet_member_kind" CHECK(("timesheet_entries"."kind" = 'made_available') = ("timesheet_entries"."member_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `timesheet_line_unique` ON `timesheet_entries` (`employee_id`,`date`,`kind`,`member_id`);--> statement-breakpoint
CREATE INDEX `timesheet_month_idx` ON `timesheet_entries` (`employee_id`,`month`);