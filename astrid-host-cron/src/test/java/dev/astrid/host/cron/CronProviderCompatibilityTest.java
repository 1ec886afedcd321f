package dev.astrid.host.cron;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.tck.CronProviderContract;
import dev.astrid.host.tck.ManualClock;

/** The built-in provider passes the cron compatibility kit, timed by the kit's clock. */
class CronProviderCompatibilityTest extends CronProviderContract {
    @Override
    protected HostProvider createProvider(ManualClock clock) {
        CronProvider p = new CronProvider(clock);
        clock.onChange(p::wake);
        return p;
    }
}
