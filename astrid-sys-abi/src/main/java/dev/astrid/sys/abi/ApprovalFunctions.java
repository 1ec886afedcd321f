package dev.astrid.sys.abi;

/** The approval family. */
public interface ApprovalFunctions {
    /** {@code astrid_request_approval}: asks a human to approve an action; blocks for the answer. */
    byte[] requestApproval(byte[] request);
}
