ALTER TABLE `bins` ADD `msg_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `bins_msg` ON `bins` (`msg_id`);--> statement-breakpoint
ALTER TABLE `images` ADD `msg_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `images_msg` ON `images` (`device_id`,`msg_id`);--> statement-breakpoint
ALTER TABLE `readings` ADD `msg_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `readings_msg` ON `readings` (`device_id`,`msg_id`);