DROP INDEX `bins_src`;--> statement-breakpoint
ALTER TABLE `bins` ADD `src_epoch` integer DEFAULT -1 NOT NULL;--> statement-breakpoint
ALTER TABLE `bins` ADD `src_timestamp` integer DEFAULT -1 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `bins_src` ON `bins` (`src_topic`,`src_partition`,`src_offset`,`src_epoch`,`src_timestamp`);--> statement-breakpoint
DROP INDEX `entrance_src`;--> statement-breakpoint
ALTER TABLE `entrance_events` ADD `src_epoch` integer DEFAULT -1 NOT NULL;--> statement-breakpoint
ALTER TABLE `entrance_events` ADD `src_timestamp` integer DEFAULT -1 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `entrance_src` ON `entrance_events` (`src_topic`,`src_partition`,`src_offset`,`src_epoch`,`src_timestamp`);--> statement-breakpoint
DROP INDEX `images_src`;--> statement-breakpoint
ALTER TABLE `images` ADD `src_epoch` integer DEFAULT -1 NOT NULL;--> statement-breakpoint
ALTER TABLE `images` ADD `src_timestamp` integer DEFAULT -1 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `images_src` ON `images` (`src_topic`,`src_partition`,`src_offset`,`src_epoch`,`src_timestamp`);--> statement-breakpoint
DROP INDEX `readings_src`;--> statement-breakpoint
ALTER TABLE `readings` ADD `src_epoch` integer DEFAULT -1 NOT NULL;--> statement-breakpoint
ALTER TABLE `readings` ADD `src_timestamp` integer DEFAULT -1 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `readings_src` ON `readings` (`src_topic`,`src_partition`,`src_offset`,`src_epoch`,`src_timestamp`);--> statement-breakpoint
DROP INDEX `room_readings_src`;--> statement-breakpoint
ALTER TABLE `room_readings` ADD `src_epoch` integer DEFAULT -1 NOT NULL;--> statement-breakpoint
ALTER TABLE `room_readings` ADD `src_timestamp` integer DEFAULT -1 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `room_readings_src` ON `room_readings` (`src_topic`,`src_partition`,`src_offset`,`src_epoch`,`src_timestamp`);