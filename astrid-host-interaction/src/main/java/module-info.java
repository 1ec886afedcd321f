/**
 * The elicitation and approval families of the Astrid host. Both reach a person only through the
 * host's {@link dev.astrid.host.spi.services.Interaction} service, and elicited secrets go only to
 * its {@link dev.astrid.host.spi.services.SecretStore}. Approvals also consult a standing policy
 * file and the decisions a person asked the host to remember.
 *
 * <p>{@link dev.astrid.host.interaction.RememberedApprovals} and
 * {@link dev.astrid.host.interaction.ApprovalPolicy} are the Java API the {@code astrid approvals}
 * command (or an embedding application) uses to list, revoke and check decisions.
 */
module dev.astrid.host.interaction {
    requires transitive dev.astrid.host.spi;
    requires dev.astrid.sys.abi;
    requires com.google.gson;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.toml;
    requires java.sql;
    requires org.xerial.sqlitejdbc;

    exports dev.astrid.host.interaction;

    provides dev.astrid.host.spi.HostProvider with
            dev.astrid.host.interaction.ElicitProvider,
            dev.astrid.host.interaction.ApprovalProvider;
}
