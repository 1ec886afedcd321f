package dev.astrid.host.interaction;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.tck.ApprovalProviderContract;

class ApprovalProviderCompatibilityTest extends ApprovalProviderContract {
    @Override
    protected HostProvider createProvider() {
        return new ApprovalProvider();
    }
}
