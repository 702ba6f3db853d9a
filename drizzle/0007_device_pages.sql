CREATE TABLE `device_commands` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`device_id` text NOT NULL,
	`ts` integer NOT NULL,
	`status` text NOT NULL,
	`code` integer NOT NULL,
	`problem` text
);
--> statement-breakpoint
CREATE INDEX `device_commands_device_ts` ON `device_commands` (`device_id`,`ts`);--> statement-breakpoint
CREATE TABLE `device_positions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`device_id` text NOT NULL,
	`ts` integer NOT NULL,
	`x` real NOT NULL,
	`y` real NOT NULL
);
--> statement-breakpoint
CREATE INDEX `device_positions_device_ts` ON `device_positions` (`device_id`,`ts`);--> statement-breakpoint
ALTER TABLE `devices` ADD `name` text;