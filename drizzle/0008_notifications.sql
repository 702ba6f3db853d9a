CREATE TABLE `deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`alert_id` integer NOT NULL,
	`event_id` text NOT NULL,
	`event` text NOT NULL,
	`alert_key` text NOT NULL,
	`channel` text NOT NULL,
	`attempt` integer NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `deliveries_alert` ON `deliveries` (`alert_id`);--> statement-breakpoint
CREATE INDEX `deliveries_event` ON `deliveries` (`event_id`,`channel`);--> statement-breakpoint
CREATE INDEX `deliveries_key` ON `deliveries` (`channel`,`alert_key`,`at`);--> statement-breakpoint
CREATE TABLE `notify_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`alert_id` integer NOT NULL,
	`event` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `notify_queue` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` text NOT NULL,
	`channel` text NOT NULL,
	`alert_key` text NOT NULL,
	`event` text NOT NULL,
	`payload` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notify_queue_event` ON `notify_queue` (`event_id`,`channel`);--> statement-breakpoint
CREATE INDEX `notify_queue_due` ON `notify_queue` (`next_at`);--> statement-breakpoint
CREATE TABLE `notify_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`config` text NOT NULL,
	`updated_at` integer NOT NULL
);
