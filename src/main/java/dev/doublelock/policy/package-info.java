/**
 * The one TLS policy engine, shared by the checker and the relay: observation + policy → findings. Pure (no
 * sockets, no DNS). A {@link dev.doublelock.policy.Policy} is a JSON data file (built in: bsi, bsi-strict,
 * tr-03108, opportunistic) whose rules carry every threshold, the severity of a breach and the document section
 * it encodes; each check is one small class listed in {@code Checks}. Level 1: imports tls and finding only.
 */
package dev.doublelock.policy;
