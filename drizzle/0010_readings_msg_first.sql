DROP INDEX `readings_msg`;--> statement-breakpoint
CREATE UNIQUE INDEX `readings_msg` ON `readings` (`msg_id`,`device_id`);