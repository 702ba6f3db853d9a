CREATE TABLE `lifecycle_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rollups` (
	`kind` text NOT NULL,
	`series` text NOT NULL,
	`metric` text NOT NULL,
	`hour` integer NOT NULL,
	`value_count` integer NOT NULL,
	`value_sum` real NOT NULL,
	`value_min` real NOT NULL,
	`value_max` real NOT NULL,
	PRIMARY KEY(`kind`, `series`, `metric`, `hour`)
);
--> statement-breakpoint
CREATE INDEX `rollups_hour` ON `rollups` (`hour`);