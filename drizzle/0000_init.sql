CREATE TABLE `alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`subject` text NOT NULL,
	`message` text NOT NULL,
	`severity` text DEFAULT 'warning' NOT NULL,
	`state` text DEFAULT 'open' NOT NULL,
	`created_at` integer NOT NULL,
	`cleared_at` integer
);
--> statement-breakpoint
CREATE INDEX `alerts_state_created` ON `alerts` (`state`,`created_at`);--> statement-breakpoint
CREATE TABLE `bins` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`bin_count` integer NOT NULL,
	`bin_level` text NOT NULL,
	`full` integer DEFAULT false NOT NULL,
	`m_time` text NOT NULL,
	`ts` integer NOT NULL,
	`src_topic` text,
	`src_partition` integer,
	`src_offset` integer
);
--> statement-breakpoint
CREATE INDEX `bins_count_ts` ON `bins` (`bin_count`,`ts`);--> statement-breakpoint
CREATE UNIQUE INDEX `bins_src` ON `bins` (`src_topic`,`src_partition`,`src_offset`);--> statement-breakpoint
CREATE TABLE `devices` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text DEFAULT 'device' NOT NULL,
	`x` real,
	`y` real,
	`status` text,
	`desired_status` text,
	`online` integer DEFAULT false NOT NULL,
	`last_seen` integer
);
--> statement-breakpoint
CREATE TABLE `entrance_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`record_type` text NOT NULL,
	`ts` integer NOT NULL,
	`src_topic` text,
	`src_partition` integer,
	`src_offset` integer
);
--> statement-breakpoint
CREATE INDEX `entrance_name_ts` ON `entrance_events` (`name`,`ts`);--> statement-breakpoint
CREATE UNIQUE INDEX `entrance_src` ON `entrance_events` (`src_topic`,`src_partition`,`src_offset`);--> statement-breakpoint
CREATE TABLE `images` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`device_id` text NOT NULL,
	`ts` integer NOT NULL,
	`path` text NOT NULL,
	`bytes` integer NOT NULL,
	`width` integer,
	`height` integer,
	`src_topic` text,
	`src_partition` integer,
	`src_offset` integer
);
--> statement-breakpoint
CREATE INDEX `images_device_ts` ON `images` (`device_id`,`ts`);--> statement-breakpoint
CREATE UNIQUE INDEX `images_src` ON `images` (`src_topic`,`src_partition`,`src_offset`);--> statement-breakpoint
CREATE TABLE `people` (
	`name` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`since` integer NOT NULL,
	`day` text NOT NULL,
	`away_ms_today` integer DEFAULT 0 NOT NULL,
	`flagged` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE `readings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`device_id` text NOT NULL,
	`ts` integer NOT NULL,
	`temperature` real,
	`humidity` real,
	`src_topic` text,
	`src_partition` integer,
	`src_offset` integer,
	`stored_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `readings_device_ts` ON `readings` (`device_id`,`ts`);--> statement-breakpoint
CREATE UNIQUE INDEX `readings_src` ON `readings` (`src_topic`,`src_partition`,`src_offset`);--> statement-breakpoint
CREATE TABLE `room_readings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`room_no` integer NOT NULL,
	`ts` integer NOT NULL,
	`temperature` real,
	`humidity` real,
	`src_topic` text,
	`src_partition` integer,
	`src_offset` integer
);
--> statement-breakpoint
CREATE INDEX `room_readings_room_ts` ON `room_readings` (`room_no`,`ts`);--> statement-breakpoint
CREATE UNIQUE INDEX `room_readings_src` ON `room_readings` (`src_topic`,`src_partition`,`src_offset`);--> statement-breakpoint
CREATE TABLE `rooms` (
	`room_no` integer PRIMARY KEY NOT NULL,
	`temperature` real,
	`humidity` real,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rules` (
	`room_no` integer NOT NULL,
	`schedule_id` integer NOT NULL,
	`condition` text NOT NULL,
	`state` text DEFAULT 'ok' NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`room_no`, `schedule_id`)
);
--> statement-breakpoint
CREATE TABLE `tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`subject` text NOT NULL,
	`hash` text NOT NULL,
	`created_at` integer NOT NULL
);
