/**
 * The net family of host functions. No provider ships yet: the host links every function of the
 * family to a stub that traps with {@code no provider installed}, and a third-party provider of
 * the family can be dropped on the module path.
 */
module dev.astrid.host.net {}
