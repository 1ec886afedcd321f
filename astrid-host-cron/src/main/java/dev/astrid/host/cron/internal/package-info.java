/** The cron family's parts: schedules, settings, the job file, the per-capsule binding and the scheduler thread. */
package dev.astrid.host.cron.internal;
