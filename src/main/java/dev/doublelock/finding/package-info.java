/**
 * Findings as values: a stable {@link dev.doublelock.finding.FindingCode}, a
 * {@link dev.doublelock.finding.Severity}, the subject, the evidence, the policy rule and a plain-words
 * message. Level 0: imports nothing of the project.
 */
package dev.doublelock.finding;
