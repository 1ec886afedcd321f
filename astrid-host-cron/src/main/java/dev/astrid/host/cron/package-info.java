/** The cron family provider: jobs on cron expressions or intervals that call the capsule back. */
package dev.astrid.host.cron;
